"""Views for staff: setting the gemeente's role and keeping its pledges."""

import sqlalchemy as sa
from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from marketplace import clock, policy
from marketplace.accountability import answers, requests, services
from marketplace.accountability import ledger as ledger_queries
from marketplace.accountability.forms import (
    AnswerForm,
    AskForm,
    ClosePledgeForm,
    ContestForm,
    DeclineForm,
    FiguresBuurtForm,
    PledgeForm,
    RoleForm,
)
from marketplace.accountability.labels import (
    PLEDGE_LABELS,
    PLEDGE_STATUS_LABELS,
    ROLE_LABELS,
    ROLE_SENTENCES,
)
from marketplace.accountability.models import GemeenteRequest, GemeenteRole, Pledge, PledgeKind
from marketplace.accountability.workdays import local_date
from marketplace.commitments.forms import ActionForm
from marketplace.extensions import db
from marketplace.geo.models import Gemeente
from marketplace.listings import panels
from marketplace.listings.models import Listing, ListingKind, Resource
from marketplace.teams.models import Team
from marketplace.teams.routes import assign_form
from marketplace.teams.services import owner_of, teams_of
from marketplace.transaction import done

bp = Blueprint("accountability", __name__)
LEDGER_PAGE_SIZE = 50


@bp.app_context_processor
def answer_clocks() -> dict:
    """Pages listing an initiator's initiatives show where each stands with its answer."""
    return {"answer_clock": answers.answer_clock}


def _staff_listing(listing_id: int) -> Listing:
    listing = db.get_or_404(Listing, listing_id)
    if listing.kind is not ListingKind.INITIATIVE or not listing.is_public:
        abort(404)
    policy.authorize("gemeente.act_for", listing.gemeente)
    return listing


def _back(listing: Listing):
    return redirect(url_for("listings.detail", listing_id=listing.id, _anchor="gemeente"))


def _submit(form, listing: Listing, step, success: str):
    """Run the staff form's step, thank or explain, and go back to the initiative."""
    done(lambda: step(form), success, form)
    return _back(listing)


@bp.post("/l/<id:listing_id>/gemeente/rol")
def set_role(listing_id: int):
    listing = _staff_listing(listing_id)
    return _submit(RoleForm(), listing, lambda form: services.set_role(
        current_user, listing, GemeenteRole(form.role.data), form.explanation.data,
        form.contact.data), _("The gemeente's role is saved and public."))


def pledge_form_for(listing: Listing) -> PledgeForm:
    """The pledge form, offering the initiative's open questions to answer."""
    form = PledgeForm()
    form.team.choices = [SelectChoice(0, _("No team: name the department"))] + [
        SelectChoice(team.id, team.name) for team in teams_of(listing.gemeente)]
    form.answering.choices = [SelectChoice(0, _("No question: a pledge of its own"))] + [
        SelectChoice(question.id, f"{question.resource.description}: {question.motivation}"[:120])
        for question in requests.open_requests_of(listing)]
    return form


@bp.post("/l/<id:listing_id>/gemeente/toezeggingen")
def pledge(listing_id: int):
    listing = _staff_listing(listing_id)

    def step(form):
        answering = (db.session.get(GemeenteRequest, form.answering.data)
                     if form.answering.data else None)
        return services.make_pledge(
            current_user, listing, kind=PledgeKind(form.kind.data), amount=form.amount.data,
            description=form.description.data, department=form.department.data or "",
            due_on=form.due_on.data, answering=answering, covers=form.covers.data,
            team=db.session.get(Team, form.team.data) if form.team.data else None)

    return _submit(pledge_form_for(listing), listing, step, _("The pledge is saved and public."))


