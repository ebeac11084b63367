"""Lists come a page at a time: ``?page=2&page_size=500`` (at most 1000 rows a page)."""

from rest_framework.pagination import PageNumberPagination


class Pages(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000
