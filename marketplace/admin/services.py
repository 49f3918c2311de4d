"""Changing a user's role, gemeente and areas. Services flush; the view commits."""

from flask_babel import gettext as _

from marketplace.atomic import lock
from marketplace.audit.services import record
from marketplace.auth.models import Role, User
from marketplace.auth.services import is_last_admin
from marketplace.auth.sessions import end_sessions
from marketplace.geo.models import Buurt, Gemeente, Wijk
from marketplace.refused import Refused

GEMEENTE_SETTINGS = ("answer_target_days", "premoderation_count", "flag_threshold")


class RoleChangeRefused(Refused):
    """The requested combination of role, gemeente and areas is not allowed."""

    def __init__(self, message: object) -> None:
        super().__init__(message, field="role")


def set_user_role(
    actor: User,
    user: User,
    *,
    role: Role,
    gemeente: Gemeente | None,
    wijken: list[Wijk],
    buurten: list[Buurt],
    active: bool,
) -> None:
    """Give ``user`` a role; staff and wijkwerkers need a gemeente, areas must lie inside it."""
    if user.id == actor.id and (role is not Role.ADMIN or not active):
        raise RoleChangeRefused(_("You cannot take away your own admin role or block yourself."))
    if user.deleted_at is not None:
        raise RoleChangeRefused(_("This account is deleted."))
    if (role is not Role.ADMIN or not active) and is_last_admin(user):
        raise RoleChangeRefused(_("This is the last admin: make someone else admin first."))
    if role in (Role.STAFF, Role.WIJKWERKER) and gemeente is None:
        raise RoleChangeRefused(_("Choose the gemeente this person works for."))
    if role is not Role.WIJKWERKER and (wijken or buurten):
        raise RoleChangeRefused(_("Only a wijkwerker has wijken and buurten to moderate."))
    if role is Role.WIJKWERKER:
        if not (wijken or buurten):
            raise RoleChangeRefused(_("Choose at least one wijk or buurt for this wijkwerker."))
        outside = [w.name for w in wijken if w.gemeente_id != gemeente.id]
        outside += [b.name for b in buurten if b.wijk.gemeente_id != gemeente.id]
        if outside:
            raise RoleChangeRefused(
                _("These areas are not in %(gemeente)s: %(areas)s.",
                  gemeente=gemeente.name, areas=", ".join(outside)))
    lock(user)  # two admins saving at once: the second sees (and logs) what the first did
    before = _permissions(user)
    user.role = role
    user.gemeente = gemeente if role in (Role.STAFF, Role.WIJKWERKER) else None
    user.wijken = list(wijken)
    user.buurten = list(buurten)
    if user.active != active:
        user.active = active
        if not active:  # a blocked person is logged out everywhere, for good
            end_sessions(user)
    after = _permissions(user)
    if after != before:
        record(actor, "user.role", user, before=before, after=after,
               gemeente_id=user.gemeente_id)


def _permissions(user: User) -> dict:
    return {"role": user.role.value, "gemeente": user.gemeente.code if user.gemeente else None,
            "wijken": [wijk.code for wijk in user.wijken],
            "buurten": [buurt.code for buurt in user.buurten], "active": user.active}


def change_gemeente_settings(actor: User, gemeente: Gemeente, values: dict[str, int]) -> None:
    lock(gemeente)
    before = {name: getattr(gemeente, name) for name in GEMEENTE_SETTINGS}
    for name in GEMEENTE_SETTINGS:
        setattr(gemeente, name, values[name])
    after = {name: getattr(gemeente, name) for name in GEMEENTE_SETTINGS}
    if after != before:
        record(actor, "gemeente.settings", gemeente, before=before, after=after,
               gemeente_id=gemeente.id)
