"""A number of services and the admin list that shows them."""

from dataclasses import dataclass

from django.http import QueryDict
from django.urls import reverse

from services.filters import ServiceFilter
from services.models import Service


@dataclass(frozen=True)
class Counted:
    count: int
    url: str


def services_listed(user, **params) -> Counted:
    """How many rows the admin's service list shows this user at ``?params``, and its
    address: counted by the list's own filters (services.filters), in one query. A value
    may be a list (``status=["electronic", "proactive"]``)."""
    query = _query(params)
    found = ServiceFilter(query, queryset=Service.objects.for_user(user))
    return Counted(found.qs.count(), _list_url(query))


def service_list_url(**params) -> str:
    return _list_url(_query(params))


def _query(params: dict) -> QueryDict:
    query = QueryDict(mutable=True)
    for name, value in params.items():
        query.setlist(name, [str(v) for v in value] if isinstance(value, list) else [str(value)])
    return query


def _list_url(query: QueryDict) -> str:
    return f"{reverse('admin:services_service_changelist')}?{query.urlencode()}"
