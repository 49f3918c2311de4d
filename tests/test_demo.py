"""The demo data: a clearly marked demo gemeente and one account of each role."""

import sqlalchemy as sa

from marketplace.auth.models import Role, User
from marketplace.delivery.models import Delivery
from marketplace.demo import DEMO_ACCOUNTS
from marketplace.extensions import db
from marketplace.geo.models import Buurt, Gemeente
from marketplace.listings.models import Listing, ListingKind
from marketplace.matching.models import Match
from marketplace.notifications.models import Notification


def test_seed_demo_twice_changes_nothing(runner):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "12 buurten, 7 accounts and 90 listings added" in first.output
    second = runner.invoke(args=["seed-demo"])
    assert "0 buurten, 0 accounts and 0 listings added" in second.output
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == len(DEMO_ACCOUNTS) == 7
    assert db.session.scalar(sa.select(sa.func.count(Buurt.id))) == 12
    kinds = db.session.execute(sa.select(Listing.kind, sa.func.count(Listing.id))
                               .group_by(Listing.kind)).all()
    assert dict(kinds) == {
        ListingKind.INITIATIVE: 31, ListingKind.OFFER: 30, ListingKind.REQUEST: 30}
    assert len({listing.buurt_id for listing in db.session.scalars(sa.select(Listing))}) >= 10
    assert db.session.scalar(sa.select(sa.func.count(Notification.id))) == 0  # no fake news
    assert db.session.scalar(sa.select(sa.func.count(Delivery.id))) == 0  # and no mail
    assert db.session.scalar(sa.select(sa.func.count(Match.id))) > 0  # matches are there
    gemeente = db.session.scalar(sa.select(Gemeente))
    assert gemeente.is_demo and "demo" in gemeente.name


def test_each_demo_account_can_log_in(runner, client, auth):
    runner.invoke(args=["seed-demo"])
    assert {role for a in DEMO_ACCOUNTS for role in a.roles} == set(Role)
    for account in DEMO_ACCOUNTS:
        response = auth.login(account.email, account.password)
        assert response.status_code == 302, account.email
        auth.logout()
    wijkwerker = db.session.scalar(sa.select(User).where(User.holding(Role.WIJKWERKER)))
    assert wijkwerker.wijken and wijkwerker.gemeente is not None


def test_create_admin_command(runner, auth):
    result = runner.invoke(args=["create-admin", "baas@example.org", "Baas"],
                           input="een-sterk-wachtwoord\neen-sterk-wachtwoord\n")
    assert result.exit_code == 0, result.output
    user = db.session.scalar(sa.select(User))
    assert user.is_admin and user.email_confirmed
    result = runner.invoke(args=["create-admin", "b@example.org", "B"], input="qwerty\nqwerty\n")
    assert result.exit_code == 1


def test_the_demo_wijkwerker_has_work_waiting(runner, client, auth):
    runner.invoke(args=["seed-demo"])
    auth.login("wijkwerker@demo.buurtmarkt.nl", "koffie-in-het-buurthuis")
    queue = client.get("/moderatie/").text
    assert "Bankje bij de bushalte" in queue and "garage-uitverkoop" in queue
    assert "Bankje bij de bushalte" not in client.get("/kaart").text


def test_the_demo_tells_no_future_and_no_two_listings_alike(runner):
    from marketplace import clock
    from marketplace.accountability.models import Pledge, RoleDecision

    runner.invoke(args=["seed-demo"])
    now = clock.now()
    listings = db.session.scalars(sa.select(Listing)).all()
    titles = [listing.title for listing in listings]
    assert len(set(titles)) == len(titles)
    assert all(listing.published_at <= now for listing in listings if listing.published_at)
    assert all(listing.first_answer_at <= now for listing in listings if listing.first_answer_at)
    assert all(listing.first_answer_at > listing.published_at
               for listing in listings if listing.first_answer_at)
    assert all(decision.created_at <= now
               for decision in db.session.scalars(sa.select(RoleDecision)))
    pledges = db.session.scalars(sa.select(Pledge)).all()
    assert pledges and all(pledge.created_at <= now for pledge in pledges)
    assert all(pledge.closed_at <= now for pledge in pledges if pledge.closed_at)
