"""How report figures read: shares rounded (not cut), differences signed."""

import pytest
from django.utils import translation

from reports.templatetags.report_tags import (
    grouped,
    percent,
    signed,
    signed_points,
    status_label,
    tr,
)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_a_share_is_rounded_to_one_decimal_not_cut():
    assert percent(2 / 3) == "66.7%"
    assert percent(0.35) == "35.0%"
    assert percent(None) == "—"


def test_differences_carry_their_sign():
    assert (signed(3), signed(-2), signed(0), signed(None)) == ("+3", "−2", "0", "")
    assert (signed(""), signed_points(""), percent("")) == ("", "", "—")  # no previous report
    assert signed_points(0.021) == "+2.1 pp"
    assert signed_points(-0.0012) == "−0.1 pp"
    assert signed_points(None) == ""


def test_names_in_a_frozen_report_follow_the_reader_with_fallbacks():
    row = {"name_kk": "Білім басқармасы", "name_ru": "Управление образования", "name_en": ""}
    assert tr(row) == "Управление образования"  # no English: Russian first
    with translation.override("kk"):
        assert tr(row) == "Білім басқармасы"
    assert status_label("partial") == "partially automated"
    assert status_label("unknown") == "—"


@pytest.mark.parametrize(
    ("language", "expected"), [("kk", "468\xa0438"), ("ru", "468\xa0438"), ("en", "468,438")]
)
def test_large_counts_are_grouped_as_the_reader_writes_them(language, expected):
    with translation.override(language):
        assert grouped(468438) == expected
        assert grouped(None) == "—"
