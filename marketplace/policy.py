"""Who may do what: the one place permissions are decided, denying whatever no rule allows.

Views use :func:`require`, templates the ``can`` helper, tests :func:`can` directly.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from flask import abort
from flask_login import current_user

from marketplace.auth.models import GEMEENTE_ROLES, Role, User

if TYPE_CHECKING:  # feature packages import this module; importing theirs here would loop
    from marketplace.geo.models import Buurt, Gemeente
    from marketplace.listings.models import Listing

Rule = Callable[[User | None, Any], bool]
_RULES: dict[str, Rule] = {}
_OPEN_TO_VISITORS: set[str] = set()


def _rule(action: str, *, visitors: bool = False) -> Callable[[Rule], Rule]:
    """Register a rule; only rules marked ``visitors`` are asked about anonymous people."""

    def register(check: Rule) -> Rule:
        _RULES[action] = check
        if visitors:
            _OPEN_TO_VISITORS.add(action)
        return check

    return register


def can(user, action: str, target: Any = None) -> bool:
    """True when ``user`` may do ``action`` (on ``target``); blocked users may do nothing."""
    if action not in _RULES:
        raise LookupError(f"no policy rule named {action!r}")
    if user is None or not user.is_authenticated:
        return action in _OPEN_TO_VISITORS and bool(_RULES[action](None, target))
    if not user.is_active:
        return False
    return bool(_RULES[action](user, target))


def require(action: str) -> Callable:
    """View decorator: log-in page for visitors, 403 for people without the permission."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):
            from marketplace.extensions import login_manager

            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not can(current_user, action):
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorate


def authorize(action: str, target: Any = None) -> None:
    """Stop the request unless the current person may do this: log-in page or 403."""
    if can(current_user, action, target):
        return
    if not current_user.is_authenticated:
        from marketplace.extensions import login_manager

        abort(login_manager.unauthorized())
    abort(403)


def reveal(action: str, target: Any) -> Any:
    """The target, or a 404 for whoever may not see it: a draft or hidden listing does not exist
    for others (a 403 would tell them it does)."""
    if not can(current_user, action, target):
        abort(404)
    return target


def covers_buurt(user: User, buurt: Buurt) -> bool:
    """True when the buurt lies in the wijken or buurten assigned to this wijkwerker."""
    return buurt in user.buurten or buurt.wijk in user.wijken


@_rule("account.manage")
def _manage_own_account(user: User, _target: None) -> bool:
    return True


@_rule("admin.manage")
def _administer(user: User, _target: None) -> bool:
    """The whole installation: every gemeente and person, imports, national categories."""
    return user.is_admin


def runs_gemeente(user: User, gemeente: Gemeente) -> bool:
    """An admin of the installation, or the gemeente's own admin (functioneel beheerder)."""
    return user.is_admin or (user.holds(Role.GEMEENTE_ADMIN) and gemeente is not None
                             and user.gemeente_id == gemeente.id)


@_rule("gemeente.manage")
def _manage_gemeente(user: User, gemeente: Gemeente | None) -> bool:
    """Its people and their areas, its settings and categories. Without a gemeente: whether
    there is any gemeente this person runs (the admin link)."""
    if gemeente is None:
        return user.is_admin or (user.holds(Role.GEMEENTE_ADMIN) and user.gemeente_id is not None)
    return runs_gemeente(user, gemeente)


@_rule("team.manage")
def _manage_teams(user: User, gemeente: Gemeente) -> bool:
    """A gemeente's teams (afdelingen): its admins, and those of the installation."""
    return runs_gemeente(user, gemeente)


@_rule("category.manage")
def _manage_category(user: User, category) -> bool:
    """National categories are the installation's; a gemeente's own are its admins'."""
    return user.is_admin if category.gemeente is None else runs_gemeente(user, category.gemeente)


@_rule("user.manage")
def _manage_person(user: User, person: User) -> bool:
    """Admins everyone; a gemeente admin the people who work for their gemeente (not an admin
    of the installation who also works there)."""
    if user.is_admin:
        return True
    return (person.gemeente is not None and not person.is_admin
            and runs_gemeente(user, person.gemeente))


@_rule("buurt.moderate")
def _moderate_buurt(user: User, buurt: Buurt) -> bool:
    """Admins everywhere, a gemeente admin in their gemeente; a wijkwerker in their area, and in
    the buurten of their gemeente that no wijkwerker has."""
    if user.is_admin:
        return True
    if buurt is None or user.gemeente_id != buurt.wijk.gemeente_id:
        return False
    if user.holds(Role.GEMEENTE_ADMIN):
        return True
    if not user.holds(Role.WIJKWERKER):
        return False
    if covers_buurt(user, buurt):
        return True
    from marketplace.auth.queries import wijkwerkers_for

    return not wijkwerkers_for(buurt)


@_rule("gemeente.desk")
def _use_desk(user: User, _target: None) -> bool:
    return user.holds(Role.STAFF) and user.gemeente_id is not None


@_rule("gemeente.act_for")
def _act_for_gemeente(user: User, gemeente: Gemeente) -> bool:
    return user.holds(Role.STAFF) and gemeente is not None and user.gemeente_id == gemeente.id


def may_contribute(user: User) -> bool:
    """Posting, commenting and messaging need a confirmed address (or a gemeente employee
    helping a resident who has none) and no running suspension."""
    return (user.email_confirmed or user.assisted_by is not None) and not user.is_suspended


@_rule("listing.create")
def _post_listing(user: User, _target: None) -> bool:
    return may_contribute(user)


@_rule("listing.view", visitors=True)
def _view_listing(user: User | None, listing: Listing) -> bool:
    """Everyone sees a public listing; a draft, pending or hidden one only the people running it
    and the moderators of its buurt."""
    if listing.is_public:
        return True
    if user is None:
        return False
    return listing.is_run_by(user) or _moderate_buurt(user, listing.buurt)


