"""Two snapshots of a region side by side: what moved between two meetings (verified
electronic services, as the brief counts them; reports.schema gives older ones the figures)."""

SUMMARY_FIGURES = [
    "total",
    "verified",
    "partial",
    "paper",
    "overdue",
    "socially_significant_verified",
]


def compare(older: dict, newer: dict) -> dict:
    """Figures of both snapshots with their differences, region and departments."""
    return {
        "summary": [_pair(key, older["summary"], newer["summary"]) for key in SUMMARY_FIGURES],
        "share": _pair("share_verified", older["summary"], newer["summary"]),
        "departments": _departments(older["departments"], newer["departments"]),
        "moved_up": _left_lagging(older, newer),
        "fell_behind": _left_lagging(newer, older),
    }


def _pair(key: str, older: dict | None, newer: dict | None) -> dict:
    old = (older or {}).get(key)
    new = (newer or {}).get(key)
    delta = None if old is None or new is None else round(new - old, 4)
    return {"key": key, "old": old, "new": new, "delta": delta}


def _departments(older_rows: list[dict], newer_rows: list[dict]) -> list[dict]:
    older_by_id = {row["id"]: row for row in older_rows}
    rows = []
    for row in newer_rows:  # in the newer ranking: laggards first
        before = older_by_id.pop(row["id"], None)
        rows.append(_department(row, before, row))
    rows.extend(_department(row, row, None) for row in older_by_id.values())
    return rows


def _department(names: dict, older: dict | None, newer: dict | None) -> dict:
    return {
        **{key: names[key] for key in ("id", "code", "name_kk", "name_ru", "name_en")},
        "verified": _pair("verified", older, newer),
        "share": _pair("share_verified", older, newer),
        "paper": _pair("paper", older, newer),
    }


def _left_lagging(before: dict, after: dict) -> list[dict]:
    """Services on the "still not electronic" list of ``before`` but not of ``after``."""
    still = {s["service_id"] for row in after["departments"] for s in row["lagging"]}
    return [
        service
        | {"department_code": row["code"]}
        | {
            f"department_{key}": row.get(key) or row.get(key.replace("short_", ""))
            for key in ("short_name_kk", "short_name_ru", "short_name_en")
        }
        for row in before["departments"]
        for service in row["lagging"]
        if service["service_id"] not in still
    ]
