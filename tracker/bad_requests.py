"""Requests no page can answer: refused with 400 and a page the reader can read.

A NUL character has no place in any address or form of the project, and PostgreSQL
refuses one in any text it is sent ("A string literal cannot contain NUL characters"):
in a filter, a search, an admin lookup or a region code in the path it would reach a
query and end in a 500. ``RefuseNulMiddleware`` refuses it once, for every page, before
any view reads it. ``bad_request`` is the project's 400 page (``handler400``), drawn with
the request so its header and language switcher work like the other pages'; so is
``csrf_failure`` (``CSRF_FAILURE_VIEW``), where Django's own page is English only.
"""

from django.core.exceptions import BadRequest
from django.shortcuts import render


class RefuseNulMiddleware:
    """Answers 400 to a request whose path, parameter names or values hold a NUL.

    Placed after the middleware that chooses the reader's language (UserLanguageMiddleware),
    so the refusal is in their language; it reads nothing else of the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if carries_nul(request):
            raise BadRequest("A NUL character in the path or the parameters.")  # for the log
        return self.get_response(request)


def carries_nul(request) -> bool:
    if "\x00" in request.path or "\x00" in request.path_info:
        return True
    sent = [request.GET]
    if request.method == "POST":
        sent.append(request.POST)
    return any(
        "\x00" in name or any("\x00" in value for value in values)
        for data in sent
        for name, values in data.lists()
    )


def bad_request(request, exception):
    """handler400: the 400 page in the reader's language, with the site's header."""
    return render(request, "400.html", status=400)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a form sent without its token (expired, another window, cookies
    refused), said in the reader's language; Django's reason goes to the log only."""
    return render(request, "403_csrf.html", status=403)
