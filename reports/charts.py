"""Charts drawn on the server as SVG: no script, no internet, the same in HTML and PDF."""

from datetime import date

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe

from regions.translated import pick

BAR_HEIGHT = 22
LABEL_WIDTH = 260
BAR_AREA = 360
COLOURS = {"low": "#dc2626", "middle": "#d97706", "high": "#16a34a", "axis": "#9ca3af"}
NOTE_COLOUR = "#4b5563"


def department_share_chart(rows: list[dict]) -> str:
    """Horizontal bars: each department's share electronic (verified), in the report's
    order; its claims awaiting verification, paler, after it."""
    shown = [row for row in rows if row["total"]]
    height = BAR_HEIGHT * len(shown) + 24
    width = LABEL_WIDTH + BAR_AREA + 60
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'font-family="DejaVu Sans, sans-serif" '
        f'font-size="11">'
    ]
    for index, row in enumerate(shown):
        y = index * BAR_HEIGHT + 4
        share = row.get("share_verified", row["share_digital"]) or 0
        claimed = (row["share_digital"] or 0) - share
        label = escape(_shorten(pick(row, "short_name") or pick(row), 36))
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 14}" text-anchor="end">{label}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 2}" width="{BAR_AREA}" height="{BAR_HEIGHT - 6}" '
            f'fill="#f3f4f6"/>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 2}" width="{share * BAR_AREA:.1f}" '
            f'height="{BAR_HEIGHT - 6}" fill="{_colour(share)}"/>'
            + (
                f'<rect x="{LABEL_WIDTH + share * BAR_AREA:.1f}" y="{y + 2}" '
                f'width="{claimed * BAR_AREA:.1f}" height="{BAR_HEIGHT - 6}" '
                f'fill="{_colour(share)}" fill-opacity="0.3"/>'
                if claimed > 0
                else ""
            )
            + f'<text x="{LABEL_WIDTH + BAR_AREA + 6}" y="{y + 14}">{share * 100:.0f}%</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def trend_chart(
    points: list[tuple[date, float | None]],
    *,
    plan: tuple[tuple[date, float], tuple[date, float]] | None = None,
    notes: list[tuple[date, str]] | None = None,
) -> str:
    """A share over finished reports (one point a date); with ``plan``, the straight line
    a target promised, dashed, from where it started to its goal and deadline; with
    ``notes`` (a date, a label such as "1"), a thin dashed line at each date within the
    chart's dates, numbered at its top (reports.notes explains what the number stands for)."""
    by_day = {day: share for day, share in points if share is not None}  # latest build wins
    if len(by_day) < (1 if plan else 2):
        return ""
    days = sorted(by_day)
    axis = sorted([*days, *(day for day, _share in plan)]) if plan else days
    width, height, left, bottom = 640, 200, 40, 30
    span = max((axis[-1] - axis[0]).days, 1)

    def x(day):
        return left + (day - axis[0]).days / span * (width - left - 20)

    def y(share):
        return 10 + (1 - share) * (height - bottom - 10)

    line = " ".join(f"{x(day):.1f},{y(by_day[day]):.1f}" for day in days)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'font-family="DejaVu Sans, sans-serif" '
        f'font-size="11">'
    ]
    for share in (0, 0.5, 1):
        parts.append(
            f'<line x1="{left}" x2="{width - 20}" y1="{y(share):.1f}" y2="{y(share):.1f}" '
            f'stroke="{COLOURS["axis"]}" stroke-dasharray="3 3"/>'
            f'<text x="{left - 4}" y="{y(share) + 4:.1f}" text-anchor="end">'
            f"{share * 100:.0f}%</text>"
        )
    if plan:
        (start, start_share), (end, goal) = plan
        parts.append(
            f'<line x1="{x(start):.1f}" y1="{y(start_share):.1f}" x2="{x(end):.1f}" '
            f'y2="{y(goal):.1f}" stroke="#d97706" stroke-width="2" stroke-dasharray="6 4"/>'
            f'<circle cx="{x(end):.1f}" cy="{y(goal):.1f}" r="4" fill="#d97706"/>'
        )
    if notes:
        parts.extend(_note_markers(notes, axis[0], axis[-1], x=x, top=y(1), bottom=y(0)))
    parts.append(f'<polyline points="{line}" fill="none" stroke="#7c3aed" stroke-width="2"/>')
    for day in days:
        parts.append(f'<circle cx="{x(day):.1f}" cy="{y(by_day[day]):.1f}" r="3" fill="#7c3aed"/>')
    for day in (axis[0], axis[-1]):
        anchor = "start" if day == axis[0] else "end"
        parts.append(
            f'<text x="{x(day):.1f}" y="{height - 8}" text-anchor="{anchor}">'
            f"{escape(date_format(day, 'SHORT_DATE_FORMAT'))}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _note_markers(notes, first: date, last: date, *, x, top: float, bottom: float) -> list[str]:
    """A note's date as a dashed line with its label in a circle at the top, and the date
    as the tooltip; notes of one day stack their circles downwards."""
    parts, on_day = [], {}
    for day, label in sorted(notes, key=lambda note: note[0]):
        if not first <= day <= last:
            continue
        stacked = on_day.get(day, 0)
        on_day[day] = stacked + 1
        cy = top + stacked * 15
        parts.append(
            f'<g class="note"><title>{escape(label)} · '
            f"{escape(date_format(day, 'SHORT_DATE_FORMAT'))}</title>"
            f'<line x1="{x(day):.1f}" x2="{x(day):.1f}" y1="{top:.1f}" y2="{bottom:.1f}" '
            f'stroke="{NOTE_COLOUR}" stroke-width="1" stroke-dasharray="2 3"/>'
            f'<circle cx="{x(day):.1f}" cy="{cy:.1f}" r="7" fill="#ffffff" '
            f'stroke="{NOTE_COLOUR}"/>'
            f'<text x="{x(day):.1f}" y="{cy + 3:.1f}" text-anchor="middle" font-size="9">'
            f"{escape(label)}</text></g>"
        )
    return parts


# Twelve colours told apart in print and by most colour-blind readers (Paul Tol's "muted"
# and "bright" sets); lines past twelve repeat them dashed.
SERIES_COLOURS = [
    "#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77",
    "#CC6677", "#882255", "#AA4499", "#4477AA", "#EE6677", "#228833",
]  # fmt: skip


def regions_trend_chart(series: list[tuple[str, list[tuple[date, float]]]]) -> str:
    """Many regions' shares over time, one line each, named at its right end (sorted so
    the names stack in the order of the lines' last points)."""
    drawn = [(name, points) for name, points in series if points]
    days = sorted({day for _name, points in drawn for day, _share in points})
    if len(days) < 2:
        return ""
    width, height, left, right, bottom = 760, 320, 40, 170, 30
    span = max((days[-1] - days[0]).days, 1)

    def x(day):
        return left + (day - days[0]).days / span * (width - left - right)

    def y(share):
        return 10 + (1 - share) * (height - bottom - 10)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'font-family="DejaVu Sans, sans-serif" font-size="10">'
    ]
    for share in (0, 0.25, 0.5, 0.75, 1):
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(share):.1f}" y2="{y(share):.1f}" '
            f'stroke="{COLOURS["axis"]}" stroke-dasharray="3 3"/>'
            f'<text x="{left - 4}" y="{y(share) + 4:.1f}" text-anchor="end">'
            f"{share * 100:.0f}%</text>"
        )
    ends = []
    for index, (name, points) in enumerate(drawn):
        colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
        dash = ' stroke-dasharray="5 3"' if index >= len(SERIES_COLOURS) else ""
        line = " ".join(f"{x(day):.1f},{y(value):.1f}" for day, value in points)
        parts.append(
            f'<polyline points="{line}" fill="none" stroke="{colour}" stroke-width="1.5"{dash}>'
            f"<title>{escape(name)}</title></polyline>"
        )
        ends.append((y(points[-1][1]), name, colour))
    # Names at the right, in the order of the lines' ends, at least a line apart.
    ends.sort()
    label_y = 0.0
    for line_end, name, colour in ends:
        label_y = max(line_end + 3, label_y + 11)
        parts.append(
            f'<text x="{width - right + 6}" y="{label_y:.1f}" fill="{colour}">'
            f"{escape(_shorten(name, 26))}</text>"
        )
    for day in (days[0], days[-1]):
        anchor = "start" if day == days[0] else "end"
        parts.append(
            f'<text x="{x(day):.1f}" y="{height - 8}" text-anchor="{anchor}">'
            f"{escape(date_format(day, 'SHORT_DATE_FORMAT'))}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _colour(share: float) -> str:
    if share < 0.25:
        return COLOURS["low"]
    return COLOURS["middle"] if share < 0.6 else COLOURS["high"]


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
