"""The governor's brief: what a meeting reads first, picked from a frozen report.

The report's content holds everything (reports.build); the brief is its first page —
headline figures, the laggards, readiness, the targets at risk and the few biggest
changes — and each department's part is its drill-down page and its section of the
PDF's annex. Nothing here reads the database: it only chooses and groups.
"""

BIGGEST_CHANGES = 5
AT_RISK = ("at_risk", "overdue")  # services.targets.TargetState, as the content stores it


def biggest_changes(departments: list[dict], *, limit: int = BIGGEST_CHANGES) -> list[dict]:
    """The departments whose verified electronic services moved most since the last
    report, either way (a fall is news too): by the count, then the share."""
    moved = [
        row
        for row in departments
        if row.get("delta") and (row["delta"].get("verified") or row["delta"].get("paper"))
    ]
    moved.sort(
        key=lambda row: (
            -abs(row["delta"].get("verified") or 0),
            -abs(row["delta"].get("share_verified") or 0),
            row["rank"],
        )
    )
    return moved[:limit]


def targets_at_risk_first(targets: list[dict]) -> list[dict]:
    """Overdue targets first, then those behind their plan line (each by deadline), then
    the rest as the report lists them."""
    return sorted(
        targets,
        key=lambda t: (
            t["state"] != "overdue",
            t["state"] not in AT_RISK,
            t["deadline"] if t["state"] in AT_RISK else "",
        ),
    )


def department_part(content: dict, department_id: int) -> dict | None:
    """One department's part of a report: its row, its services by status, its changes,
    its targets and its usage; None when the report does not list it."""
    row = next((row for row in content["departments"] if row["id"] == department_id), None)
    if row is None:
        return None
    return {
        "row": row,
        "lagging": row["lagging"],
        "electronic": row.get("electronic_services"),  # None: built before they were kept
        "changes": [c for c in content.get("changes", []) if _belongs(c, row)],
        "targets": [t for t in content.get("targets") or [] if t.get("department_id") == row["id"]],
        "usage": [u for u in content.get("take_up_by_service", []) if _belongs(u, row)],
    }


def department_parts(content: dict) -> list[dict]:
    """Every department's part, in the report's order (laggards first): the PDF annex."""
    return [department_part(content, row["id"]) for row in content["departments"]]


def _belongs(item: dict, row: dict) -> bool:
    # Rows of reports built before they carried the department's id name it by code.
    if "department_id" in item:
        return item["department_id"] == row["id"]
    return item.get("department_code") == row["code"]
