"""The reader's language: their saved choice once signed in, else cookie and browser.

Django's LocaleMiddleware picks a language from the URL, the language cookie and the
browser's Accept-Language. A signed-in official's saved choice (`User.language`) goes over
those, so the switcher's choice holds on any computer they sign in from.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation
from django.views.i18n import set_language as django_set_language


class UserLanguageMiddleware:
    """Activates the signed-in user's saved language. Placed after AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = getattr(request.user, "language", "")
        if language and translation.check_for_language(language):
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)


def set_language(request):
    """Django's switcher view (cookie, redirect back), also remembering the choice on the
    signed-in user."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    offered = dict(settings.LANGUAGES)
    if request.method == "POST" and request.user.is_authenticated and language in offered:
        get_user_model().objects.filter(pk=request.user.pk).update(language=language)
    return response
