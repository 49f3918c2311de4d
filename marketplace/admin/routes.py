"""Admin views: users, their roles and areas; gemeenten and the buurten import."""


import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload
from wtforms import SelectChoice

from marketplace import policy
from marketplace.admin import services
from marketplace.admin.forms import (
    ROLE_LABELS,
    CategoryForm,
    GemeenteSettingsForm,
    UserFilterForm,
    UserRoleForm,
)
from marketplace.auth.models import Role, User
from marketplace.auth.queries import (
    buurten_without_wijkwerker,
    has_wijkwerker,
    users_matching,
    wijkwerkers_of,
)
from marketplace.buurten.forms import FindGemeenteForm
from marketplace.extensions import db
from marketplace.geo.models import Buurt, Gemeente, Wijk
from marketplace.listings.category_services import save_category
from marketplace.listings.models import Category, Listing
from marketplace.transaction import saved

bp = Blueprint("admin", __name__, url_prefix="/beheer")

USERS_PER_PAGE = 50
GEMEENTEN_PER_PAGE = 50
UNCOVERED_PER_PAGE = 50


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


@bp.route("/gebruikers/<id:user_id>", methods=["GET", "POST"])
@policy.require("admin.manage")
def edit_user(user_id: int):
    user = db.get_or_404(User, user_id)
    form = UserRoleForm(data={
        "role": user.role.value,
        "gemeente": user.gemeente,
        "wijken": [w.id for w in user.wijken],
        "buurten": [b.id for b in user.buurten],
        "active": user.active,
    })
    # The areas on offer are those of the gemeente asked for (or the person's own).
    chosen = form.gemeente.chosen() if form.is_submitted() else user.gemeente
    area_gemeente = chosen or user.gemeente
    form.add_buurt.gemeente = area_gemeente
    form.wijken.choices = [SelectChoice(w.id, w.name) for w in area_gemeente.wijken] \
        if area_gemeente else []
    form.buurten.choices = [SelectChoice(b.id, f"{b.name} ({b.wijk.name})") for b in user.buurten
                            if area_gemeente and b.wijk.gemeente_id == area_gemeente.id]

    def save() -> None:
        buurt_ids = set(form.buurten.data or [])
        if form.add_buurt.data is not None:
            buurt_ids.add(form.add_buurt.data.id)
        services.set_user_role(
            current_user, user,
            role=Role(form.role.data),
            gemeente=form.gemeente.data,
            wijken=db.session.scalars(sa.select(Wijk).where(Wijk.id.in_(form.wijken.data))).all(),
            buurten=db.session.scalars(sa.select(Buurt).where(Buurt.id.in_(buurt_ids))).all(),
            active=form.active.data)

    outcome = saved(form, save)
    if outcome:
        flash(_("Saved: %(name)s is now %(role)s.", name=user.display_name,
                role=ROLE_LABELS[user.role]), "success")
        return redirect(url_for("admin.edit_user", user_id=user.id))
    return render_template("admin/edit_user.html", form=form, user=user, role_labels=ROLE_LABELS,
                           area_gemeente=area_gemeente), outcome.status


@bp.route("/gemeenten")
@policy.require("admin.manage")
def gemeenten():
    search = FindGemeenteForm(request.args)
    found = search.results(GEMEENTEN_PER_PAGE)
    return render_template("admin/gemeenten.html", search=search, found=found,
                           uncovered=buurten_without_wijkwerker([g.id for g in found.page.items]))


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
    in_gemeente = Buurt.wijk_id.in_(sa.select(Wijk.id).where(Wijk.gemeente_id == gemeente.id))
    uncovered = db.paginate(
        sa.select(Buurt).where(in_gemeente, ~has_wijkwerker())
        .options(selectinload(Buurt.wijk)).order_by(Buurt.code),
        per_page=UNCOVERED_PER_PAGE, error_out=False)
    return render_template(
        "admin/gemeente.html", gemeente=gemeente, form=form, uncovered=uncovered,
        buurt_count=db.session.scalar(sa.select(sa.func.count(Buurt.id)).where(in_gemeente)),
        wijkwerkers=wijkwerkers_of(gemeente))


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
