"""Views for the map and list, a listing's page, and posting and editing listings."""

import re
from urllib.parse import urlencode

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict
from wtforms import SelectChoice

from marketplace import policy
from marketplace.extensions import db, limiter
from marketplace.following.models import ProgressUpdate
from marketplace.geo.geocoding import GeocodingUnavailable, search_address
from marketplace.geo.models import Gemeente
from marketplace.ids import parse_id
from marketplace.listings import copies, events, lifecycle, panels, services
from marketplace.listings.filters import parse_filter
from marketplace.listings.forms import UNIT_HINTS, BuurtFilterForm, ListingForm, StatusForm
from marketplace.listings.labels import (
    KIND_BY_SLUG,
    KIND_LABELS,
    KIND_PLURALS,
    KIND_SLUGS,
    RESOURCE_LABELS,
    STATUS_LABELS,
    TRANSITION_LABELS,
)
from marketplace.listings.models import (
    PUBLIC_STATUSES,
    Category,
    Listing,
    ListingKind,
    ListingStatus,
    Photo,
    ResourceKind,
)
from marketplace.listings.photos import PhotoRefused, delete_files, store_photo, upload_dir
from marketplace.listings.queries import (
    EXTRA_FILTERS,
    active_categories,
    count_up_to,
    distance_km,
    public_listings,
    with_list_details,
)
from marketplace.listings.search import RANKED_AMONG
from marketplace.pace import keep_pace
from marketplace.refused import TooFast
from marketplace.transaction import done, run

bp = Blueprint("listings", __name__)

LIST_PAGE_SIZE = 20
COUNT_CAP = 1000


@bp.app_context_processor
def listing_labels() -> dict:
    """The words for kinds, statuses and needs, for every template that shows listings."""
    return {"kind_labels": KIND_LABELS, "kind_plurals": KIND_PLURALS, "kind_slugs": KIND_SLUGS,
            "status_labels": STATUS_LABELS, "resource_labels": RESOURCE_LABELS,
            "language": str(get_locale())}


def _map_area(criteria) -> tuple[float, float, float, float] | None:
    """Where the map opens: the chosen buurt, or all gemeenten together."""
    if criteria.buurt is not None:
        return criteria.buurt.bbox
    return _all_gemeenten_area()


def _all_gemeenten_area() -> tuple[float, float, float, float] | None:
    """The real gemeenten together; the demo's only while there are none (it lies at sea)."""
    extent = sa.select(sa.func.min(Gemeente.min_lon), sa.func.min(Gemeente.min_lat),
                       sa.func.max(Gemeente.max_lon), sa.func.max(Gemeente.max_lat))
    for query in (extent.where(Gemeente.is_demo.is_(False)), extent):
        box = db.session.execute(query).one()
        if box[0] is not None:
            return tuple(box)
    return None


def _picker_area() -> tuple[float, float, float, float] | None:
    """Where the location picker opens (when no spot is chosen yet): the poster's home buurt,
    else the gemeente they work for (or the employee posting for them), else all gemeenten."""
    if current_user.home_buurt is not None:
        return current_user.home_buurt.bbox
    gemeente = (current_user.assisted_by or current_user).gemeente
    if gemeente is not None:
        return gemeente.bbox
    return _all_gemeenten_area()


# The map page's own parameters; the rest are the API's filters.
_PAGE_ONLY = ("page", "buurt", "buurt-keuze")


