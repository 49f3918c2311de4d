"""The policy module: deny by default, roles and areas."""

import pytest
from flask_login import AnonymousUserMixin

from marketplace import policy
from marketplace.auth.models import GEMEENTE_ROLES, Role


def test_unknown_action_is_an_error(app, make_user):
    with pytest.raises(LookupError):
        policy.can(make_user(Role.ADMIN), "no.such.action")


def test_anonymous_and_blocked_may_do_nothing(app, make_user, gemeente):
    blocked_admin = make_user(Role.ADMIN, active=False)
    for user in (AnonymousUserMixin(), None, blocked_admin):
        assert not policy.can(user, "account.manage")
        assert not policy.can(user, "admin.manage")
        assert not policy.can(user, "gemeente.act_for", gemeente)


@pytest.mark.parametrize(("role", "allowed"), [
    (None, False), (Role.WIJKWERKER, False), (Role.STAFF, False), (Role.GEMEENTE_ADMIN, False),
    (Role.ADMIN, True),
])
def test_only_admin_administers(app, make_user, gemeente, role, allowed):
    person = make_user(role, gemeente=gemeente if role in GEMEENTE_ROLES else None)
    assert policy.can(person, "admin.manage") is allowed


def test_wijkwerker_moderates_only_their_area(app, make_user, gemeente, other_gemeente):
    oost, west = gemeente.wijken[1], gemeente.wijken[2]
    single_buurt = west.buurten[0]
    user = make_user(Role.WIJKWERKER, gemeente=gemeente, wijken=[oost], buurten=[single_buurt])
    # The rest of the gemeente has wijkwerkers of its own (buurten without one fall to the
    # gemeente's wijkwerkers: tests/test_moderation_fallback.py).
    make_user(Role.WIJKWERKER, gemeente=gemeente, wijken=[gemeente.wijken[0], west])
    assert all(policy.can(user, "buurt.moderate", b) for b in oost.buurten)
    assert policy.can(user, "buurt.moderate", single_buurt)
    assert not policy.can(user, "buurt.moderate", west.buurten[1])
    assert not policy.can(user, "buurt.moderate", gemeente.wijken[0].buurten[0])
    assert not policy.can(user, "buurt.moderate", other_gemeente.wijken[0].buurten[0])


def test_residents_and_staff_do_not_moderate(app, make_user, gemeente):
    buurt = gemeente.wijken[0].buurten[0]
    assert not policy.can(make_user(), "buurt.moderate", buurt)
    assert not policy.can(make_user(Role.STAFF, gemeente=gemeente), "buurt.moderate", buurt)
    assert policy.can(make_user(Role.ADMIN), "buurt.moderate", buurt)


def test_staff_act_only_for_their_own_gemeente(app, make_user, gemeente, other_gemeente):
    staff = make_user(Role.STAFF, gemeente=gemeente)
    assert policy.can(staff, "gemeente.act_for", gemeente)
    assert not policy.can(staff, "gemeente.act_for", other_gemeente)
    wijkwerker = make_user(Role.WIJKWERKER, gemeente=gemeente, wijken=gemeente.wijken[:1])
    assert not policy.can(wijkwerker, "gemeente.act_for", gemeente)
    assert not policy.can(make_user(), "gemeente.act_for", gemeente)
    assert not policy.can(make_user(Role.ADMIN), "gemeente.act_for", gemeente)
