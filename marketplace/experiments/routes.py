"""Views: an initiative's experiment and recipe (a section of its page), and the recipes."""

import sqlalchemy as sa
from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from marketplace import policy
from marketplace.commitments.forms import ActionForm
from marketplace.experiments import services
from marketplace.experiments.forms import LessonsForm, QuestionForm
from marketplace.extensions import db
from marketplace.listings import panels
from marketplace.listings.categories import category_by_slug
from marketplace.listings.lifecycle import FINAL_STATUSES
from marketplace.listings.models import Category, Listing, ListingKind, ListingStatus
from marketplace.transaction import done

bp = Blueprint("experiments", __name__)
RECIPES_PER_PAGE = 20


def _initiative(listing_id: int) -> Listing:
    return policy.reveal("listing.view", db.get_or_404(Listing, listing_id))


def _back(listing: Listing):
    return redirect(url_for("listings.detail", listing_id=listing.id, _anchor="experiment"))


@bp.post("/l/<id:listing_id>/experiment")
@login_required
def mark(listing_id: int):
    listing = _initiative(listing_id)
    policy.authorize("experiment.run", listing)
    form = QuestionForm()
    done(lambda: services.mark_experiment(current_user, listing, form.question.data),
         _("Saved: this initiative is an experiment. When it ends, say what was learned."),
         form)
    return _back(listing)


@bp.post("/l/<id:listing_id>/experiment/geleerd")
@login_required
def lessons(listing_id: int):
    listing = _initiative(listing_id)
    policy.authorize("experiment.run", listing)
    form = LessonsForm()
    done(lambda: services.record_lessons(current_user, listing, form.text.data),
         _("Thank you: what you learned is on the page for everyone."), form)
    return _back(listing)


@bp.post("/l/<id:listing_id>/experiment/gemeente")
@login_required
def gemeente_lessons(listing_id: int):
    listing = _initiative(listing_id)
    policy.authorize("gemeente.act_for", listing.gemeente)
    form = LessonsForm(prefix="gemeente")
    done(lambda: services.record_gemeente_lessons(current_user, listing, form.text.data),
         _("Saved: what the gemeente learned is on the page for everyone."), form)
    return _back(listing)


@bp.post("/l/<id:listing_id>/recept")
@login_required
def publish_recipe(listing_id: int):
    listing = _initiative(listing_id)
    policy.authorize("experiment.run", listing)
    if request.form.get("publish", "1") == "1":
        done(lambda: services.publish_recipe(current_user, listing),
             _("Published as a recipe: other buurten can start from it now."), ActionForm())
    else:
        done(lambda: services.withdraw_recipe(current_user, listing),
             _("This is no longer a recipe."), ActionForm())
    return _back(listing)


@bp.get("/recepten")
def recipes():
    """Realised initiatives that other buurten can start from, a page at a time."""
    category = category_by_slug(request.args.get("categorie", ""))
    page = db.paginate(services.recipes(category), per_page=RECIPES_PER_PAGE, error_out=False)
    categories = db.session.scalars(sa.select(Category).where(
        Category.active, Category.gemeente_id.is_(None)).order_by(Category.position)).all()
    return render_template("experiments/recipes.html", page=page, category=category,
                           categories=categories)


def experiment_context(listing: Listing, **_passed_on) -> dict:
    """The section of an initiative's page: its experiment and recipe, and the forms."""
    if listing.kind is not ListingKind.INITIATIVE:
        return {"experiment_panel": False}
    recipe = services.recipe_of(listing)
    ended = listing.status in FINAL_STATUSES
    runs_it = policy.can(current_user, "experiment.run", listing)
    return {
        "experiment_panel": True,
        "experiment": services.experiment_of(listing),
        "experiment_ended": ended,
        "may_run_experiment": runs_it,
        "may_add_gemeente_lessons": ended and policy.can(current_user, "gemeente.act_for",
                                                         listing.gemeente),
        "question_form": QuestionForm(), "lessons_form": LessonsForm(),
        "gemeente_lessons_form": LessonsForm(prefix="gemeente"),
        "recipe": recipe,
        "may_publish_recipe": runs_it and listing.status is ListingStatus.REALISED,
        "recipe_copies": services.copies_of(recipe) if recipe else [],
        "recipe_copy_count": services.copy_count(recipe) if recipe else 0,
    }


panels.register(experiment_context, section="experiments/_section.html")
