"""Choices among many options that render as fast as the page around them."""

from urllib.parse import urlencode

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from unfold.widgets import UnfoldAdminSelectWidget

from tracker.choice_words import choice_words_url


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


class RegionDepartmentChoice(AutocompleteSelect):
    """A service's department chosen by typing its name, among the departments of the
    service's region (at ten times the country a region has hundreds: a select of them
    all is most of the service's page). The region narrows the list it offers; the form's
    own choices still decide what may be saved."""

    def __init__(self, field, admin_site, region_id: int, **kwargs):
        super().__init__(field, admin_site, **kwargs)
        self.region_id = region_id
        self.i18n_name = get_language()  # select2's words from tracker.choice_words

    def get_url(self):
        return f"{super().get_url()}?{urlencode({'region': self.region_id})}"

    @property
    def media(self):
        # Django's own media, with the reader's words in place of select2's file (it has
        # none for Kazakh): after select2 itself, before the admin starts it.
        media = super().media
        own_words = f"admin/js/vendor/select2/i18n/{self.i18n_name}.js"
        return forms.Media(
            js=[choice_words_url(self.i18n_name) if js == own_words else js for js in media._js],
            css=media._css,
        )
