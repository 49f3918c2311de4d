"""An employee working as an assisted resident.

While an employee helps a resident (the session names the resident), the pages residents use
(the map, listings, responses, messages, comments) see the resident as the person logged in, so
every journey is the same one residents take themselves. The rest of the site (accounts,
privacy, moderation, the desk, admin) is closed until the employee stops: the employee's own
powers never mix with the resident's.

Every change made this way is audited with the employee as actor and the resident named; a
listing posted this way is marked as posted with help.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask, flash, g, has_request_context, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, user_logged_in, user_logged_out
from sqlalchemy.orm import Session

from marketplace import policy
from marketplace.assisted.models import AssistedListing, AssistedResident
from marketplace.audit.services import record
from marketplace.auth.models import User
from marketplace.extensions import db
from marketplace.listings.models import Listing
from marketplace.refused import Refused
from marketplace.transaction import ACTOR_CHECKS

SESSION_KEY = "helping"
# The parts of the site that work as the resident: what residents themselves use to take part.
RESIDENT_BLUEPRINTS = frozenset({"main", "listings", "buurten", "api", "commitments", "comments",
                                 "following", "matching", "pwa"})
# Open as the employee themselves: the assisted pages (to stop, or to read the updates), log-out.
EMPLOYEE_ENDPOINTS = frozenset({"auth.logout", "static", "main.set_language", "main.healthz"})
_POSTED = "posted_with_help"


def init_app(app: Flask) -> None:
    app.before_request(_work_as_resident)
    if still_helping not in ACTOR_CHECKS:
        ACTOR_CHECKS.append(still_helping)
    # Whoever logs in or out on this browser starts as themselves.
    user_logged_in.connect(lambda *_args, **_kwargs: stop(), app)
    user_logged_out.connect(lambda *_args, **_kwargs: stop(), app)
    app.context_processor(lambda: {"helped_resident": helped_resident(),
                                   "posted_with_help": _posted_with_help})


def _posted_with_help(listing: Listing) -> bool:
    """True while the listing's initiator takes part through the gemeente: not once they took
    the account over, nor after the listing passed to someone else."""
    if db.session.get(AssistedListing, listing.id) is None:
        return False
    assisted = db.session.get(AssistedResident, listing.owner_id)
    return assisted is not None and assisted.taken_over_at is None


def helping_id() -> int | None:
    value = session.get(SESSION_KEY)
    return value if isinstance(value, int) else None


def start(assisted: AssistedResident) -> None:
    session[SESSION_KEY] = assisted.user_id
    _new_form_token()


def stop() -> None:
    if session.pop(SESSION_KEY, None) is not None:
        _new_form_token()


def _new_form_token() -> None:
    """Forms opened before the switch carry the old token and are refused as expired: a form
    filled in as the employee is never sent in the resident's name, nor the other way round."""
    session.pop("csrf_token", None)


def still_helping() -> None:
    """Within the step's transaction, after the resident's row is held: the employee may still
    act for them (the resident did not take the account over a moment ago, the employee did
    not lose their role). Called by the transaction layer before every step."""
    helper = current_user.assisted_by
    if helper is None:
        return
    db.session.expire(helper)
    assisted = db.session.execute(
        sa.select(AssistedResident).where(AssistedResident.user_id == current_user.id)
        .execution_options(populate_existing=True)).scalar_one_or_none()
    if assisted is None or not policy.can(helper, "resident.act_for", assisted):
        raise Refused(_("You no longer help this resident: they took over their account, or "
                        "you no longer work for their gemeente."))


def employee() -> User:
    """The person really logged in: the employee while helping, else the current user."""
    return current_user.assisted_by or current_user._get_current_object()


def _work_as_resident():
    person_id = helping_id()
    if person_id is None or request.endpoint is None or request.endpoint in EMPLOYEE_ENDPOINTS:
        return None
    if not current_user.is_authenticated:
        stop()
        return None
    assisted = db.session.get(AssistedResident, person_id)
    if assisted is None or not policy.can(current_user, "resident.act_for", assisted):
        stop()
        flash(_("You no longer help this resident: they took over their account, or you no "
                "longer work for their gemeente."), "info")
        # What was sent was meant for the resident: it must not be done in the employee's name.
        return None if request.method in ("GET", "HEAD") else redirect(url_for("main.home"))
    g.helped_resident = assisted
    blueprint = (request.endpoint or "").partition(".")[0]
    if blueprint == "assisted":
        return None  # the employee's own pages about the resident
    if blueprint not in RESIDENT_BLUEPRINTS:
        flash(_("You are helping %(name)s. Stop helping first to open this page.",
                name=assisted.user.display_name), "info")
        return redirect(url_for("assisted.person", person_id=person_id))
    resident = assisted.user
    resident.assisted_by = current_user._get_current_object()
    resident.login_token = current_user.login_token
    g._login_user = resident  # what Flask-Login's current_user answers from now on
    return None


def helped_resident() -> AssistedResident | None:
    """The resident the employee is helping in this request, if any."""
    return g.get("helped_resident") if has_request_context() else None


# Audit ----------------------------------------------------------------------------------------

def _acting() -> tuple[User, User] | None:
    """(employee, resident) while this request works as a resident."""
    if not has_request_context() or "_login_user" not in g:
        return None
    resident = g._login_user
    helper = getattr(resident, "assisted_by", None)
    return (helper, resident) if helper is not None else None


@sa.event.listens_for(Session, "before_commit")
def _audit_the_step(session) -> None:
    """Every step taken as a resident is in the audit log, in the step's own transaction: the
    employee as actor, the resident and the page's action named. (Per step, not per row: a
    step may change rows through plain UPDATEs, and a message's text must not be copied into
    the log.)"""
    acting = _acting()
    if acting is None or request.method in ("GET", "HEAD") or g.get("assisted_step_logged"):
        return
    helper, resident = acting
    g.assisted_step_logged = True
    assisted = g.get("helped_resident")
    record(helper, "assisted.act", resident,
           gemeente_id=assisted.gemeente_id if assisted is not None else None,
           after={"for_id": resident.id, "step": request.endpoint,
                  **{key: value for key, value in (request.view_args or {}).items()
                     if isinstance(value, int | str) and len(str(value)) <= 40}})


@sa.event.listens_for(Session, "after_flush")
def _mark_listings_posted_with_help(session, _context) -> None:
    """A listing posted as a resident is marked as posted with help, naming the employee."""
    acting = _acting()
    if acting is None:
        return
    new = [instance for instance in session.new if isinstance(instance, Listing)]
    if new:
        session.info.setdefault(_POSTED, []).extend((listing, acting[0].id) for listing in new)


@sa.event.listens_for(Session, "after_flush_postexec")
def _add_marks(session, _context) -> None:
    for listing, helper_id in session.info.pop(_POSTED, []):
        session.add(AssistedListing(listing_id=listing.id, helper_id=helper_id))


@sa.event.listens_for(Session, "after_soft_rollback")
def _forget_marks(session, _previous_transaction) -> None:
    session.info.pop(_POSTED, None)
