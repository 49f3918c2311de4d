"""Marking an experiment, recording what was learned, publishing a recipe and copying it.
Services flush; the view commits (marketplace.transaction)."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from marketplace import clock, policy
from marketplace.atomic import lock
from marketplace.auth.models import User
from marketplace.experiments.models import (
    MAX_LESSONS,
    MAX_QUESTION,
    Experiment,
    Recipe,
    RecipeCopy,
)
from marketplace.extensions import db
from marketplace.listings import copies, events
from marketplace.listings.lifecycle import FINAL_STATUSES
from marketplace.listings.models import Category, Listing, ListingKind, ListingStatus
from marketplace.listings.queries import publicly_visible
from marketplace.refused import Refused


class ExperimentRefused(Refused):
    """The experiment or recipe cannot be changed like this; the message says why."""


def _text(value: str | None, most: int) -> str:
    text = (value or "").strip()
    if not text or len(text) > most:
        raise ExperimentRefused(_("Write 1 to %(max)d characters.", max=most))
    return text


def experiment_of(listing: Listing) -> Experiment | None:
    return db.session.get(Experiment, listing.id)


def mark_experiment(actor: User, listing: Listing, question: str) -> Experiment:
    """An initiative that is still open becomes an experiment (or says anew what it wants to
    learn)."""
    if not policy.can(actor, "experiment.run", listing):
        raise ExperimentRefused(_("Only the people who run this initiative can do this."))
    lock(listing)  # two taps at once make one experiment
    if listing.status in FINAL_STATUSES:
        raise ExperimentRefused(_("This initiative has ended; say what was learned instead."))
    experiment = experiment_of(listing)
    if experiment is None:
        experiment = Experiment(listing_id=listing.id, created_at=clock.now(), question="")
        db.session.add(experiment)
    experiment.question = _text(question, MAX_QUESTION)
    db.session.flush()
    return experiment


def record_lessons(actor: User, listing: Listing, text: str) -> None:
    """What its initiators learned, once it has ended."""
    if not policy.can(actor, "experiment.run", listing):
        raise ExperimentRefused(_("Only the people who run this initiative can do this."))
    experiment = _ended_experiment(listing)
    experiment.lessons = _text(text, MAX_LESSONS)
    experiment.lessons_at, experiment.lessons_by_id = clock.now(), actor.id


def record_gemeente_lessons(actor: User, listing: Listing, text: str) -> None:
    """What the gemeente learned, once it has ended: its staff."""
    if not policy.can(actor, "gemeente.act_for", listing.gemeente):
        raise ExperimentRefused(_("Only staff of %(gemeente)s can do this.",
                                  gemeente=listing.gemeente.name))
    experiment = _ended_experiment(listing)
    experiment.gemeente_lessons = _text(text, MAX_LESSONS)
    experiment.gemeente_lessons_at, experiment.gemeente_lessons_by_id = clock.now(), actor.id


def _ended_experiment(listing: Listing) -> Experiment:
    lock(listing)
    experiment = experiment_of(listing)
    if experiment is None:
        raise ExperimentRefused(_("This initiative is not an experiment."))
    if listing.status not in FINAL_STATUSES:
        raise ExperimentRefused(_("What was learned is said when the initiative has ended."))
    return experiment


def recipe_of(listing: Listing) -> Recipe | None:
    return db.session.get(Recipe, listing.id)


def publish_recipe(actor: User, listing: Listing) -> Recipe:
    """A realised initiative offered for other buurten to copy; once, however often asked."""
    if not policy.can(actor, "experiment.run", listing):
        raise ExperimentRefused(_("Only the people who run this initiative can do this."))
    lock(listing)
    if listing.status is not ListingStatus.REALISED:
        raise ExperimentRefused(_("Only a realised initiative can be a recipe."))
    recipe = recipe_of(listing)
    if recipe is None:
        recipe = Recipe(listing_id=listing.id, published_at=clock.now(),
                        published_by_id=actor.id)
        db.session.add(recipe)
        db.session.flush()
    return recipe


def withdraw_recipe(actor: User, listing: Listing) -> None:
    if not policy.can(actor, "experiment.run", listing):
        raise ExperimentRefused(_("Only the people who run this initiative can do this."))
    db.session.execute(sa.delete(Recipe).where(Recipe.listing_id == listing.id))


def recipes(category: Category | None = None) -> sa.Select:
    """Published recipes of public listings, newest first."""
    query = (sa.select(Recipe).join(Recipe.listing)
             .where(publicly_visible(), Listing.status == ListingStatus.REALISED)
             .options(selectinload(Recipe.listing).selectinload(Listing.buurt),
                      selectinload(Recipe.listing).selectinload(Listing.resources))
             .order_by(Recipe.published_at.desc(), Recipe.listing_id.desc()))
    if category is not None:
        query = query.where(Listing.category_id == category.id)
    return query


def copies_of(recipe: Recipe, limit: int = 20) -> list[Listing]:
    """The public initiatives started from the recipe, newest first."""
    return list(db.session.scalars(
        sa.select(Listing).join(RecipeCopy, RecipeCopy.listing_id == Listing.id)
        .where(RecipeCopy.recipe_id == recipe.listing_id, publicly_visible())
        .options(selectinload(Listing.buurt))
        .order_by(RecipeCopy.created_at.desc()).limit(limit)))


def copy_count(recipe: Recipe) -> int:
    """The public initiatives started from it (not drafts, nor what waits or was hidden)."""
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(RecipeCopy)
        .join(Listing, Listing.id == RecipeCopy.listing_id)
        .where(RecipeCopy.recipe_id == recipe.listing_id, publicly_visible())) or 0


def _recipe_to_copy(listing_id: int) -> Listing | None:
    """For listings.copies: a published recipe anyone may see."""
    recipe = db.session.get(Recipe, listing_id)
    if recipe is None or recipe.listing.kind is not ListingKind.INITIATIVE:
        return None
    return recipe.listing if policy.can(None, "listing.view", recipe.listing) else None


copies.register_source(_recipe_to_copy)


@events.copied.connect
def _on_copied(listing: Listing, source: Listing) -> None:
    if db.session.get(Recipe, source.id) is not None:
        db.session.add(RecipeCopy(listing_id=listing.id, recipe_id=source.id,
                                  created_at=clock.now()))
        db.session.flush()
