"""Lists come a page at a time.

Most lists are short (regions, departments, figures): ``?page=2&page_size=500``, at most
1000 rows a page, with the count. Services are the country's register — 50,000 and
more — so they are paged by a cursor instead: each page's ``next`` link carries the id
the page ended at, and the next page is an index range from there. A page deep in the
register then costs what the first does; page numbers would pay an offset over every
service before it and a count of them all on every page.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination, PageNumberPagination

MAX_PAGE_SIZE = 1000


class Pages(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE


class CursorPages(CursorPagination):
    """A page of services in the order they were added, and the links either side."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    ordering = "pk"

    def paginate_queryset(self, queryset, request, view=None):
        # Ignored, a page number would hand back the first page again and again to a
        # harvester counting pages: refused, saying what to do instead.
        if "page" in request.query_params:
            raise ValidationError(
                {
                    "page": [
                        _(
                            "Services are not numbered in pages: follow each page's "
                            "“next” link (its cursor) to the following one."
                        )
                    ]
                }
            )
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        # The links in a Link header too (RFC 8288): a CSV page has no "next" of its own.
        response = super().get_paginated_response(data)
        links = [
            f'<{url}>; rel="{rel}"'
            for rel, url in (("next", response.data["next"]), ("prev", response.data["previous"]))
            if url
        ]
        if links:
            response["Link"] = ", ".join(links)
        return response

    def decode_cursor(self, request):
        # DRF checks a cursor's offset, not its position: "p=x" or an id past any the
        # database holds would reach the query and fail there (a 500), not as a 404.
        cursor = super().decode_cursor(request)
        position = cursor.position if cursor else None
        if position is not None and not (position.isdigit() and int(position) < 2**63):
            raise NotFound(self.invalid_cursor_message)
        return cursor