@bp.route("/kaart")
def map_page():
    picker = BuurtFilterForm(request.args)
    picker.validate()
    criteria, errors = parse_filter(MultiDict(
        [(key, value) for key, value in request.args.items(multi=True) if key not in _PAGE_ONLY]))
    criteria.buurt = picker.buurt.data
    if criteria.buurt is None and picker.buurt.text:
        criteria.buurt_code = picker.buurt.text  # asked for a buurt that was not found: nothing
    if picker.buurt.errors:
        errors["buurt"] = " ".join(picker.buurt.errors)
    query = public_listings(criteria)
    page = db.paginate(with_list_details(query), per_page=LIST_PAGE_SIZE, error_out=False,
                       count=False)
    # Counting every match of the whole country costs more than the page itself: count up to a
    # cap, beyond which nobody pages anyway.
    # A text search without "near" ranks only the newest RANKED_AMONG matches.
    ranked = bool(criteria.text) and criteria.near is None
    cap = RANKED_AMONG if ranked else COUNT_CAP
    matches = count_up_to(query, cap + 1)
    page.total = min(matches, cap)
    # Ranked, the query itself stops at the cap: reaching it means there may be more.
    more_than = cap if matches > cap or (ranked and matches == cap) else None
    distances = ({listing.id: distance_km(listing, *criteria.near) for listing in page.items}
                 if criteria.near else {})
    args = request.args.to_dict(flat=False)
    page_args = {key: value for key, value in args.items() if key != "page"}
    without_near = {key: value for key, value in page_args.items() if key != "near"}
    # What the map asks the API for: the same filters, the buurt as its code, no empty values.
    api_args = [(key, value) for key, value in request.args.items(multi=True)
                if key not in _PAGE_ONLY and value.strip()]
    if criteria.buurt is not None:
        api_args.append(("buurt", criteria.buurt.code))
    # The national categories and those of the chosen buurt's gemeente; one asked for by its
    # short name stays on offer, so that it stays chosen.
    categories = active_categories(criteria.buurt.wijk.gemeente_id if criteria.buurt else None)
    if criteria.category is not None and criteria.category not in categories:
        categories.append(criteria.category)
    return render_template(
        "listings/map.html", page=page, criteria=criteria, errors=errors, distances=distances,
        categories=categories, picker=picker, area=_map_area(criteria),
        filters_on=criteria.narrowings(), extra_filters=list(EXTRA_FILTERS.values()),
        public_statuses=PUBLIC_STATUSES, kinds=list(ListingKind), page_args=page_args,
        more_than=more_than, map_api=url_for("api.map_tile", level=0, x=0, y=0)[:-len("/0/0/0")],
        api_query=urlencode(api_args), without_near_url=url_for("listings.map_page", **without_near),
        kind_labels_json={kind.value: str(label) for kind, label in KIND_LABELS.items()},
        kind_plurals_json={kind.value: str(label) for kind, label in KIND_PLURALS.items()})


@bp.route("/nieuw")
@policy.require("listing.create")
def choose_kind():
    return render_template("listings/choose_kind.html", kinds=list(ListingKind))


def _category_gemeente_id(listing: Listing | None) -> int | None:
    """Whose own categories a listing form offers besides the national ones: the listing's
    gemeente, or for a new one the poster's (of their home buurt, else the one they work for)."""
    if listing is not None:
        return listing.gemeente_id
    home = current_user.home_buurt
    return home.wijk.gemeente_id if home is not None else current_user.gemeente_id


def _form_choices(form: ListingForm, listing: Listing | None = None) -> None:
    language = str(get_locale())
    categories = active_categories(_category_gemeente_id(listing))
    if listing is not None and listing.category not in categories:
        categories.append(listing.category)
    form.category.choices = [SelectChoice("", _("Choose a category…"))] + [
        SelectChoice(c.id, c.name(language)) for c in categories]
    if listing is not None:
        form.remove_photos.choices = [
            SelectChoice(photo.id, _("Photo %(number)d", number=number))
            for number, photo in enumerate(listing.photos, start=1)]


# "52.0907, 5.1214" or "52,0907 5,1214": what a map app copies for a spot.
_COORDINATES = re.compile(r"^\s*(-?\d{1,2}[.,]\d+)\s*[,; ]\s*(-?\d{1,3}[.,]\d+)\s*$")


def _resolve_location(form: ListingForm) -> bool:
    """Fill lat/lon from the typed address or pasted coordinates when no spot was picked on the
    map (works without JS)."""
    if form.lat.data is not None and form.lon.data is not None:
        return True
    if coordinates := _COORDINATES.match(form.address.data or ""):
        lat, lon = (float(part.replace(",", ".")) for part in coordinates.groups())
        if -90 <= lat <= 90 and -180 <= lon <= 180:
            form.lat.data, form.lon.data = lat, lon
            return True
    try:
        places = search_address(form.address.data)
    except GeocodingUnavailable:
        form.address.errors.append(_("The address search is not available right now. "
                                     "Paste the coordinates from a map app, or try again "
                                     "in a moment."))
        return False
    if not places:
        form.address.errors.append(_("We could not find this address. Check it, or give the "
                                     "postcode and house number."))
        return False
    form.lat.data, form.lon.data = places[0].lat, places[0].lon
    return True


