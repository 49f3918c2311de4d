"""Admin views: users, their roles and areas; gemeenten and the buurten import."""


import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload
from wtforms import SelectChoice

from marketplace import policy
from marketplace.admin import services
from marketplace.admin.forms import (
    ROLE_LABELS,
    AppointForm,
    CategoryForm,
    GemeenteSettingsForm,
    UserFilterForm,
    UserRoleForm,
    role_choices,
)
from marketplace.auth.models import Role, User
from marketplace.auth.queries import (
    buurten_without_wijkwerker,
    has_wijkwerker,
    holders_of,
    users_matching,
    wijkwerkers_of,
)
from marketplace.auth.services import user_by_email
from marketplace.buurten.forms import FindGemeenteForm
from marketplace.extensions import db
from marketplace.geo.models import Buurt, Gemeente, Wijk
from marketplace.listings.category_services import save_category
from marketplace.listings.models import Category, Listing
from marketplace.transaction import Outcome, saved

bp = Blueprint("admin", __name__, url_prefix="/beheer")

USERS_PER_PAGE = 50
GEMEENTEN_PER_PAGE = 50
UNCOVERED_PER_PAGE = 50


@bp.route("/")
@policy.require("gemeente.manage")
def index():
    if policy.can(current_user, "admin.manage"):
        return redirect(url_for("admin.users"))
    return redirect(url_for("admin.gemeente", code=current_user.gemeente.code))


@bp.route("/gebruikers")
@policy.require("gemeente.manage")
def users():
    """Admins find anyone; a gemeente admin the people who work for their gemeente."""
    form = UserFilterForm(request.args)
    form.validate()
    role = Role(form.role.data) if form.role.data and not form.role.errors else None
    if current_user.is_admin:
        code = request.args.get("gemeente", "")
        gemeente = db.session.scalar(sa.select(Gemeente).where(Gemeente.code == code)) \
            if code else None
    else:
        gemeente = current_user.gemeente
    page = db.paginate(users_matching(form.q.data, role, gemeente)
                       .options(selectinload(User.grants)), per_page=USERS_PER_PAGE,
                       error_out=False)
    filter_args = {"q": form.q.data, "role": form.role.data,
                   "gemeente": gemeente.code if gemeente and current_user.is_admin else None}
    return render_template("admin/users.html", form=form, page=page, roles_text=roles_text,
                           gemeente=gemeente, filter_args=filter_args)


def _roles_offered() -> frozenset[Role]:
    """The roles the current admin may give and take away."""
    return frozenset(Role) if current_user.is_admin else services.GEMEENTE_ADMIN_GIVES


def _wijk_choices(gemeente: Gemeente | None) -> list[SelectChoice]:
    return [SelectChoice(w.id, w.name) for w in gemeente.wijken] if gemeente else []


def _areas(wijk_ids: list[int], buurt_ids: set[int]) -> tuple[list[Wijk], list[Buurt]]:
    return (list(db.session.scalars(sa.select(Wijk).where(Wijk.id.in_(wijk_ids)))),
            list(db.session.scalars(sa.select(Buurt).where(Buurt.id.in_(buurt_ids)))))


def roles_text(roles) -> str:
    """"Wijkwerker, Gemeente staff", or "Resident" for someone who holds no other role."""
    return ", ".join(str(ROLE_LABELS[role]) for role in ROLE_LABELS if role in roles) \
        or _("Resident")


@bp.route("/gebruikers/<id:user_id>", methods=["GET", "POST"])
@login_required
def edit_user(user_id: int):
    user = db.get_or_404(User, user_id)
    policy.authorize("user.manage", user)
    offered = _roles_offered()
    form = UserRoleForm(data={
        "roles": [role.value for role in user.roles],
        "gemeente": user.gemeente,
        "wijken": [w.id for w in user.wijken],
        "buurten": [b.id for b in user.buurten],
        "active": user.active,
    })
    form.roles.choices = role_choices(offered)
    if not current_user.is_admin:  # a gemeente admin's people work for their gemeente
        del form.gemeente, form.active
    # The areas on offer are those of the gemeente asked for (or the person's own).
    chosen = form.gemeente.chosen() if form.is_submitted() and "gemeente" in form else None
    area_gemeente = chosen or user.gemeente or (None if current_user.is_admin
                                                else current_user.gemeente)
    form.add_buurt.gemeente = area_gemeente
    form.wijken.choices = _wijk_choices(area_gemeente)
    form.buurten.choices = [SelectChoice(b.id, f"{b.name} ({b.wijk.name})") for b in user.buurten
                            if area_gemeente and b.wijk.gemeente_id == area_gemeente.id]

    def save() -> None:
        buurt_ids = set(form.buurten.data or [])
        if form.add_buurt.data is not None:
            buurt_ids.add(form.add_buurt.data.id)
        # Roles this admin may not give stay as they are.
        roles = {Role(value) for value in form.roles.data} | (user.roles - offered)
        wijken, buurten = _areas(form.wijken.data, buurt_ids)
        services.set_user_roles(
            current_user, user, roles=roles,
            gemeente=form.gemeente.data if "gemeente" in form else current_user.gemeente,
            wijken=wijken, buurten=buurten,
            active=form.active.data if "active" in form else user.active)

    outcome = saved(form, save)
    if outcome:
        flash(_("Saved: %(name)s now holds the roles %(roles)s.", name=user.display_name,
                roles=roles_text(user.roles)), "success")
        if policy.can(current_user, "user.manage", user):
            return redirect(url_for("admin.edit_user", user_id=user.id))
        return redirect(url_for("admin.users"))  # no longer of this gemeente admin's gemeente
    return render_template("admin/edit_user.html", form=form, user=user,
                           roles_text=roles_text(user.roles), area_gemeente=area_gemeente), \
        outcome.status