@bp.post("/l/<id:listing_id>/behoefte/<id:resource_id>/gemeente-vragen")
def ask(listing_id: int, resource_id: int):
    """"Vraag het de gemeente" about one need."""
    listing = policy.reveal("listing.view", db.get_or_404(Listing, listing_id))
    policy.authorize("gemeente.ask", listing)
    resource = db.get_or_404(Resource, resource_id)
    form = AskForm()
    done(lambda: requests.ask(current_user, listing, resource, PledgeKind(form.kind.data),
                              form.motivation.data),
         _("Your question is on the gemeente's desk. You hear when they answer."), form)
    return redirect(url_for("listings.detail", listing_id=listing.id,
                            _anchor=f"need-{resource.id}"))


@bp.post("/gemeente/vragen/<id:request_id>/nee")
def decline(request_id: int):
    question = db.get_or_404(GemeenteRequest, request_id)
    listing = _staff_listing(question.listing_id)
    return _submit(DeclineForm(), listing, lambda form: requests.decline(
        current_user, question, listing, form.note.data),
        _("The answer is public on the need, and the initiator is told."))


@bp.post("/toezeggingen/<id:pledge_id>/<any(deliver, withdraw):step>")
def close(pledge_id: int, step: str):
    found = db.get_or_404(Pledge, pledge_id)
    listing = _staff_listing(found.listing_id)
    return _submit(ClosePledgeForm(), listing, lambda form: services.close_pledge(
        current_user, found, listing, delivered=step == "deliver", note=form.note.data),
        _("The pledge is updated."))


@bp.post("/toezeggingen/<id:pledge_id>/<any(confirm, contest):answer>")
def klopt_het(pledge_id: int, answer: str):
    """"Klopt het?": the people running the initiative say whether the delivery is right."""
    found = db.get_or_404(Pledge, pledge_id)
    listing = policy.reveal("listing.view", db.get_or_404(Listing, found.listing_id))
    policy.authorize("pledge.confirm", listing)
    if answer == "confirm":
        done(lambda: services.confirm_pledge(current_user, found, listing),
             _("Thank you. The pledge now shows as kept."), ActionForm())
    else:
        form = ContestForm()
        done(lambda: services.contest_pledge(current_user, found, listing, form.note.data),
             _("Thank you. The gemeente sees what is missing and must deliver it."), form)
    return _back(listing)


@bp.post("/l/<id:listing_id>/gemeente/antwoord")
def answer(listing_id: int):
    listing = _staff_listing(listing_id)
    return _submit(AnswerForm(), listing, lambda form: answers.post_answer(
        current_user, listing, form.body.data),
        _("Your answer is posted and the initiator is told."))


@bp.route("/gemeente/balie")
@policy.require("gemeente.desk")
def desk():
    """The staff desk: initiatives waiting for an answer, questions from initiators, and
    pledges due soon, overdue or contested; for the whole gemeente, a team, or oneself."""
    gemeente = current_user.gemeente
    teams = teams_of(gemeente)
    team = next((t for t in teams if t.id == request.args.get("team", type=int)), None)
    mine = request.args.get("mijn") == "1"
    scope = answers.DeskScope(team_id=team.id if team else None,
                              person_id=current_user.id if mine else None)
    return render_template("accountability/desk.html", gemeente=gemeente, teams=teams,
                           team=team, mine=mine,
                           waiting=answers.waiting_initiatives(gemeente, scope),
                           pledges=answers.pledges_needing_attention(gemeente, scope),
                           questions=requests.open_requests_in(gemeente)
                           if not (team or mine) else [],
                           today=local_date(clock.now()), pledge_labels=PLEDGE_LABELS)


@bp.route("/gemeente/<code>/verantwoording")
def public_figures(code: str):
    """How fast the gemeente answers and whether it keeps its promises, for everyone to see."""
    gemeente = db.first_or_404(sa.select(Gemeente).where(Gemeente.code == code))
    picker = FiguresBuurtForm(request.args)
    picker.buurt.gemeente = gemeente
    picker.validate()
    buurt = picker.buurt.data
    start, end = answers.parse_period(request.args.get("van"), request.args.get("tot"))
    teams = teams_of(gemeente)
    team = next((t for t in teams if t.id == request.args.get("team", type=int)), None)
    return render_template(
        "accountability/public.html", gemeente=gemeente, buurt=buurt, start=start, end=end,
        figures=answers.figures(gemeente, start, end, buurt, team.id if team else None),
        role_labels=ROLE_LABELS, picker=picker, teams=teams, team=team)


