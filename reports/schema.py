"""Reading a frozen report in the current shape, whatever schema it was built with.

A snapshot is never rewritten (reports.build), so a report built before the claims were
shown apart (schema 2) lacks the verified figures the pages read first. They follow from
what it holds — verified is electronic without the claims awaiting verification — and are
added when the report is read; figures that cannot be recovered (which socially
significant services were claims) stay unknown rather than guessed.
"""

from reports.figures import share


def readable(content: dict) -> dict:
    """``content`` with every figure the pages read (a copy where one was added)."""
    if content.get("schema", 0) >= 3:
        return content
    content = dict(content)
    content["summary"] = _with_verified(content["summary"])
    content["summary"].setdefault("share_socially_significant_verified", None)
    content["departments"] = [_with_verified(row) for row in content.get("departments", [])]
    if content.get("readiness"):
        readiness = dict(content["readiness"])
        if "source" in readiness:  # one text in whatever language it was written
            readiness["source_ru"] = readiness.pop("source")
        readiness["indicators"] = [
            {"change": None} | row for row in readiness.get("indicators", [])
        ]
        content["readiness"] = readiness
    content["targets"] = [
        {"claimed": None, "actual_with_claims": target.get("actual")} | target
        for target in content.get("targets") or []
    ]
    return content


def _with_verified(figures: dict) -> dict:
    verified = figures["digital"] - figures.get("awaiting_verification", 0)
    delta = figures.get("delta")
    if delta is not None:
        delta = delta | {"share_verified": None, "verified": None}
    return figures | {
        "verified": verified,
        "share_verified": share(verified, figures["total"]),
        "delta": delta,
    }