def _listing_data(form: ListingForm, kind: ListingKind) -> services.ListingData:
    resources = [services.ResourceData(
        kind=ResourceKind(entry.kind.data), description=entry.description.data,
        quantity=entry.quantity.data, unit=entry.unit.data,
        id=parse_id(entry.id.data), needed_by=entry.needed_by.data)
        for entry in form.filled_resources()]
    return services.ListingData(
        title=form.title.data, description=form.description.data,
        category=db.session.get(Category, form.category.data),
        lat=form.lat.data, lon=form.lon.data, is_public_space=form.is_public_space.data,
        when_text=form.when_text.data if kind is not ListingKind.INITIATIVE else None,
        resources=resources)


def _store_uploads(form: ListingForm) -> list:
    """Save the chosen photos; on a refused one, delete what was saved and report it."""
    stored = []
    for upload in form.photos.data or []:
        if not upload or not upload.filename:
            continue
        try:
            stored.append(store_photo(upload.read(), upload.filename))
        except PhotoRefused as refusal:
            delete_files(*(name for photo in stored for name in (photo.filename, photo.thumbnail)))
            form.photos.errors.append(str(refusal))
            return []
    return stored


def _save(form: ListingForm, kind: ListingKind, listing: Listing | None):
    """Validate, store photos and run the service; returns the listing, or None with form errors.

    A new listing keeps the posting pace before the address is looked up or photos are read:
    those are the expensive parts, and a flood must not get that far."""
    if not form.validate_on_submit():
        return None
    if listing is None:
        try:
            keep_pace("listing", current_user)
        except TooFast as refusal:
            form.form_errors.append(str(refusal))
            return None
    if not _resolve_location(form):
        return None
    stored = _store_uploads(form)
    if form.photos.errors:
        return None
    new_files = [name for photo in stored for name in (photo.filename, photo.thumbnail)]

    def step() -> tuple[Listing, list[str]]:
        data = _listing_data(form, kind)
        saved_listing, removed_files = listing, []
        if saved_listing is None:
            saved_listing = services.create_listing(current_user, kind, data,
                                                    publish=bool(form.publish.data))
            source = copies.source_for(form.copied_from.data)
            if source is not None and source.kind is kind:
                events.copied.send(saved_listing, source=source)
        else:
            services.update_listing(saved_listing, data)
            removed_files = services.remove_photos(saved_listing,
                                                   set(form.remove_photos.data or []))
        services.add_photos(saved_listing, stored)
        return saved_listing, removed_files

    outcome = run(step)
    if not outcome:
        delete_files(*new_files)
        form.form_errors.append(str(outcome.refusal))
        return None
    saved_listing, removed_files = outcome.value
    delete_files(*removed_files)  # only once the listing no longer points at them
    return saved_listing


def _form_page(form: ListingForm, kind: ListingKind, listing: Listing | None):
    photos_lost = bool(request.files.getlist("photos") and any(
        f.filename for f in request.files.getlist("photos")))
    headings = {ListingKind.INITIATIVE: _("New initiative"), ListingKind.OFFER: _("New offer"),
                ListingKind.REQUEST: _("New request")}
    return render_template(
        "listings/form.html", form=form, kind=kind, listing=listing, area=_picker_area(),
        heading=_("Edit: %(title)s", title=listing.title) if listing else headings[kind],
        photos_lost=photos_lost and request.method == "POST",
        unit_hints={k.value: str(v) for k, v in UNIT_HINTS.items()})


@bp.route("/nieuw/<kind_slug>", methods=["GET", "POST"])
@policy.require("listing.create")
def create(kind_slug: str):
    kind = KIND_BY_SLUG.get(kind_slug) or abort(404)
    source = copies.source_for(request.args.get("van")) if request.method == "GET" else None
    form = ListingForm(data=_copy_of(source)) if source and source.kind is kind else ListingForm()
    if request.method == "GET" and kind is ListingKind.INITIATIVE:
        while len(form.resources) < 3:
            form.resources.append_entry()
    _form_choices(form)
    listing = _save(form, kind, None)
    if listing is not None:
        if listing.status is ListingStatus.DRAFT:
            flash(_("Saved as a draft. Only you can see it until you publish it."), "success")
        elif listing.status is ListingStatus.PENDING:
            flash(_("Sent. The first listings of new residents are looked at before they are "
                    "public; you hear when it is published."), "success")
        else:
            flash(_("Published. Your neighbours can see it now."), "success")
        return redirect(url_for("listings.detail", listing_id=listing.id))
    return _form_page(form, kind, None)


def _copy_of(source: Listing) -> dict:
    """A new listing's form filled from the one it copies: its words, category and needs (none
    of what was committed, and not its place, photos or people)."""
    return {"title": source.title, "description": source.description,
            "category": (source.category_id if source.category.active
                         and source.category.gemeente_id is None else None),
            "copied_from": str(source.id),
            "resources": [{"kind": need.kind.value, "description": need.description,
                           "quantity": need.quantity, "unit": need.unit}
                          for need in source.resources]}


