"""Places: finding one's buurt, the buurt page, and the index of gemeenten."""

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from marketplace import policy
from marketplace.accountability import answers
from marketplace.accountability.labels import ROLE_LABELS
from marketplace.auth.queries import wijkwerkers_for
from marketplace.buurten import activity, questions
from marketplace.buurten.forms import AnswerForm, FindBuurtForm, FindGemeenteForm, QuestionForm
from marketplace.buurten.models import BuurtQuestion
from marketplace.extensions import db
from marketplace.following.routes import buurt_following_context
from marketplace.geo.locator import buurt_at
from marketplace.geo.models import Buurt, Gemeente
from marketplace.listings.filters import parse_numbers
from marketplace.listings.labels import KIND_BY_SLUG, KIND_PLURALS
from marketplace.listings.models import ListingKind, ListingStatus
from marketplace.listings.queries import (
    ListingFilter,
    active_residents_in,
    public_listings,
    with_list_details,
)
from marketplace.transaction import done, saved

bp = Blueprint("buurten", __name__)

PAGE_SIZE = 20
GEMEENTEN_PER_PAGE = 25
BUURTEN_PER_PAGE = 50
MAX_SEARCH = 60
REALISED_SHOWN = 6


@bp.route("/buurt/<code>")
def show(code: str):
    """What lives in a buurt: open listings by kind (``?soort=``), what was realised, who the
    wijkwerker is, and following it."""
    buurt = db.first_or_404(sa.select(Buurt).where(Buurt.code == code))
    kind = KIND_BY_SLUG.get(request.args.get("soort", ""))
    page = db.paginate(with_list_details(public_listings(ListingFilter(
        buurt=buurt, kinds=[kind] if kind else []))), per_page=PAGE_SIZE, error_out=False)
    realised = db.session.scalars(with_list_details(public_listings(ListingFilter(
        buurt=buurt, kinds=[ListingKind.INITIATIVE], statuses=[ListingStatus.REALISED])))
        .limit(REALISED_SHOWN)).all()
    start, end = answers.parse_period(None, None)
    figures = answers.figures(buurt.gemeente, start, end, buurt)
    pledges = figures.pledges
    return render_template("buurten/show.html", buurt=buurt, page=page, kind=kind,
                           gemeente_roles=figures.roles, role_labels=ROLE_LABELS,
                           pledges_kept=pledges["on_time"] + pledges["late"],
                           pledges_open=pledges["open"] + pledges["open_overdue"],
                           pledges_overdue=pledges["open_overdue"],
                           pledges_contested=pledges["contested"],
                           counts=activity.activity_of([buurt.id])[buurt.id],
                           realised=realised, active_residents=active_residents_in(buurt),
                           wijkwerkers=wijkwerkers_for(buurt),
                           **buurt_following_context(buurt))


@bp.route("/buurten")
def find():
    """Find a buurt by typing (the picker suggests; without JavaScript the matches come back
    here to choose from) and go to its page."""
    form = FindBuurtForm(request.args)
    if request.args and form.validate() and form.buurt.data is not None:
        return redirect(url_for("buurten.show", code=form.buurt.data.code))
    status = 400 if form.errors else 200
    return render_template("buurten/find.html", form=form), status


@bp.route("/buurten/hier")
def here():
    """The buurt at a position (from the device, on the home page), or why there is none."""
    point = parse_numbers(request.args.get("plek", ""), 2)
    if point is None or not (-90 <= point[0] <= 90 and -180 <= point[1] <= 180):
        return render_template("buurten/find.html", form=FindBuurtForm(),
                               problem=_("Your position did not come through. Type your buurt "
                                         "instead.")), 400
    buurt = buurt_at(point[0], point[1])
    if buurt is None:
        return render_template("buurten/find.html", form=FindBuurtForm(),
                               problem=_("Buurtmarkt has no buurt at your position yet. Type "
                                         "your buurt or gemeente instead.")), 404
    return redirect(url_for("buurten.show", code=buurt.code))


@bp.route("/gemeenten")
def gemeenten():
    """Every gemeente on Buurtmarkt, a page at a time, searchable by name."""
    form = FindGemeenteForm(request.args)
    return render_template("buurten/gemeenten.html", form=form,
                           found=form.results(GEMEENTEN_PER_PAGE))


@bp.route("/gemeente/<code>/buurten")
def index(code: str):
    """A gemeente's wijken and buurten with what lives in each, searchable, a page at a time."""
    gemeente = db.first_or_404(sa.select(Gemeente).where(Gemeente.code == code))
    search = request.args.get("q", "")[:MAX_SEARCH]
    page = db.paginate(activity.buurten_of(gemeente, search), per_page=BUURTEN_PER_PAGE,
                       error_out=False)
    return render_template("buurten/index.html", gemeente=gemeente, page=page, search=search,
                           activity=activity.activity_of([b.id for b in page.items]),
                           kind_plurals=KIND_PLURALS)


# Writing to the wijkwerker ---------------------------------------------------------------------

QUESTIONS_PER_PAGE = 20


@bp.route("/buurt/<code>/wijkwerker", methods=["GET", "POST"])
@login_required
def ask(code: str):
    """Write to the wijkwerker of the buurt; what one wrote here before, with the answers."""
    buurt = db.first_or_404(sa.select(Buurt).where(Buurt.code == code))
    form = QuestionForm()
    if saved(form, lambda: questions.ask(current_user, buurt, form.body.data), pace="message"):
        flash(_("Sent. You hear when the wijkwerker answers."), "success")
        return redirect(url_for("buurten.ask", code=buurt.code))
    asked = db.session.scalars(questions.asked_by(current_user)
                               .where(BuurtQuestion.buurt_id == buurt.id).limit(20)).all()
    return render_template("buurten/ask.html", buurt=buurt, form=form, asked=asked,
                           wijkwerkers=wijkwerkers_for(buurt),
                           may_ask=policy.can(current_user, "buurt.ask", buurt))


@bp.get("/buurtvragen")
@login_required
def my_questions():
    page = db.paginate(questions.asked_by(current_user), per_page=QUESTIONS_PER_PAGE,
                       error_out=False)
    return render_template("buurten/my_questions.html", page=page)


@bp.get("/moderatie/buurtvragen")
@policy.require("moderation.queue")
def questions_to_answer():
    page = db.paginate(questions.for_moderator(current_user), per_page=QUESTIONS_PER_PAGE,
                       error_out=False)
    return render_template("buurten/questions.html", page=page,
                           forms={q.id: AnswerForm(prefix=f"q{q.id}") for q in page.items})


@bp.post("/moderatie/buurtvragen/<id:question_id>/antwoord")
@policy.require("moderation.queue")
def answer(question_id: int):
    question = db.get_or_404(BuurtQuestion, question_id)
    policy.authorize("buurt.moderate", question.buurt)
    form = AnswerForm(prefix=f"q{question.id}")
    done(lambda: questions.answer(current_user, question, form.answer.data),
         _("Your answer is sent."), form)
    return redirect(url_for("buurten.questions_to_answer", _anchor=f"vraag-{question.id}"))
