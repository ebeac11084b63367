"""The words of a choice made by typing (select2's "Searching…", "No results found"), in
each of our languages. Select2 ships Russian but no Kazakh; these come from our own
catalogs instead, so a Kazakh reader never meets an English word in the middle of a page."""

import json

from django.conf import settings
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}

# select2's messages by the name it asks for them (only the first few ever show on a
# single choice; the rest are there so none falls back to English)
WORDS = {
    "searching": _("Searching…"),
    "noResults": _("Nothing matches."),
    "errorLoading": _("The choices could not be loaded."),
    "loadingMore": _("Loading more…"),
    "inputTooShort": _("Type a few more letters."),
    "inputTooLong": _("Type fewer letters."),
    "maximumSelected": _("No more can be chosen."),
    "removeAllItems": _("Clear the choice"),
}

# Defined as select2's own language files are: a module select2 asks for by the page's
# lang, each message a function.
SCRIPT = """(function () {
  if (!(window.jQuery && jQuery.fn && jQuery.fn.select2 && jQuery.fn.select2.amd)) return;
  var words = %(words)s;
  jQuery.fn.select2.amd.define(%(module)s, [], function () {
    var messages = {};
    Object.keys(words).forEach(function (name) {
      messages[name] = function () { return words[name]; };
    });
    return messages;
  });
})();
"""


def choice_words_url(language: str) -> str:
    return reverse("choice_words", kwargs={"language": language})


@require_GET
@cache_control(max_age=24 * 3600, public=True)  # one address a language, the same for all
def choice_words(request, language):
    if language not in LANGUAGE_CODES:
        raise Http404
    with translation.override(language):
        words = {name: str(text) for name, text in WORDS.items()}
    script = SCRIPT % {
        "words": json.dumps(words, ensure_ascii=False),
        "module": json.dumps(f"select2/i18n/{language}"),
    }
    return HttpResponse(script, content_type="text/javascript; charset=utf-8")