def _visible_listing(listing_id: int) -> Listing:
    return policy.reveal("listing.view", db.get_or_404(Listing, listing_id))


@bp.route("/l/<id:listing_id>")
def detail(listing_id: int):
    return render_detail(_visible_listing(listing_id))


def render_detail(listing: Listing, comment_form=None) -> str:
    """The listing page; a comment form with errors is shown again with what was typed."""
    may_edit = policy.can(current_user, "listing.edit", listing)
    transitions = (
        [(status, TRANSITION_LABELS[status])
         for status in lifecycle.next_statuses(listing.kind, listing.status)]
        if may_edit else [])
    return render_template("listings/detail.html", listing=listing, may_edit=may_edit,
                           **panels.context_for(listing, comment_form=comment_form),
                           may_moderate=policy.can(current_user, "buurt.moderate",
                                                   listing.buurt),
                           transitions=transitions, status_form=StatusForm(),
                           share_url=url_for("listings.detail", listing_id=listing.id,
                                             _external=True))


def _editable_listing(listing_id: int) -> Listing:
    listing = db.get_or_404(Listing, listing_id)
    policy.authorize("listing.edit", listing)
    return listing


@bp.route("/l/<id:listing_id>/bewerken", methods=["GET", "POST"])
def edit(listing_id: int):
    listing = _editable_listing(listing_id)
    if request.method == "GET":
        form = ListingForm(data={
            "title": listing.title, "description": listing.description,
            "category": listing.category_id, "when_text": listing.when_text,
            "lat": listing.lat, "lon": listing.lon, "is_public_space": listing.is_public_space,
            "resources": [{"id": str(r.id), "kind": r.kind.value, "description": r.description,
                           "quantity": r.quantity, "unit": r.unit, "needed_by": r.needed_by}
                          for r in listing.resources],
        })
        if listing.kind is ListingKind.INITIATIVE and len(listing.resources) < services.MAX_NEEDS:
            form.resources.append_entry()
    else:
        form = ListingForm()
    _form_choices(form, listing)
    if _save(form, listing.kind, listing) is not None:
        flash(_("Your changes are saved."), "success")
        return redirect(url_for("listings.detail", listing_id=listing.id))
    return _form_page(form, listing.kind, listing)


@bp.post("/l/<id:listing_id>/status")
def change_status(listing_id: int):
    listing = _editable_listing(listing_id)
    form = StatusForm()
    done(lambda: services.change_status(current_user, listing, ListingStatus(form.status.data)),
         lambda _none: _("The status is now: %(status)s.", status=STATUS_LABELS[listing.status]),
         form)
    return redirect(url_for("listings.detail", listing_id=listing.id))


@bp.route("/media/<filename>")
def media(filename: str):
    """A listing's or progress update's photo, for whoever may see the listing."""
    listing = db.session.scalar(sa.select(Listing).join(Photo).where(
        sa.or_(Photo.filename == filename, Photo.thumbnail == filename)))
    if listing is None:
        listing = db.session.scalar(sa.select(Listing).join(
            ProgressUpdate, ProgressUpdate.listing_id == Listing.id).where(
            sa.or_(ProgressUpdate.photo == filename, ProgressUpdate.thumbnail == filename)))
    if listing is None or not policy.can(current_user, "listing.view", listing):
        abort(404)
    response = send_from_directory(upload_dir(), filename, max_age=86400)
    # Shared caches may keep a photo but must ask again each time (a 304 is cheap), so a photo
    # of a listing hidden since is not served from a cache.
    response.headers["Cache-Control"] = ("public, no-cache" if listing.is_public
                                         else "private, max-age=0")
    return response


@bp.route("/adres-zoeken")
@limiter.limit(lambda: current_app.config["RATELIMIT_GEOCODE"])
def geocode():
    """JSON for the location picker's address search."""
    from marketplace.api.problems import problem

    query = request.args.get("q", "").strip()
    if not 3 <= len(query) <= 200:
        return problem(400, _("Type at least 3 characters of the address."), param="q")
    try:
        places = search_address(query)
    except GeocodingUnavailable:
        return problem(503, _("The address search is not available right now. "
                              "Tap the spot on the map instead."))
    return {"results": [{"label": p.label, "lat": p.lat, "lon": p.lon} for p in places]}
