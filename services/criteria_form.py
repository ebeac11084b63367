"""The service page's "How electronic" part: an answer per criterion in use, the proof
of a claimed "yes", and the life events the service serves.

The fields are added to the admin's ServiceForm per request (the criteria are data the
national level edits), checked with the writes' own rule (services.criteria_writes) so a
refusal shows on its field, and written by ServiceAdmin.save_model through those writes.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from unfold.widgets import UnfoldAdminSelectWidget, UnfoldAdminURLInputWidget

from services.criteria_writes import is_claim, require_evidence
from services.models import Answer, Criterion, LifeEvent, ServiceCriterion

PREFIX = "criterion_"


def field_name(criterion: Criterion) -> str:
    return f"{PREFIX}{criterion.code}"


def criteria_in_use() -> list[Criterion]:
    return list(Criterion.objects.filter(active=True))


class CriteriaFormMixin:
    """For a ModelForm of Service: call add_criteria_fields() in __init__."""

    def add_criteria_fields(self, criteria: list[Criterion]) -> None:
        self.criteria = criteria
        in_force = {}
        events = []
        if self.instance.pk:
            in_force = {
                row.criterion_id: row
                for row in ServiceCriterion.objects.filter(service=self.instance)
            }
            events = list(self.instance.life_events.values_list("pk", flat=True))
        self.answers_in_force = {}
        for criterion in criteria:
            row = in_force.get(criterion.pk)
            answer = row.answer if row else Answer.UNKNOWN
            self.answers_in_force[criterion.code] = answer
            help_text = (
                _("Awaiting the digital office's verification.") if row and row.awaiting else ""
            )
            self.fields[field_name(criterion)] = forms.ChoiceField(
                label=criterion.name,
                choices=Answer.choices,
                initial=answer,
                required=False,
                help_text=help_text,
                widget=UnfoldAdminSelectWidget,
            )
        self.fields["criteria_evidence_url"] = forms.URLField(
            label=_("Evidence for the criteria"),
            required=False,
            max_length=500,
            assume_scheme="https",
            widget=UnfoldAdminURLInputWidget,
            help_text=_(
                "Needed when you answer “yes”: a page that shows it, e.g. the service on "
                "egov.kz. The digital office checks it."
            ),
        )
        self.fields["life_events"] = forms.ModelMultipleChoiceField(
            label=_("life events"),
            queryset=LifeEvent.objects.all(),
            required=False,
            initial=events,
            widget=forms.CheckboxSelectMultiple,
            help_text=_("The moments of a citizen's life this service is part of."),
        )

    def criteria_answers(self) -> dict[str, str]:
        """The answers this form changes: {criterion code: answer}."""
        changed = {}
        for criterion in getattr(self, "criteria", []):
            if field_name(criterion) not in self.data:
                continue  # not sent (a page without the field): left as it is
            answer = self.cleaned_data.get(field_name(criterion)) or Answer.UNKNOWN
            if answer != self.answers_in_force[criterion.code]:
                changed[criterion.code] = answer
        return changed

    def check_criteria_claims(self, department, user) -> None:
        """A head's new "yes" needs proof: the writes' rule, on the form's field."""
        raised = any(answer == Answer.YES for answer in self.criteria_answers().values())
        if raised and department is not None and user is not None and is_claim(department, user):
            try:
                require_evidence(self.cleaned_data.get("criteria_evidence_url") or "")
            except forms.ValidationError as refusal:
                self.add_error(None, refusal)
