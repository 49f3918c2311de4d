"""The gemeente's dashboard (its staff and wijkwerkers) and the report of a wijk for the raad
(everyone): the same figures of public listings, for a chosen period and area."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from marketplace import policy
from marketplace.accountability.labels import PLEDGE_LABELS, ROLE_LABELS
from marketplace.auth.queries import assigned_buurt_ids
from marketplace.extensions import db
from marketplace.geo.models import Buurt, Gemeente, Wijk
from marketplace.insight import charts, notable, trends
from marketplace.insight.forms import AreaPeriodForm
from marketplace.listings.labels import KIND_PLURALS

bp = Blueprint("insight", __name__)

MINE = "mijn"
SERIES_TITLES = {
    "posted": _l("Listings posted"),
    "responses": _l("Responses"),
    "realised": _l("Initiatives realised"),
    "pledged": _l("Pledges made by the gemeente"),
    "delivered": _l("Pledges delivered"),
    "helpers": _l("Neighbours who helped"),
}


def _gemeente(code: str) -> Gemeente:
    return db.first_or_404(sa.select(Gemeente).where(Gemeente.code == code))


def _area_of(gemeente: Gemeente, choice: str, buurt_code: str | None) -> trends.Area:
    """The area asked for: a buurt (``?buurt=``), a wijk or "mine" (``?gebied=``), else the
    gemeente; an unknown code of this gemeente is not found."""
    if buurt_code:
        buurt = db.first_or_404(sa.select(Buurt).join(Wijk).where(
            Buurt.code == buurt_code, Wijk.gemeente_id == gemeente.id))
        return trends.Area(gemeente, wijk=None, buurt=buurt)
    if choice == MINE:
        return trends.Area(gemeente, buurt_ids=assigned_buurt_ids(current_user), mine=True)
    if choice:
        wijk = db.first_or_404(sa.select(Wijk).where(Wijk.code == choice,
                                                     Wijk.gemeente_id == gemeente.id))
        return trends.Area(gemeente, wijk=wijk)
    return trends.Area(gemeente)


def _area_choices(gemeente: Gemeente) -> list[tuple[str, str]]:
    """What the person may choose: the gemeente, their own area, the wijken they may see."""
    choices = []
    if policy.can(current_user, "insight.area", trends.Area(gemeente)):
        choices.append(("", _("All of %(gemeente)s", gemeente=gemeente.name)))
    else:
        choices.append((MINE, _("My area")))
    for wijk in db.session.scalars(sa.select(Wijk).where(Wijk.gemeente_id == gemeente.id)
                                   .order_by(Wijk.name, Wijk.code)):
        if policy.can(current_user, "insight.area", trends.Area(gemeente, wijk=wijk)):
            choices.append((wijk.code, _("Wijk %(wijk)s", wijk=wijk.name)))
    return choices


@bp.get("/gemeente/<code>/dashboard")
@login_required
def dashboard(code: str):
    gemeente = _gemeente(code)
    policy.authorize("insight.view", gemeente)
    form = AreaPeriodForm(request.args)
    form.gebied.choices = _area_choices(gemeente)
    form.validate()
    choice = request.args.get("gebied")
    if choice is None and not request.args.get("buurt"):
        choice = form.gebied.choices[0][0]  # a wijkwerker starts with their own area
    area = _area_of(gemeente, choice or "", request.args.get("buurt"))
    policy.authorize("insight.area", area)
    period = trends.period_from(request.args.get("van"), request.args.get("tot"))
    form.gebied.data, form.van.data, form.tot.data = choice, period.start, period.end
    context = _figures_context(area, period)
    context["part_links"] = {
        part.code: url_for("insight.dashboard", code=gemeente.code, van=period.start.isoformat(),
                           tot=period.end.isoformat(),
                           **({"gebied": part.code} if area.is_gemeente else {"buurt": part.code}))
        for part in context["parts"]}
    return render_template("insight/dashboard.html", **context, form=form)


@bp.get("/gemeente/<code>/wijk/<wijk_code>/rapport")
def report(code: str, wijk_code: str):
    """The wijk's figures for the raad, to print: public, like every figure in it."""
    gemeente = _gemeente(code)
    wijk = db.first_or_404(sa.select(Wijk).where(Wijk.code == wijk_code,
                                                 Wijk.gemeente_id == gemeente.id))
    area = trends.Area(gemeente, wijk=wijk)
    period = trends.period_from(request.args.get("van"), request.args.get("tot"))
    context = _figures_context(area, period)
    context["part_links"] = {part.code: url_for("buurten.show", code=part.code)
                             for part in context["parts"]}
    return render_template("insight/report.html", **context,
                           realised=notable.realised(area, period),
                           liveliest=notable.liveliest(area, period))


def _figures_context(area: trends.Area, period: trends.Period) -> dict:
    trend = trends.trend(area, period)
    comparison = trends.compare_buurten(trends.buurt_rates(area, period))
    labels = [_bucket_label(trend.step, bucket) for bucket in trend.buckets]
    return {
        "gemeente": area.gemeente, "area": area, "area_name": area_name(area),
        "period": period, "trend": trend, "comparison": comparison,
        "parts": trends.breakdown(area, comparison.rates),
        "charts": [charts.bar_chart(
            f"chart-{name}", str(SERIES_TITLES[name]),
            _("%(what)s per %(step)s from %(start)s to %(end)s: %(total)d in all.",
              what=SERIES_TITLES[name], step=STEP_NAMES[trend.step],
              start=format_date(period.start, "long"), end=format_date(period.end, "long"),
              total=trend.current.totals[name]),
            labels, [bucket.values[name] for bucket in trend.buckets])
            for name in trends.SERIES],
        "chart_rows": [(label, [bucket.values[name] for name in trends.SERIES])
                       for label, bucket in zip(labels, trend.buckets, strict=True)],
        "series_titles": SERIES_TITLES, "kind_plurals": KIND_PLURALS,
        "role_labels": ROLE_LABELS, "pledge_labels": PLEDGE_LABELS,
        "min_residents": trends.MIN_RESIDENTS,
    }


STEP_NAMES = {"day": _l("day"), "week": _l("week"), "month": _l("month"), "year": _l("year")}
BUCKET_FORMATS = {"day": "d MMM", "week": "d MMM", "month": "MMM yyyy", "year": "yyyy"}


def _bucket_label(step: str, bucket: trends.Bucket) -> str:
    return format_date(bucket.start, BUCKET_FORMATS[step])


def area_name(area: trends.Area) -> str:
    if area.buurt is not None:
        return _("Buurt %(buurt)s", buurt=area.buurt.name)
    if area.wijk is not None:
        return _("Wijk %(wijk)s", wijk=area.wijk.name)
    if area.mine:
        return _("My area")
    return area.gemeente.name