@bp.route("/gemeenten/<code>/aanstellen", methods=["GET", "POST"])
@login_required
def appoint(code: str):
    """Give someone with an account a role in the gemeente, found by their e-mail address."""
    gemeente = db.first_or_404(sa.select(Gemeente).where(Gemeente.code == code))
    policy.authorize("gemeente.manage", gemeente)
    form = AppointForm()
    form.roles.choices = role_choices(_roles_offered() - {Role.ADMIN})
    form.wijken.choices = _wijk_choices(gemeente)
    form.add_buurt.gemeente = gemeente
    person: User | None = None

    def save() -> None:
        nonlocal person
        person = user_by_email(form.email.data)
        wijken, buurten = _areas(
            form.wijken.data, {form.add_buurt.data.id} if form.add_buurt.data else set())
        services.appoint(current_user, gemeente, person,
                         {Role(value) for value in form.roles.data},
                         wijken=wijken, buurten=buurten)

    outcome = saved(form, save)
    if outcome:
        flash(_("%(name)s now holds the roles %(roles)s in %(gemeente)s.",
                name=person.display_name, roles=roles_text(person.roles),
                gemeente=gemeente.name), "success")
        return redirect(url_for("admin.edit_user", user_id=person.id))
    return render_template("admin/appoint.html", form=form, gemeente=gemeente), outcome.status


@bp.route("/gemeenten")
@policy.require("admin.manage")
def gemeenten():
    search = FindGemeenteForm(request.args)
    found = search.results(GEMEENTEN_PER_PAGE)
    return render_template("admin/gemeenten.html", search=search, found=found,
                           uncovered=buurten_without_wijkwerker([g.id for g in found.page.items]))


@bp.route("/gemeenten/<code>", methods=["GET", "POST"])
@login_required
def gemeente(code: str):
    """A gemeente's settings and who works for it: for its admins and those of Buurtmarkt."""
    gemeente = db.first_or_404(sa.select(Gemeente).where(Gemeente.code == code))
    policy.authorize("gemeente.manage", gemeente)
    form = GemeenteSettingsForm(obj=gemeente)
    if saved(form, lambda: services.change_gemeente_settings(current_user, gemeente, {
            name: form[name].data for name in services.GEMEENTE_SETTINGS})):
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
        wijkwerkers=wijkwerkers_of(gemeente),
        gemeente_admins=holders_of(Role.GEMEENTE_ADMIN, gemeente),
        staff=holders_of(Role.STAFF, gemeente))


def _category_rows(gemeente: Gemeente | None) -> list:
    """The national categories, or a gemeente's own, with how many listings have each."""
    in_use = (sa.select(sa.func.count(Listing.id)).where(Listing.category_id == Category.id)
              .scalar_subquery())
    owner = Category.gemeente_id == gemeente.id if gemeente else Category.gemeente_id.is_(None)
    return db.session.execute(sa.select(Category, in_use.label("listing_count")).where(owner)
                              .order_by(Category.position, Category.name_nl)).all()


def _save_category_form(form: CategoryForm, category: Category | None,
                        gemeente: Gemeente | None = None) -> Outcome:
    return saved(form, lambda: save_category(
        category, gemeente=gemeente, slug=form.slug.data, name_nl=form.name_nl.data,
        name_en=form.name_en.data, position=form.position.data, active=form.active.data))


def _categories_page(gemeente: Gemeente | None):
    form = CategoryForm()
    outcome = _save_category_form(form, None, gemeente)
    if outcome:
        flash(_("Category “%(name)s” added.", name=form.name_nl.data), "success")
        return redirect(_categories_url(gemeente))
    return render_template(
        "admin/categories.html", rows=_category_rows(gemeente), form=form, gemeente=gemeente,
        national=[row.Category for row in _category_rows(None)] if gemeente else []), \
        outcome.status


def _categories_url(gemeente: Gemeente | None) -> str:
    if gemeente is None:
        return url_for("admin.categories")
    return url_for("admin.gemeente_categories", code=gemeente.code)


@bp.route("/categorieen", methods=["GET", "POST"])
@policy.require("admin.manage")
def categories():
    """The national categories, offered in every gemeente."""
    return _categories_page(None)


@bp.route("/gemeenten/<code>/categorieen", methods=["GET", "POST"])
@login_required
def gemeente_categories(code: str):
    """A gemeente's own categories, offered only for listings in that gemeente."""
    gemeente = db.first_or_404(sa.select(Gemeente).where(Gemeente.code == code))
    policy.authorize("gemeente.manage", gemeente)
    return _categories_page(gemeente)


@bp.route("/categorieen/<id:category_id>", methods=["GET", "POST"])
@login_required
def edit_category(category_id: int):
    category = db.get_or_404(Category, category_id)
    policy.authorize("category.manage", category)
    form = CategoryForm(obj=category)
    outcome = _save_category_form(form, category)
    if outcome:
        flash(_("Category “%(name)s” saved.", name=category.name_nl), "success")
        return redirect(_categories_url(category.gemeente))
    return render_template("admin/edit_category.html", form=form, category=category), \
        outcome.status
