"""The admin's page titles as whole sentences, one per model, so each language can say them
right.

Django builds "Select %s to change", "Add %s", "Change %s" around a model's name in the
nominative, which Russian and Kazakh cannot take: "Выберите услуга для изменения" where a
reader expects "Выберите услугу", "қызмет өзгерту үщін таңда" where a Kazakh writes
"Өзгерту үшін қызметті таңдаңыз". So each model the admin shows gets its five titles as
sentences of their own, translated whole; ``TitledAdmin`` puts them on its list, add,
change and view pages, and the add and delete buttons' labels (the delete button's in
tracker/templates/admin/submit_line.html). A model without titles here keeps
Django's.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Titles:
    choose: str  # the list, for who may change its rows
    choose_to_view: str  # the list, read only
    add: str
    change: str
    view: str  # a row, read only
    delete: str  # the change page's delete button


TITLES = {
    "regions.region": Titles(
        _("Select a region to change"),
        _("Select a region to view"),
        _("Add a region"),
        _("Change a region"),
        _("View a region"),
        _("Delete this region"),
    ),
    "regions.department": Titles(
        _("Select a department to change"),
        _("Select a department to view"),
        _("Add a department"),
        _("Change a department"),
        _("View a department"),
        _("Delete this department"),
    ),
    "regions.readiness": Titles(
        _("Select regional readiness to change"),
        _("Select regional readiness to view"),
        _("Add regional readiness"),
        _("Change regional readiness"),
        _("View regional readiness"),
        _("Delete this regional readiness"),
    ),
    "regions.user": Titles(
        _("Select a user to change"),
        _("Select a user to view"),
        _("Add a user"),
        _("Change a user"),
        _("View a user"),
        _("Delete this user"),
    ),
    "services.service": Titles(
        _("Select a service to change"),
        _("Select a service to view"),
        _("Add a service"),
        _("Change a service"),
        _("View a service"),
        _("Delete this service"),
    ),
    "services.usage": Titles(
        _("Select usage to change"),
        _("Select usage to view"),
        _("Add usage"),
        _("Change usage"),
        _("View usage"),
        _("Delete this usage row"),
    ),
    "services.criterion": Titles(
        _("Select a criterion to change"),
        _("Select a criterion to view"),
        _("Add a criterion"),
        _("Change a criterion"),
        _("View a criterion"),
        _("Delete this criterion"),
    ),
    "services.lifeevent": Titles(
        _("Select a life event to change"),
        _("Select a life event to view"),
        _("Add a life event"),
        _("Change a life event"),
        _("View a life event"),
        _("Delete this life event"),
    ),
    "services.statuschange": Titles(
        _("Select a status change to change"),
        _("Select a status change to view"),
        _("Add a status change"),
        _("Change a status change"),
        _("View a status change"),
        _("Delete this status change"),
    ),
    "reports.progresstarget": Titles(
        _("Select a progress target to change"),
        _("Select a progress target to view"),
        _("Add a progress target"),
        _("Change a progress target"),
        _("View a progress target"),
        _("Delete this progress target"),
    ),
    "reports.reportsnapshot": Titles(
        _("Select a report snapshot to change"),
        _("Select a report snapshot to view"),
        _("Add a report snapshot"),
        _("Change a report snapshot"),
        _("View a report snapshot"),
        _("Delete this report snapshot"),
    ),
    "reports.rankingindicator": Titles(
        _("Select a ranking indicator to change"),
        _("Select a ranking indicator to view"),
        _("Add a ranking indicator"),
        _("Change a ranking indicator"),
        _("View a ranking indicator"),
        _("Delete this ranking indicator"),
    ),
    "reports.nationalsnapshot": Titles(
        _("Select a national ranking to change"),
        _("Select a national ranking to view"),
        _("Add a national ranking"),
        _("Change a national ranking"),
        _("View a national ranking"),
        _("Delete this national ranking"),
    ),
    "reports.reportnote": Titles(
        _("Select a report note to change"),
        _("Select a report note to view"),
        _("Add a report note"),
        _("Change a report note"),
        _("View a report note"),
        _("Delete this report note"),
    ),
    "tracker.apitoken": Titles(
        _("Select an API key to change"),
        _("Select an API key to view"),
        _("Add an API key"),
        _("Change an API key"),
        _("View an API key"),
        _("Delete this API key"),
    ),
    "tracker.signinattempt": Titles(
        _("Select a sign-in attempt to change"),
        _("Select a sign-in attempt to view"),
        _("Add a sign-in attempt"),
        _("Change a sign-in attempt"),
        _("View a sign-in attempt"),
        _("Delete this sign-in attempt"),
    ),
    "tracker.signin": Titles(
        _("Select a sign-in to change"),
        _("Select a sign-in to view"),
        _("Add a sign-in"),
        _("Change a sign-in"),
        _("View a sign-in"),
        _("Delete this sign-in"),
    ),
    "tracker.failedsignin": Titles(
        _("Select a failed sign-in to change"),
        _("Select a failed sign-in to view"),
        _("Add a failed sign-in"),
        _("Change a failed sign-in"),
        _("View a failed sign-in"),
        _("Delete this failed sign-in"),
    ),
}


def titles_of(model) -> Titles | None:
    return TITLES.get(model._meta.label_lower)


class TitledAdmin:
    """A ModelAdmin mixin: the model's sentences (TITLES) as its pages' titles."""

    def changelist_view(self, request, extra_context=None):
        titles = titles_of(self.model)
        if titles:
            may_change = self.has_change_permission(request)
            extra_context = {
                "title": titles.choose if may_change else titles.choose_to_view,
                "add_title": titles.add,
                **(extra_context or {}),
            }
        return super().changelist_view(request, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        titles = titles_of(self.model)
        if titles:
            if add:
                context["title"] = titles.add
            else:
                editable = self.has_change_permission(request, obj)
                context["title"] = titles.change if editable else titles.view
            context["add_title"] = titles.add
            context["delete_title"] = titles.delete
        return super().render_change_form(request, context, add, change, form_url, obj)
