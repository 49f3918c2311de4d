"""Views for reporting content and for the wijkwerker's queue and decisions."""

from flask import (
    Blueprint,
    abort,
    flash,
    has_request_context,
    redirect,
    render_template,
    request,
)
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import SelectChoice

from marketplace import policy
from marketplace.audit.labels import ACTION_LABELS
from marketplace.audit.queries import entries_about
from marketplace.auth.queries import ReviewerKind, reviewers_for, scope_of
from marketplace.commitments.forms import ActionForm
from marketplace.commitments.models import Message
from marketplace.extensions import db
from marketplace.listings.models import Category, Listing, ListingStatus
from marketplace.listings.queries import active_categories
from marketplace.moderation import services
from marketplace.moderation.cases import open_case_for
from marketplace.moderation.forms import (
    FlagForm,
    MoveForm,
    OptionalReasonForm,
    ReasonForm,
    SuspendForm,
)
from marketplace.moderation.items import (
    ItemModel,
    author_of,
    item_type_of,
    label_of,
    listing_of,
    load_item,
    may_report,
    moderation_url,
    public_url,
    text_of,
    visible_to,
)
from marketplace.moderation.labels import (
    CAUSE_LABELS,
    ITEM_LABELS,
    ITEM_SLUGS,
    REASON_LABELS,
)
from marketplace.moderation.models import FlagReason
from marketplace.moderation.queries import (
    open_cases,
    queue_rows,
    queue_size,
    typical_review_hours,
)
from marketplace.transaction import saved

bp = Blueprint("moderation", __name__, url_prefix="/moderatie")

PAGE_SIZE = 30
TYPE_BY_SLUG = {slug: item_type for item_type, slug in ITEM_SLUGS.items()}
SLUGS = "any(aanbod, opmerking, bericht)"


@bp.app_context_processor
def queue_size_in_menu() -> dict:
    """The number of open cases beside "Moderation" in the menu, for moderators only."""
    if not has_request_context() or not policy.can(current_user, "moderation.queue"):
        return {"queue_size": 0}
    return {"queue_size": queue_size(current_user)}


@bp.app_context_processor
def moderation_helpers() -> dict:
    return {"item_slugs": ITEM_SLUGS, "item_labels": ITEM_LABELS, "reason_labels": REASON_LABELS,
            "cause_labels": CAUSE_LABELS,
            "moderation_url": moderation_url, "label_of": label_of,
            "action_labels": ACTION_LABELS, "review_promise": review_promise}


def review_promise(listing: Listing) -> str:
    """Who will look at a listing that waits for approval, and how long that usually takes."""
    reviewers = reviewers_for(listing.buurt)
    names = ", ".join(person.display_name for person in reviewers.people[:3])
    who = {
        ReviewerKind.WIJKWERKER: _("%(names)s, wijkwerker of %(buurt)s, looks at it.",
                                   names=names, buurt=listing.buurt.name),
        ReviewerKind.GEMEENTE: _("%(buurt)s has no wijkwerker of its own yet, so a wijkwerker of "
                                 "%(gemeente)s looks at it (%(names)s).", buurt=listing.buurt.name,
                                 gemeente=listing.gemeente.name, names=names),
        ReviewerKind.GEMEENTE_ADMINS: _("No wijkwerker works in %(gemeente)s yet, so its "
                                        "admins look at it (%(names)s).",
                                        gemeente=listing.gemeente.name, names=names),
        ReviewerKind.ADMINS: _("No wijkwerker works in %(gemeente)s yet, so the admins of "
                               "Buurtmarkt look at it.", gemeente=listing.gemeente.name),
    }[reviewers.kind]
    hours = typical_review_hours(listing.gemeente_id)
    if hours is None:
        when = _("There are too few approvals in %(gemeente)s yet to say how long it takes.",
                 gemeente=listing.gemeente.name)
    elif hours < 48:
        when = ngettext("Over the last 90 days this took about %(num)d hour (median).",
                        "Over the last 90 days this took about %(num)d hours (median).",
                        max(1, round(hours)))
    else:
        when = ngettext("Over the last 90 days this took about %(num)d day (median).",
                        "Over the last 90 days this took about %(num)d days (median).",
                        round(hours / 24))
    return f"{who} {when}"


def _item(slug: str, item_id: int) -> ItemModel:
    return load_item(TYPE_BY_SLUG[slug], item_id) or abort(404)


@bp.route(f"/melden/<{SLUGS}:slug>/<id:item_id>", methods=["GET", "POST"])
@policy.require("content.flag")
def flag(slug: str, item_id: int):
    item = _item(slug, item_id)
    if not may_report(current_user, item):
        abort(404)
    form = FlagForm()
    outcome = saved(form, lambda: services.flag(current_user, item, FlagReason(form.reason.data),
                                                form.note.data), pace="report")
    if outcome:
        flash(_("Thank you. A wijkwerker of the buurt will look at it."), "success")
        return redirect(public_url(item))
    shown = text_of(item) if visible_to(current_user, item) else None  # not what reports hid
    return render_template("moderation/flag.html", form=form, item=item, text=shown,
                           back=public_url(item)), outcome.status


