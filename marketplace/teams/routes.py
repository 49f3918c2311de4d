"""Views: a gemeente's teams (for its admins), and who owns an initiative's or pledge's
follow-up (for its staff)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectChoice

from marketplace import policy
from marketplace.accountability.models import Pledge
from marketplace.auth.models import User
from marketplace.extensions import db
from marketplace.geo.models import Gemeente
from marketplace.listings.models import Listing, ListingKind
from marketplace.teams import services
from marketplace.teams.forms import AssignForm, TeamForm
from marketplace.teams.models import Team
from marketplace.transaction import done, saved

bp = Blueprint("teams", __name__)


def _gemeente(code: str) -> Gemeente:
    gemeente = db.first_or_404(sa.select(Gemeente).where(Gemeente.code == code))
    policy.authorize("team.manage", gemeente)
    return gemeente


def team_form(gemeente: Gemeente, team: Team | None = None) -> TeamForm:
    form = TeamForm(obj=None)
    staff = services.staff_of(gemeente)
    form.coordinator.choices = [SelectChoice(0, _("No coordinator"))] + [
        SelectChoice(person.id, person.display_name) for person in staff]
    form.members.choices = [SelectChoice(person.id, person.display_name) for person in staff]
    if team is not None and not form.is_submitted():
        form.name.data = team.name
        form.coordinator.data = team.coordinator_id or 0
        form.members.data = [member.id for member in team.members]
    return form


def _people(ids) -> list[User]:
    return list(db.session.scalars(sa.select(User).where(User.id.in_(list(ids or [])))))


@bp.route("/beheer/gemeenten/<code>/teams", methods=["GET", "POST"])
@bp.route("/beheer/gemeenten/<code>/teams/<id:team_id>", methods=["GET", "POST"])
@login_required
def manage(code: str, team_id: int | None = None):
    """The gemeente's teams, and the form for a new one or the one chosen."""
    gemeente = _gemeente(code)
    team = db.get_or_404(Team, team_id) if team_id is not None else None
    if team is not None and team.gemeente_id != gemeente.id:
        abort(404)
    form = team_form(gemeente, team)
    outcome = saved(form, lambda: services.save_team(
        current_user, gemeente, team, name=form.name.data,
        coordinator=db.session.get(User, form.coordinator.data) if form.coordinator.data else None,
        members=_people(form.members.data)))
    if outcome:
        flash(_("The team is saved."), "success")
        return redirect(url_for("teams.manage", code=gemeente.code))
    return render_template("teams/manage.html", gemeente=gemeente, team=team, form=form,
                           teams=services.teams_of(gemeente)), outcome.status


def assign_form(gemeente: Gemeente, team: Team | None = None,
                responsible: User | None = None) -> AssignForm:
    form = AssignForm()
    teams = services.teams_of(gemeente)
    form.team.choices = [SelectChoice(t.id, t.name) for t in teams]
    form.responsible.choices = [SelectChoice(0, _("The whole team"))] + [
        SelectChoice(member.id, f"{member.display_name} ({t.name})")
        for t in teams for member in t.members]
    if not form.is_submitted():
        form.team.data = team.id if team is not None else None
        form.responsible.data = responsible.id if responsible is not None else 0
    return form


def _staff_initiative(listing_id: int) -> Listing:
    listing = db.get_or_404(Listing, listing_id)
    if listing.kind is not ListingKind.INITIATIVE or not listing.is_public:
        abort(404)
    policy.authorize("gemeente.act_for", listing.gemeente)
    return listing


def _chosen(form: AssignForm) -> tuple[Team | None, User | None]:
    team = db.session.get(Team, form.team.data) if form.team.data else None
    responsible = db.session.get(User, form.responsible.data) if form.responsible.data else None
    return team, responsible


@bp.post("/l/<id:listing_id>/gemeente/eigenaar")
def assign_initiative(listing_id: int):
    listing = _staff_initiative(listing_id)
    form = assign_form(listing.gemeente)

    def step():
        team, responsible = _chosen(form)
        if team is None:
            raise services.TeamRefused(_("Choose a team."), field="team")
        return services.assign_initiative(current_user, listing, team, responsible)

    done(step, _("The owner of the follow-up is saved."), form)
    return redirect(url_for("listings.detail", listing_id=listing.id, _anchor="gemeente"))


@bp.post("/toezeggingen/<id:pledge_id>/eigenaar")
def assign_pledge(pledge_id: int):
    pledge = db.get_or_404(Pledge, pledge_id)
    listing = _staff_initiative(pledge.listing_id)
    form = assign_form(listing.gemeente)

    def step():
        team, responsible = _chosen(form)
        if team is None:
            raise services.TeamRefused(_("Choose a team."), field="team")
        services.assign_pledge(current_user, pledge, listing, team, responsible)

    done(step, _("The owner of the pledge is saved."), form)
    return redirect(url_for("listings.detail", listing_id=listing.id, _anchor="gemeente"))
