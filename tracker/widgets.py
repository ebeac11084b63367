"""A select of many options that renders as fast as the page around it."""

from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from unfold.widgets import UnfoldAdminSelectWidget


class QuickSelect(UnfoldAdminSelectWidget):
    """Unfold's select with its options written in one pass, not one template each: a
    region of a few hundred departments costs the service's page a millisecond, not
    ten. Plain options only (no groups, no per-option attributes)."""

    template_name = "tracker/widgets/quick_select.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        options = (
            option
            for _group, group_options, _index in context["widget"]["optgroups"]
            for option in group_options
        )
        context["widget"]["options_html"] = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (
                    option["value"],
                    mark_safe(" selected") if option["selected"] else "",
                    option["label"],
                )
                for option in options
            ),
        )
        return context
