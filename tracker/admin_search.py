"""The admin's search box (unfold's command search) with page numbers it cannot show
refused as not found.

Unfold's view gives ``page`` straight to int() and to its paginator: "x", "-1" or a page
past the last one ended in a 500. tracker/urls.py puts this view at the search's address,
ahead of the admin's own, so ``admin:search`` still names it.
"""

from django.contrib import admin
from django.core.paginator import InvalidPage
from django.http import Http404


def _search(request):
    page = request.GET.get("page", "1")
    if not (page.isascii() and page.isdigit()) or int(page) < 1:
        raise Http404("No such page of search results.")
    try:
        return admin.site.search(request)
    except InvalidPage as past_the_end:
        raise Http404("No such page of search results.") from past_the_end


search = admin.site.admin_view(_search)
