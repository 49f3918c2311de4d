"""The buurt page: its listings, how many residents are active, a small map."""

import sqlalchemy as sa
from flask import Blueprint, render_template

from marketplace.auth.queries import wijkwerkers_for
from marketplace.extensions import db
from marketplace.geo.models import Buurt
from marketplace.listings.queries import (
    ListingFilter,
    active_residents_in,
    public_listings,
    with_list_details,
)

bp = Blueprint("buurten", __name__, url_prefix="/buurt")

PAGE_SIZE = 20


@bp.route("/<code>")
def show(code: str):
    buurt = db.first_or_404(sa.select(Buurt).where(Buurt.code == code))
    page = db.paginate(with_list_details(public_listings(ListingFilter(buurt=buurt))),
                       per_page=PAGE_SIZE, error_out=False)
    return render_template("buurten/show.html", buurt=buurt, page=page,
                           active_residents=active_residents_in(buurt),
                           wijkwerkers=wijkwerkers_for(buurt))
