"""The public figures as open data: JSON and CSV, with the same parameters as the page."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict
from datetime import date

from marketplace.accountability.answers import Figures

LICENCE = {"name": "CC0 1.0", "url": "https://creativecommons.org/publicdomain/zero/1.0/"}
ATTRIBUTION = "Buurtmarkt"
METHOD = ("Working days (Monday to Friday, without Dutch public holidays) from publication to "
          "the gemeente's first answer (a role or a message). Initiatives still waiting count "
          "too, for as long as they have waited (Kaplan-Meier); a quantile is null while too "
          "many still wait, and then only the longest wait so far is known.")


def figures_document(gemeente, start: date, end: date, buurt, team, figures: Figures) -> dict:
    data = asdict(figures)
    return {
        "gemeente": {"code": gemeente.code, "name": gemeente.name},
        "period": {"from": start.isoformat(), "until": end.isoformat()},
        "buurt": buurt.code if buurt is not None else None,
        "team": team.name if team is not None else None,
        "answer_target_working_days": gemeente.answer_target_days,
        "initiatives": {
            "published": data["published"], "answered": data["answered"],
            "still_waiting": data["waiting"],
            "oldest_wait_working_days": data["oldest_wait_days"],
            "half_answered_within_working_days": data["median_days"],
            "ninety_percent_answered_within_working_days": data["p90_days"],
            "longest_wait_working_days": data["longest_wait_days"],
            "median_of_answered_working_days": data["answered_median_days"],
            "answered_within_target_share": data["within_target_share"],
            "waiting_past_target": data["waiting_overdue"],
        },
        "pledges": data["pledges"],
        "pledged": {kind.value: amount for kind, amount in figures.pledged_amounts.items()},
        "roles": {role.value: count for role, count in figures.roles.items()},
        "method": METHOD,
        "licence": LICENCE,
        "attribution": ATTRIBUTION,
    }


def figures_csv(document: dict) -> str:
    """One figure per row: ``figure,value``, nested names joined with dots."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["figure", "value"])

    def walk(prefix: str, value) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(f"{prefix}.{key}" if prefix else key, inner)
        else:
            writer.writerow([prefix, "" if value is None else value])

    walk("", document)
    return out.getvalue()
