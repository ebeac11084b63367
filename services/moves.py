"""Moving services to another department from the service list: how a department is
split, or a few services change hands between two budget decisions. Each moves through
``regions.restructure.split`` with its history row."""

from collections import defaultdict

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from regions import restructure
from regions.choose_department import choose_department


def move_services_view(model_admin, request, queryset):
    """The admin action "move the selected to another department of the region"."""
    services = list(queryset.select_related("department"))

    def move(to, comment: str) -> int:
        by_source = defaultdict(list)
        for service in services:
            if service.department_id != to.pk:
                by_source[service.department].append(service)
        return sum(
            restructure.split(source, its, to=to, by=request.user, comment=comment)
            for source, its in by_source.items()
        )

    return choose_department(
        model_admin,
        request,
        objects=services,
        region_ids={service.department.region_id for service in services},
        action="move_selected",
        title=_("Move services to another department"),
        explanation=_(
            "Each service moves with a row in its history; reports of earlier days keep it "
            "where it was, and the next report compares each department with the same "
            "services as they were."
        ),
        apply=move,
        done=lambda count, to: (
            ngettext(
                "%(count)d service moved to %(department)s.",
                "%(count)d services moved to %(department)s.",
                count,
            )
            % {"count": count, "department": to}
        ),
    )
