"""The dashboard's figures as open data: JSON, and CSV tables of the series and the buurten."""

from __future__ import annotations

import csv
import io

from marketplace.accountability.open_data import ATTRIBUTION, LICENCE
from marketplace.insight.trends import SERIES, BuurtComparison, Trend

METHOD = ("Public listings only. 'posted': listings published; 'responses': responses to them; "
          "'realised': initiatives marked realised; 'pledged' and 'delivered': the gemeente's "
          "pledges made and delivered; 'helpers': distinct people who responded. Days are Dutch "
          "calendar days. The previous period is as long and ends the day before. Per buurt: "
          "posted plus responses per 1,000 residents (CBS kerncijfers); quiet below half the "
          "area's rate, busy above twice it with at least five, buurten under 250 residents "
          "left out.")


def _flag(comparison: BuurtComparison) -> dict[int, str]:
    flags = {rate.buurt.id: "quiet" for rate in comparison.quiet}
    flags.update({rate.buurt.id: "busy" for rate in comparison.busy})
    return flags


def trends_document(trend: Trend, comparison: BuurtComparison) -> dict:
    area, current, previous = trend.area, trend.current, trend.previous
    flags = _flag(comparison)
    return {
        "gemeente": {"code": area.gemeente.code, "name": area.gemeente.name},
        "wijk": area.wijk.code if area.wijk is not None else None,
        "buurt": area.buurt.code if area.buurt is not None else None,
        "period": {"from": current.period.start.isoformat(),
                   "until": current.period.end.isoformat()},
        "previous_period": {"from": previous.period.start.isoformat(),
                            "until": previous.period.end.isoformat()},
        "totals": current.totals,
        "previous_totals": previous.totals,
        "posted_by_kind": {kind.value: count for kind, count in current.posted_by_kind.items()},
        "step": trend.step,
        "series": [{"from": bucket.start.isoformat(), "until": bucket.end.isoformat(),
                    **bucket.values} for bucket in trend.buckets],
        "per_thousand_residents": comparison.area_per_thousand,
        "buurten": [{"code": rate.buurt.code, "name": rate.buurt.name,
                     "residents": rate.buurt.residents, "posted": rate.posted,
                     "responses": rate.responses, "per_thousand_residents": rate.per_thousand,
                     "flag": flags.get(rate.buurt.id)} for rate in comparison.rates],
        "method": METHOD,
        "licence": LICENCE,
        "attribution": ATTRIBUTION,
    }


def series_csv(document: dict) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["from", "until", *SERIES])
    for row in document["series"]:
        writer.writerow([row["from"], row["until"], *(row[name] for name in SERIES)])
    return out.getvalue()


def buurten_csv(document: dict) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    columns = ["code", "name", "residents", "posted", "responses", "per_thousand_residents",
               "flag"]
    writer.writerow(columns)
    for row in document["buurten"]:
        writer.writerow(["" if row[name] is None else row[name] for name in columns])
    return out.getvalue()
