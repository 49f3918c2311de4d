"""Views for helping residents without e-mail, and for taking such an account over."""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_user

from marketplace import clock, policy
from marketplace.assisted import acting, services
from marketplace.assisted.forms import ForgetForm, NewResidentForm, SearchForm, TakeOverForm
from marketplace.assisted.labels import CHANNEL_LABELS, CONSENT_LABELS, CONTACT_LABELS
from marketplace.assisted.models import AssistedResident, Channel, ConsentWay
from marketplace.auth import mails, sessions
from marketplace.auth.services import browser_digest
from marketplace.commitments.forms import ActionForm
from marketplace.commitments.models import Commitment
from marketplace.extensions import db, limiter
from marketplace.listings.labels import KIND_LABELS, STATUS_LABELS
from marketplace.listings.models import Listing
from marketplace.privacy.erasure import delete_account
from marketplace.transaction import done, run, saved

bp = Blueprint("assisted", __name__)
PAGE_SIZE = 50
MAX_UPDATES = 200  # passed on in one go


def _employee_may_assist() -> None:
    """The pages below are the employee's own, also while they help someone."""
    if not current_user.is_authenticated:
        abort(current_app.login_manager.unauthorized())
    if not policy.can(current_user, "resident.assist"):
        abort(403)


def _resident(person_id: int) -> AssistedResident:
    """The resident, for an employee who may act for them; others get a 404 (a 403 would tell
    that a resident with this number is helped by some gemeente)."""
    _employee_may_assist()
    assisted = db.session.get(AssistedResident, person_id)
    if assisted is None or not policy.can(current_user, "resident.act_for", assisted):
        abort(404)
    return assisted


@bp.get("/hulp")
def index():
    _employee_may_assist()
    form = SearchForm(request.args)
    form.validate()
    page = db.paginate(services.residents_of(current_user.gemeente,
                                             "" if form.errors else form.q.data or ""),
                       per_page=PAGE_SIZE, error_out=False)
    return render_template("assisted/index.html", form=form, page=page,
                           helping=acting.helped_resident(), channel_labels=CHANNEL_LABELS)


@bp.route("/hulp/nieuw", methods=["GET", "POST"])
def new():
    _employee_may_assist()
    form = NewResidentForm()
    outcome = saved(form, lambda: services.register(
        current_user, current_user.gemeente,
        services.NewResident(name=form.name.data, channel=Channel(form.channel.data),
                             contact=form.contact.data,
                             consent_way=ConsentWay(form.consent_way.data),
                             consent_note=form.consent_note.data or "",
                             locale=form.language.data)))
    if outcome:
        flash(_("%(name)s is registered. Choose “Help now” to post or respond for them.",
                name=outcome.value.user.display_name), "success")
        return redirect(url_for("assisted.person", person_id=outcome.value.user_id))
    return render_template("assisted/new.html", form=form), outcome.status


@bp.get("/hulp/<id:person_id>")
def person(person_id: int):
    assisted = _resident(person_id)
    listings = db.session.scalars(
        sa.select(Listing).where(Listing.owner_id == assisted.user_id)
        .order_by(Listing.created_at.desc()).limit(PAGE_SIZE)).all()
    responses = db.session.scalars(
        sa.select(Commitment).where(Commitment.helper_id == assisted.user_id)
        .order_by(Commitment.created_at.desc()).limit(PAGE_SIZE)).all()
    return render_template(
        "assisted/person.html", assisted=assisted, person=assisted.user,
        updates=services.waiting_updates(assisted), listings=listings, responses=responses,
        form=ActionForm(), forget_form=ForgetForm(), helping=acting.helped_resident(),
        sms_length=services.SMS_LENGTH,
        channel_labels=CHANNEL_LABELS, contact_labels=CONTACT_LABELS,
        consent_labels=CONSENT_LABELS, kind_labels=KIND_LABELS, status_labels=STATUS_LABELS,
        code_valid=assisted.takeover_expires_at is not None
        and assisted.takeover_expires_at > clock.now())


