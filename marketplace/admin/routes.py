"""Admin views: users, their roles and areas; gemeenten and the buurten import."""

import json

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from marketplace import policy
from marketplace.admin import services
from marketplace.admin.forms import (
    ROLE_LABELS,
    CategoryForm,
    GemeenteSettingsForm,
    ImportBuurtenForm,
    UserFilterForm,
    UserRoleForm,
)
from marketplace.auth.models import Role, User
from marketplace.auth.queries import users_matching
from marketplace.extensions import db
from marketplace.geo.importer import import_buurten
from marketplace.geo.models import Buurt, Gemeente, Wijk
from marketplace.geo.queries import gemeenten_with_counts
from marketplace.listings.category_services import save_category
from marketplace.listings.models import Category, Listing
from marketplace.transaction import run, saved

bp = Blueprint("admin", __name__, url_prefix="/beheer")

USERS_PER_PAGE = 50


@bp.route("/")
@policy.require("admin.manage")
def index():
    return redirect(url_for("admin.users"))


@bp.route("/gebruikers")
@policy.require("admin.manage")
def users():
    form = UserFilterForm(request.args)
    form.validate()
    role = Role(form.role.data) if form.role.data and not form.role.errors else None
    page = db.paginate(users_matching(form.q.data, role), per_page=USERS_PER_PAGE,
                       error_out=False)
    return render_template("admin/users.html", form=form, page=page, role_labels=ROLE_LABELS)


def _area_choices(gemeente: Gemeente | None) -> tuple[list, list]:
    if gemeente is None:
        return [], []
    wijken = [SelectChoice(w.id, w.name) for w in gemeente.wijken]
    buurten = [SelectChoice(b.id, b.name, optgroup=w.name)
               for w in gemeente.wijken for b in w.buurten]
    return wijken, buurten


@bp.route("/gebruikers/<id:user_id>", methods=["GET", "POST"])
@policy.require("admin.manage")
def edit_user(user_id: int):
    user = db.get_or_404(User, user_id)
    form = UserRoleForm(data={
        "role": user.role.value,
        "gemeente": user.gemeente_id or 0,
        "wijken": [w.id for w in user.wijken],
        "buurten": [b.id for b in user.buurten],
        "active": user.active,
    })
    gemeenten = db.session.scalars(sa.select(Gemeente).order_by(Gemeente.name)).all()
    form.gemeente.choices = [SelectChoice(0, _("(none)"))] + [
        SelectChoice(g.id, g.name) for g in gemeenten]
    chosen = db.session.get(Gemeente, form.gemeente.data) if form.gemeente.data else None
    form.wijken.choices, form.buurten.choices = _area_choices(chosen or user.gemeente)
    if saved(form, lambda: services.set_user_role(
            current_user, user,
            role=Role(form.role.data),
            gemeente=chosen,
            wijken=db.session.scalars(sa.select(Wijk).where(Wijk.id.in_(form.wijken.data))).all(),
            buurten=db.session.scalars(
                sa.select(Buurt).where(Buurt.id.in_(form.buurten.data))).all(),
            active=form.active.data)):
        flash(_("Saved: %(name)s is now %(role)s.", name=user.display_name,
                role=ROLE_LABELS[user.role]), "success")
        return redirect(url_for("admin.edit_user", user_id=user.id))
    return render_template("admin/edit_user.html", form=form, user=user, role_labels=ROLE_LABELS)


@bp.route("/gemeenten", methods=["GET", "POST"])
@policy.require("admin.manage")
def gemeenten():
    form = ImportBuurtenForm()
    if form.validate_on_submit():
        try:
            collection = json.load(form.geojson.data.stream)
        except (ValueError, UnicodeDecodeError):
            form.geojson.errors.append(_("The file is not valid JSON."))
        else:
            outcome = run(lambda: import_buurten(collection))
            if outcome:
                result = outcome.value
                flash(_("Import done: %(created)d buurten added, %(updated)d changed, "
                        "%(unchanged)d unchanged.", created=result.created,
                        updated=result.updated, unchanged=result.unchanged), "success")
                return redirect(url_for("admin.gemeenten"))
            form.geojson.errors.extend(getattr(outcome.refusal, "errors", [str(outcome.refusal)]))
    rows = db.session.execute(gemeenten_with_counts()).all()
    return render_template("admin/gemeenten.html", rows=rows, form=form)


@bp.route("/gemeenten/<code>", methods=["GET", "POST"])
@policy.require("admin.manage")
def gemeente(code: str):
    gemeente = db.first_or_404(sa.select(Gemeente).where(Gemeente.code == code))
    form = GemeenteSettingsForm(obj=gemeente)
    if saved(form, lambda: services.change_gemeente_settings(current_user, gemeente, {
            "answer_target_days": form.answer_target_days.data,
            "premoderation_count": form.premoderation_count.data,
            "flag_threshold": form.flag_threshold.data})):
        flash(_("Saved."), "success")
        return redirect(url_for("admin.gemeente", code=gemeente.code))
    return render_template("admin/gemeente.html", gemeente=gemeente, form=form)


def _category_rows() -> list:
    in_use = (sa.select(sa.func.count(Listing.id)).where(Listing.category_id == Category.id)
              .scalar_subquery())
    return db.session.execute(sa.select(Category, in_use.label("listing_count"))
                              .order_by(Category.position, Category.name_nl)).all()


def _save_category_form(form: CategoryForm, category: Category | None) -> bool:
    return bool(saved(form, lambda: save_category(
        category, slug=form.slug.data, name_nl=form.name_nl.data, name_en=form.name_en.data,
        position=form.position.data, active=form.active.data)))


@bp.route("/categorieen", methods=["GET", "POST"])
@policy.require("admin.manage")
def categories():
    form = CategoryForm()
    if _save_category_form(form, None):
        flash(_("Category “%(name)s” added.", name=form.name_nl.data), "success")
        return redirect(url_for("admin.categories"))
    return render_template("admin/categories.html", rows=_category_rows(), form=form)


@bp.route("/categorieen/<id:category_id>", methods=["GET", "POST"])
@policy.require("admin.manage")
def edit_category(category_id: int):
    category = db.get_or_404(Category, category_id)
    form = CategoryForm(obj=category)
    if _save_category_form(form, category):
        flash(_("Category “%(name)s” saved.", name=category.name_nl), "success")
        return redirect(url_for("admin.categories"))
    return render_template("admin/edit_category.html", form=form, category=category)
