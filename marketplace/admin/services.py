"""Changing a person's roles, gemeente and areas, and a gemeente's settings. Services flush;
the view commits."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from marketplace.atomic import lock
from marketplace.audit.services import record
from marketplace.auth.models import GEMEENTE_ROLES, Role, User
from marketplace.auth.services import is_last_admin
from marketplace.auth.sessions import end_sessions
from marketplace.geo.models import Buurt, Gemeente, Wijk
from marketplace.refused import Refused

GEMEENTE_SETTINGS = ("answer_target_days", "premoderation_count", "flag_threshold",
                     "nudge_after_days", "nudge_unanswered_after_days", "need_due_warning_days")


class RoleChangeRefused(Refused):
    """The requested combination of roles, gemeente and areas is not allowed."""

    def __init__(self, message: object, field: str = "roles") -> None:
        super().__init__(message, field=field)


# What a gemeente admin may give and take away; the rest is for admins of the installation.
GEMEENTE_ADMIN_GIVES = frozenset({Role.WIJKWERKER, Role.STAFF})
NO_ACCOUNT = _l("No account with a confirmed address uses this e-mail address. Ask the person to "
                "sign up and confirm their address first, then appoint them here.")
ANOTHER_GEMEENTE = _l("This person works for another gemeente, or runs Buurtmarkt. An admin of "
                      "Buurtmarkt can change their roles on their page.")


def set_user_roles(
    actor: User,
    user: User,
    *,
    roles: set[Role],
    gemeente: Gemeente | None,
    wijken: list[Wijk],
    buurten: list[Buurt],
    active: bool,
) -> None:
    """Give ``user`` these roles. Gemeente roles need the gemeente the person works for, and a
    wijkwerker's areas lie inside it. An admin of the installation changes anything; a gemeente
    admin only the wijkwerker and staff roles and areas of people of their own gemeente."""
    roles = set(roles)
    # Held from here: two admins saving at once, or two gemeenten appointing the same person,
    # take turns, and the second sees (and logs) what the first did.
    lock(user)
    if user.deleted_at is not None:
        raise RoleChangeRefused(_("This account is deleted."))
    if not actor.is_admin:
        _check_gemeente_admin_change(actor, user, roles, gemeente, active)
    if roles - user.roles:
        _check_may_take_a_role(user)
    if user.id == actor.id and (Role.ADMIN in user.roles - roles or not active):
        raise RoleChangeRefused(_("You cannot take away your own admin role or block yourself."))
    if (Role.ADMIN not in roles or not active) and is_last_admin(user):
        raise RoleChangeRefused(_("This is the last admin: make someone else admin first."))
    if roles & GEMEENTE_ROLES and gemeente is None:
        raise RoleChangeRefused(_("Choose the gemeente this person works for."), "gemeente")
    if Role.WIJKWERKER not in roles and (wijken or buurten):
        raise RoleChangeRefused(_("Only a wijkwerker has wijken and buurten to moderate."))
    if Role.WIJKWERKER in roles:
        if not (wijken or buurten):
            raise RoleChangeRefused(_("Choose at least one wijk or buurt for this wijkwerker."),
                                    "wijken")
        outside = [w.name for w in wijken if w.gemeente_id != gemeente.id]
        outside += [b.name for b in buurten if b.wijk.gemeente_id != gemeente.id]
        if outside:
            raise RoleChangeRefused(
                _("These areas are not in %(gemeente)s: %(areas)s.",
                  gemeente=gemeente.name, areas=", ".join(outside)), "wijken")
    before, gemeente_before = _permissions(user), user.gemeente_id
    user.roles = roles
    user.gemeente = gemeente if roles & GEMEENTE_ROLES else None
    user.wijken = list(wijken)
    user.buurten = list(buurten)
    if user.active != active:
        user.active = active
        if not active:  # a blocked person is logged out everywhere, for good
            end_sessions(user)
    after = _permissions(user)
    if after != before:
        record(actor, "user.role", user, before=before, after=after,
               gemeente_id=user.gemeente.id if user.gemeente else gemeente_before)


def _check_may_take_a_role(user: User) -> None:
    """A role is given to a person who proved their address (anyone can sign up with a
    wethouder's address) and who is not suspended (a role would shield them from moderators)."""
    if user.email_confirmed_at is None:
        raise RoleChangeRefused(_("%(name)s has not confirmed their e-mail address yet. Ask them "
                                  "to use the link in the mail first.", name=user.display_name),
                                "email")
    if user.is_suspended:
        raise RoleChangeRefused(_("%(name)s is suspended. Give them a role once the suspension "
                                  "has ended.", name=user.display_name))


def _check_gemeente_admin_change(actor: User, user: User, roles: set[Role],
                                 gemeente: Gemeente | None, active: bool) -> None:
    own = actor.gemeente if actor.holds(Role.GEMEENTE_ADMIN) else None
    if own is None:
        raise RoleChangeRefused(_("Only admins change roles."))
    if user.gemeente_id not in (None, own.id) or user.is_admin:
        raise RoleChangeRefused(ANOTHER_GEMEENTE, "email")
    if roles & GEMEENTE_ROLES and gemeente is not None and gemeente.id != own.id:
        raise RoleChangeRefused(_("You manage %(gemeente)s only.", gemeente=own.name), "gemeente")
    if (roles ^ user.roles) - GEMEENTE_ADMIN_GIVES:
        raise RoleChangeRefused(_("Only admins of Buurtmarkt give or take away the roles of "
                                  "admin and gemeente admin."))
    if active != user.active:
        raise RoleChangeRefused(_("Only admins of Buurtmarkt block or unblock accounts."),
                                "active")


def appoint(actor: User, gemeente: Gemeente, person: User | None, roles: set[Role], *,
            wijken: list[Wijk], buurten: list[Buurt]) -> User:
    """Give someone found by their e-mail address roles in ``gemeente``, in addition to the ones
    they hold; a wijkwerker's areas are added to theirs."""
    # Whether an address has an account is not told (sign-up does not tell it either): an
    # unknown address and an unconfirmed one get the same answer.
    if person is None or person.email_confirmed_at is None or person.deleted_at is not None:
        raise RoleChangeRefused(NO_ACCOUNT, "email")
    lock(person)
    if person.gemeente_id is not None and person.gemeente_id != gemeente.id:
        raise RoleChangeRefused(ANOTHER_GEMEENTE, "email")
    if not roles:
        raise RoleChangeRefused(_("Choose at least one role."))
    if roles <= person.roles:
        raise RoleChangeRefused(_("%(name)s already holds these roles in %(gemeente)s: change "
                                  "their wijken and buurten on their page.",
                                  name=person.display_name, gemeente=gemeente.name))
    set_user_roles(actor, person, roles=person.roles | roles, gemeente=gemeente,
                   wijken=list(dict.fromkeys(person.wijken + wijken)),
                   buurten=list(dict.fromkeys(person.buurten + buurten)), active=person.active)
    return person


def _permissions(user: User) -> dict:
    return {"roles": sorted(user.roles),
            "gemeente": user.gemeente.code if user.gemeente else None,
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