@_rule("listing.edit")
def _edit_listing(user: User, listing: Listing) -> bool:
    """The people running it (unless suspended: editing, news and status are posting too)."""
    return (listing.is_run_by(user) and not user.is_suspended) or user.is_admin


@_rule("experiment.run")
def _run_experiment(user: User, listing: Listing) -> bool:
    """Mark an initiative as an experiment, say what was learned, offer it as a recipe: the
    people who run it."""
    return listing.kind.value == "initiative" and _edit_listing(user, listing)


@_rule("pledge.confirm")
def _confirm_pledge(user: User, listing: Listing) -> bool:
    """Whether the gemeente delivered what it promised: said by the people running the
    initiative (initiator and co-initiators), who received it."""
    return listing.is_run_by(user) and not user.is_suspended


@_rule("gemeente.ask")
def _ask_the_gemeente(user: User, listing: Listing) -> bool:
    """"Vraag het de gemeente" about a need: the people running the initiative."""
    return listing.is_run_by(user) and may_contribute(user)


@_rule("match.introduce")
def _introduce(user: User, listing: Listing) -> bool:
    """"Dit past misschien": the moderators of the listing's buurt put owners in touch."""
    return _moderate_buurt(user, listing.buurt)


@_rule("listing.manage_initiators")
def _manage_initiators(user: User, listing: Listing) -> bool:
    """Only the initiator adds co-initiators or hands the initiative over."""
    return user.id == listing.owner_id


@_rule("commitment.take_part")
def _take_part(user: User, commitment) -> bool:
    """Only the helper and the listing's owner see a commitment and its messages, and the
    helper only while they may see the listing (not once it is hidden)."""
    return user.id in commitment.party_ids() and _view_listing(user, commitment.listing)


@_rule("listing.respond")
def _respond(user: User, listing: Listing) -> bool:
    return may_contribute(user) and not listing.is_run_by(user)


@_rule("message.send")
def _send_message(user: User, commitment) -> bool:
    return user.id in commitment.party_ids() and may_contribute(user)


@_rule("comment.post")
def _comment(user: User, listing: Listing) -> bool:
    return may_contribute(user) and _view_listing(user, listing)


@_rule("comment.change")
def _change_comment(user: User, comment) -> bool:
    """Authors edit (within the edit window, checked by the service) and delete their own."""
    return user.id == comment.author_id and may_contribute(user)


@_rule("comment.lock")
def _lock_comments(user: User, listing: Listing) -> bool:
    return _edit_listing(user, listing) or _moderate_buurt(user, listing.buurt)


@_rule("content.flag")
def _flag(user: User, _target: None) -> bool:
    """Only confirmed addresses: a few throwaway sign-ups must not hide a neighbour's words."""
    return may_contribute(user)


@_rule("moderation.queue")
def _work_queue(user: User, _target: None) -> bool:
    """Admins, gemeente admins and wijkwerkers have a queue; staff and residents have none."""
    if user.is_admin:
        return True
    return user.gemeente_id is not None and (user.holds(Role.GEMEENTE_ADMIN)
                                             or user.holds(Role.WIJKWERKER))


@_rule("audit.read")
def _read_audit_log(user: User, _target: None) -> bool:
    return _work_queue(user, None)


@_rule("buurt.ask")
def _ask_the_wijkwerker(user: User, _buurt) -> bool:
    """Write to the wijkwerker of a buurt: anyone who may post (a confirmed address)."""
    return may_contribute(user)


@_rule("insight.view")
def _view_dashboard(user: User, gemeente: Gemeente | None) -> bool:
    """A gemeente's dashboard: the people who work for it, and admins of the installation.
    Without a gemeente: whether the person has a dashboard anywhere (the menu link)."""
    if user.is_admin:
        return True
    return (user.gemeente_id is not None
            and (gemeente is None or user.gemeente_id == gemeente.id)
            and any(user.holds(role) for role in GEMEENTE_ROLES))


@_rule("insight.area")
def _view_area(user: User, area) -> bool:
    """Staff and gemeente admins see every part of their gemeente; a wijkwerker their own area,
    its wijken and the buurten they look after."""
    if not _view_dashboard(user, area.gemeente):
        return False
    if user.is_admin or user.holds(Role.STAFF) or user.holds(Role.GEMEENTE_ADMIN):
        return True
    if area.mine:
        return True
    if area.buurt is not None:
        return _moderate_buurt(user, area.buurt)
    return area.wijk is not None and area.wijk in user.wijken


def _assists_in(user: User, gemeente_id: int | None) -> bool:
    """Wijkwerkers, staff (the contact centre) and the gemeente admin help residents anywhere in
    their gemeente: a resident calls or visits whoever they reach, not the wijkwerker of their
    buurt. Admins of the installation are not the gemeente's front desk."""
    return (user.gemeente_id is not None and user.gemeente_id == gemeente_id
            and not user.is_suspended and any(user.holds(role) for role in GEMEENTE_ROLES))


@_rule("resident.assist")
def _assist_residents(user: User, gemeente: Gemeente | None) -> bool:
    """Register residents without e-mail and see the gemeente's list of them. Without a
    gemeente: whether the person helps residents anywhere (the menu link)."""
    return _assists_in(user, user.gemeente_id if gemeente is None else gemeente.id)


@_rule("resident.act_for")
def _act_for_resident(user: User, assisted) -> bool:
    """Work as an assisted resident, read their updates, make their take-over code: until the
    resident took the account over, after which it is theirs alone."""
    return assisted.taken_over_at is None and _assists_in(user, assisted.gemeente_id)
