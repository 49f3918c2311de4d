"""Views for the home page, the language choice and /healthz."""

import sqlalchemy as sa
from flask import Blueprint, current_app, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from marketplace.buurten.forms import FindBuurtForm
from marketplace.extensions import db, limiter
from marketplace.geo.models import Gemeente
from marketplace.listings.queries import ListingFilter, public_listings, with_list_details
from marketplace.main.forms import LanguageForm
from marketplace.redirects import safe_next
from marketplace.transaction import run

bp = Blueprint("main", __name__)

LATEST_ON_HOME = 6


@bp.route("/")
def home():
    """The visitor's own buurt when we know it, a way to find it when we don't, and what is new."""
    buurt = current_user.home_buurt if current_user.is_authenticated else None
    nearby = db.session.scalars(with_list_details(public_listings(ListingFilter(buurt=buurt)))
                                .limit(LATEST_ON_HOME)).all() if buurt else []
    latest = db.session.scalars(
        with_list_details(public_listings(ListingFilter())).limit(LATEST_ON_HOME)).all()
    return render_template("main/home.html", buurt=buurt, nearby=nearby, latest=latest,
                           form=FindBuurtForm(), gemeente_count=db.session.scalar(
                               sa.select(sa.func.count(Gemeente.id))))


@bp.post("/taal")
def set_language():
    form = LanguageForm()
    if form.validate_on_submit():
        session["locale"] = form.language.data
        if current_user.is_authenticated:
            run(lambda: setattr(current_user, "locale", form.language.data))
    return redirect(safe_next(request.form.get("next")))


@bp.route("/healthz")
@limiter.exempt
def healthz():
    """200 when the app can reach its database, 503 when it cannot (for load balancers)."""
    try:
        db.session.execute(sa.select(1))
    except SQLAlchemyError:
        db.session.rollback()
        current_app.logger.exception("health check: database unreachable")
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")


@bp.route("/favicon.ico")
def favicon():
    return redirect(url_for("static", filename="img/favicon.svg"), code=301)