@bp.route("/")
@policy.require("moderation.queue")
def queue():
    escalated_only = request.args.get("doorgezet") == "1"
    page = db.paginate(open_cases(current_user, escalated_only), per_page=PAGE_SIZE,
                       error_out=False)
    return render_template("moderation/queue.html", page=page, rows=queue_rows(page.items),
                           escalated_only=escalated_only, scope=scope_of(current_user))


def _moderated_item(slug: str, item_id: int) -> ItemModel:
    item = _item(slug, item_id)
    policy.authorize("buurt.moderate", listing_of(item).buurt)
    if isinstance(item, Message) and not services.was_reported(item):
        abort(404)  # private messages are read by a moderator only after a report
    return item


def _move_form(listing: Listing, form: MoveForm | None = None) -> MoveForm:
    form = form or MoveForm(data={"category": listing.category_id, "buurt": listing.buurt})
    language = str(get_locale())
    categories = active_categories(listing.gemeente_id)
    if listing.category not in categories:
        categories.append(listing.category)
    form.category.choices = [SelectChoice(c.id, c.name(language)) for c in categories]
    # Within the gemeente; a wijkwerker moves listings within their own area only (the service
    # refuses other buurten with a message).
    form.buurt.gemeente = listing.gemeente
    return form


def _item_page(item: ItemModel, status: int = 200, **forms):
    listing = listing_of(item)
    author = author_of(item)
    blank = {name: form_class(prefix=prefix)
             for prefix, (name, form_class) in _FORMS.items() if name not in forms}
    forms = {**blank, "action_form": ActionForm(),
             "move_form": _move_form(listing) if item is listing else None, **forms}
    item_type = item_type_of(item)
    return render_template(
        "moderation/item.html", item=item, slug=ITEM_SLUGS[item_type], listing=listing,
        author=author, text=text_of(item), case=open_case_for(item),
        history=entries_about(item), is_listing=item is listing,
        is_pending=item is listing and listing.status is ListingStatus.PENDING,
        public_url=public_url(item), **forms), status


@bp.route(f"/<{SLUGS}:slug>/<id:item_id>")
def item(slug: str, item_id: int):
    return _item_page(_moderated_item(slug, item_id))


_DECISIONS = {
    "goedkeuren": (ActionForm, lambda item, form: services.approve(current_user, item),
                   _l("Approved and published.")),
    "verbergen": (ReasonForm, lambda item, form: services.hide(current_user, item,
                                                               form.reason.data),
                  _l("Hidden. The author sees your reason.")),
    "terugzetten": (OptionalReasonForm, lambda item, form: services.restore(
        current_user, item, form.reason.data), _l("Restored: it is visible again.")),
    "doorzetten": (ReasonForm, lambda item, form: services.escalate(current_user, item,
                                                                    form.reason.data),
                   _l("Handed on to an admin.")),
    "waarschuwen": (ReasonForm, lambda item, form: services.warn(
        current_user, author_of(item), item, form.reason.data), _l("The warning is sent.")),
    "schorsen": (SuspendForm, lambda item, form: services.suspend(
        current_user, author_of(item), item, form.days.data, form.reason.data),
        _l("Suspended. Their content is hidden until the suspension ends.")),
    "opheffen": (ActionForm, lambda item, form: services.lift_suspension(
        current_user, author_of(item), item), _l("The suspension is lifted.")),
}
# The decisions with a form of their own on the item page; the prefix keeps their fields apart.
_FORMS = {"verbergen": ("hide_form", ReasonForm), "terugzetten": ("restore_form", OptionalReasonForm),
          "doorzetten": ("escalate_form", ReasonForm), "waarschuwen": ("warn_form", ReasonForm),
          "schorsen": ("suspend_form", SuspendForm)}
DECISIONS = ("any(goedkeuren, verbergen, terugzetten, doorzetten, waarschuwen, schorsen, "
             "opheffen)")


@bp.post(f"/<{SLUGS}:slug>/<id:item_id>/<{DECISIONS}:decision>")
def decide(slug: str, item_id: int, decision: str):
    item = _moderated_item(slug, item_id)
    form_class, action, done = _DECISIONS[decision]
    form = form_class(prefix=decision) if decision in _FORMS else form_class()
    if saved(form, lambda: action(item, form)):
        flash(str(done), "success")
        return redirect(moderation_url(item))
    if decision in _FORMS:
        return _item_page(item, 400, **{_FORMS[decision][0]: form})
    for message in form.form_errors or [_("The form expired; try again.")]:
        flash(message, "error")
    return redirect(moderation_url(item))


@bp.post("/aanbod/<id:item_id>/verplaatsen")
def move(item_id: int):
    listing = _moderated_item("aanbod", item_id)
    form = _move_form(listing, MoveForm())
    if saved(form, lambda: services.recategorise(
            current_user, listing, db.session.get(Category, form.category.data),
            form.buurt.data, form.reason.data)):
        flash(_("The listing is moved."), "success")
        return redirect(moderation_url(listing))
    return _item_page(listing, 400, move_form=form)