@bp.post("/hulp/<id:person_id>/helpen")
def start(person_id: int):
    assisted = _resident(person_id)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    acting.start(assisted)
    flash(_("You now help %(name)s: what you post or answer is in their name. Stop when you "
            "are done.", name=assisted.user.display_name), "success")
    return redirect(url_for("listings.choose_kind"))


@bp.post("/hulp/stoppen")
def stop():
    _employee_may_assist()
    if not ActionForm().validate_on_submit():
        abort(400)
    person_id = acting.helping_id()
    acting.stop()
    flash(_("You stopped helping. You work as yourself again."), "success")
    if person_id is not None and db.session.get(AssistedResident, person_id) is not None:
        return redirect(url_for("assisted.person", person_id=person_id))
    return redirect(url_for("assisted.index"))


@bp.post("/hulp/<id:person_id>/doorgegeven")
def passed_on(person_id: int):
    assisted = _resident(person_id)
    ids = [int(value) for value in request.form.getlist("update")[:MAX_UPDATES]
           if value.isascii() and value.isdigit() and len(value) < 10]
    done(lambda: services.passed_on(current_user, assisted, ids),
         lambda count: ngettext("%(num)d update marked as passed on.",
                                "%(num)d updates marked as passed on.", count),
         ActionForm())
    return redirect(url_for("assisted.person", person_id=person_id))


@bp.get("/hulp/<id:person_id>/brief")
def letter(person_id: int):
    assisted = _resident(person_id)
    return render_template("assisted/letter.html", assisted=assisted, person=assisted.user,
                           updates=services.waiting_updates(assisted), today=clock.now(),
                           employee=current_user)


@bp.post("/hulp/<id:person_id>/code")
def code(person_id: int):
    assisted = _resident(person_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    outcome = run(lambda: services.make_takeover_code(current_user, assisted))
    if not outcome:
        flash(str(outcome.refusal), "error")
        return redirect(url_for("assisted.person", person_id=person_id))
    db.session.refresh(assisted)
    return render_template("assisted/code.html", assisted=assisted, person=assisted.user,
                           code=outcome.value, employee=current_user)


@bp.post("/hulp/<id:person_id>/wissen")
def forget(person_id: int):
    """Consent withdrawn: the account is deleted like any other (what neighbours rely on stays,
    without name), and the audit log says who did it and why."""
    assisted = _resident(person_id)
    form = ForgetForm()
    outcome = saved(form, lambda: delete_account(
        assisted.user, by=current_user, reason="assisted: the resident withdrew their consent"))
    if not outcome:
        for errors in form.errors.values():
            flash(" ".join(str(error) for error in errors), "error")
        if outcome.refusal is not None:
            flash(str(outcome.refusal), "error")
        return redirect(url_for("assisted.person", person_id=person_id, _anchor="forget"))
    outcome.value.clean_up()
    if acting.helping_id() == person_id:
        acting.stop()
    flash(_("The account and contact details are deleted."), "success")
    return redirect(url_for("assisted.index"))


@bp.route("/overnemen", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_TAKE_OVER"], methods=["POST"])
def take_over():
    if current_user.is_authenticated:
        flash(_("You are logged in already. Log out first to take over an account with a code."),
              "info")
        return redirect(url_for("main.home"))
    form = TakeOverForm()
    device = sessions.device_label(request.user_agent.string)

    def step():
        person = services.take_over(form.code.data, form.email.data, form.password.data,
                                    locale=str(get_locale()))
        sessions.start_session(person, remember=False, device=device)
        return person

    outcome = saved(form, step)
    if outcome:
        person = outcome.value
        login_user(person)
        browser = session.setdefault("signup_secret", secrets.token_urlsafe(24))
        mails.confirmation(person, browser_digest(browser))
        flash(_("Welcome, %(name)s. The account is yours now. Confirm your e-mail address with "
                "the link we sent you.", name=person.display_name), "success")
        return redirect(url_for("commitments.my_page"))
    return render_template("assisted/take_over.html", form=form), outcome.status