@bp.route("/gemeente/<code>/wacht-op-de-gemeente")
def ledger(code: str):
    """What waits for the gemeente past its target, in public, per gemeente or buurt."""
    gemeente = db.first_or_404(sa.select(Gemeente).where(Gemeente.code == code))
    picker = FiguresBuurtForm(request.args)
    picker.buurt.gemeente = gemeente
    picker.validate()
    buurt = picker.buurt.data
    def page_number(name: str) -> int:
        return min(max(request.args.get(name, 1, type=int) or 1, 1), 100_000)

    answers_page = db.paginate(ledger_queries.overdue_answers(gemeente, buurt),
                               page=page_number("page"), per_page=LEDGER_PAGE_SIZE,
                               error_out=False)
    pledges_page = db.paginate(ledger_queries.waiting_pledges(gemeente, buurt),
                               page=page_number("p"), per_page=LEDGER_PAGE_SIZE, error_out=False)
    return render_template(
        "accountability/ledger.html", gemeente=gemeente, buurt=buurt, picker=picker,
        answers_page=answers_page, pledges_page=pledges_page,
        clocks={listing.id: answers.answer_clock(listing) for listing in answers_page.items},
        owners={listing.id: owner_of(listing) for listing in answers_page.items},
        today=local_date(clock.now()), pledge_labels=PLEDGE_LABELS,
        pledge_status_labels=PLEDGE_STATUS_LABELS,
        args={key: value for key, value in request.args.items() if key not in ("page", "p")})


def accountability_context(listing: Listing, **_passed_on) -> dict:
    """What an initiative's page shows about the gemeente, and the forms for its staff."""
    if listing.kind is not ListingKind.INITIATIVE:
        return {"gemeente_panel": False, "gemeente_requests": {}, "gemeente_cover": {},
                "may_ask": False}
    pledges = services.pledges_of(listing)
    role = services.current_role(listing)
    return {
        "gemeente_panel": True,
        "answer_clock": answers.answer_clock(listing),
        "followup_owner": (owner := owner_of(listing)),
        "assign_form": assign_form(listing.gemeente, owner.team if owner else None,
                                   owner.responsible if owner else None)
        if policy.can(current_user, "gemeente.act_for", listing.gemeente) else None,
        "role": role,
        "role_sentence": (str(ROLE_SENTENCES[role.role]) % {
            "date": format_date(role.created_at, "long")} if role else None),
        "role_history": services.role_history(listing),
        "pledges": pledges,
        "pledge_totals": services.pledge_totals(pledges),
        "today": local_date(clock.now()),
        "is_gemeente_staff": policy.can(current_user, "gemeente.act_for", listing.gemeente),
        "role_form": RoleForm(), "pledge_form": pledge_form_for(listing),
        "close_form": ClosePledgeForm(), "decline_form": DeclineForm(), "ask_form": AskForm(),
        "may_ask": policy.can(current_user, "gemeente.ask", listing),
        "gemeente_requests": requests.requests_of(listing),
        "gemeente_cover": requests.covered_by_gemeente(listing),
        "contest_form": ContestForm(),
        "may_confirm": policy.can(current_user, "pledge.confirm", listing),
        "answer_form": AnswerForm(), "gemeente_answers": answers.answers_of(listing),
        "role_labels": ROLE_LABELS,
        "pledge_labels": PLEDGE_LABELS, "pledge_status_labels": PLEDGE_STATUS_LABELS,
    }


panels.register(accountability_context)
