"""The AVG rights: a resident downloads everything the platform holds about them, deletes their
account (or an admin does it on request), and what remains names nobody. Retention rules remove
what is no longer needed after the configured periods."""

import csv
import io
import json
import os
import time
import zipfile
from datetime import timedelta

import pytest
import sqlalchemy as sa
from PIL import Image

from marketplace import clock
from marketplace.audit.models import AuditEntry
from marketplace.auth.models import LoginSession, Role, User
from marketplace.comments.models import Comment
from marketplace.comments.services import post_comment
from marketplace.commitments.models import Commitment, CommitmentStatus, Message
from marketplace.commitments.services import accept, respond, send_message
from marketplace.extensions import db
from marketplace.following.services import follow, post_update
from marketplace.listings import services as listing_services
from marketplace.listings.models import Listing, ListingKind, ListingStatus, ResourceKind
from marketplace.listings.photos import store_photo, upload_dir
from marketplace.mail import read_outbox
from marketplace.moderation.models import Flag, FlagReason, ModerationCase
from marketplace.moderation.services import flag, hide
from marketplace.notifications.models import Notification, NotificationKind
from marketplace.ownership.services import add_co_initiator
from marketplace.privacy import erasure, export
from tests.conftest import PASSWORD, AuthActions

NAME = "Zwaantje Vermeulen"
EMAIL = "zwaantje.vermeulen@example.org"


def _tables_pointing_at_people() -> set[str]:
    tables = {"user"}
    for table in db.metadata.sorted_tables:
        if any(fk.column.table.name == "user" for column in table.columns
               for fk in column.foreign_keys):
            tables.add(table.name)
    return tables


def test_every_table_about_a_person_is_in_the_download_and_in_deletion(app):
    """A feature that adds a table pointing at people must say what the download shows of it
    and what deleting an account does to it."""
    people_tables = _tables_pointing_at_people()
    exported = {table for part in export.PARTS for table in part.tables}
    handled = {table for step in erasure.STEPS for table in step.tables} | set(erasure.KEPT)
    assert people_tables - exported == set()
    assert people_tables - handled == set()


def _photo_bytes(colour: str = "green") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), colour).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def zwaantje(make_user, make_listing, gemeente):
    """A resident with a bit of everything; and the neighbours she deals with."""
    she = make_user(email=EMAIL, display_name=NAME, home_buurt=gemeente.wijken[0].buurten[0])
    neighbour = make_user(display_name="Bram de Buurman")
    helper = make_user(display_name="Henk Helper")

    # Her initiative others took part in (Henk helps), with a photo, and a co-initiator-free
    # offer nobody touched, also with a photo.
    garden = make_listing(owner=she, title="Moestuin bij de kerk", lat=52.4951, lon=3.6901)
    listing_services.add_photos(garden, [store_photo(_photo_bytes(), "tuin.jpg")])
    lonely = make_listing(ListingKind.OFFER, owner=she, title="Zwaantjes ladder",
                          resources=[listing_services.ResourceData(
                              ResourceKind.MATERIALS, "Ladder", 1, "stuks")])
    listing_services.add_photos(lonely, [store_photo(_photo_bytes("red"), "ladder.jpg")])
    draft = make_listing(owner=she, title="Zwaantjes concept", publish=False)
    henk_helps = respond(helper, garden.resources[0], 1)
    accept(she, henk_helps)
    send_message(helper, henk_helps, "Hoe laat beginnen we?")
    send_message(she, henk_helps, "Zaterdag om tien uur, bel 06-12345678")

    # Her part in a neighbour's initiative: an open commitment, comments, a follow, a report.
    braam = make_listing(owner=neighbour, title="Bankjes verven")
    her_offer = respond(she, braam.resources[0], 2, note="Ik neem kwasten mee")
    in_thread = post_comment(she, braam, "Goed plan, ik doe mee")
    post_comment(neighbour, braam, "Fijn!", in_thread.id)
    alone = post_comment(she, braam, "Zwaantjes losse opmerking")
    follow(she, braam)
    spam = post_comment(neighbour, braam, "Koop nu goedkope horloges")
    flag(she, spam, FlagReason.SPAM, "Dit is reclame")
    update = post_update(she, garden, "De eerste bedden liggen er", store_photo(_photo_bytes(
        "blue"), "bed.jpg"))
    db.session.commit()
    return {"she": she, "neighbour": neighbour, "helper": helper, "garden": garden,
            "lonely": lonely, "draft": draft, "braam": braam, "her_offer": her_offer,
            "in_thread": in_thread, "alone": alone, "henk_helps": henk_helps, "update": update}


def _zip(client) -> zipfile.ZipFile:
    response = client.get("/mijn-account/gegevens/buurtmarkt.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert "attachment" in response.headers["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(response.data))


def test_a_resident_downloads_everything_about_them(client, auth, zwaantje):
    auth.login(zwaantje["she"])
    assert "Mijn gegevens downloaden" in client.get("/mijn-account/gegevens").text
    archive = _zip(client)
    names = set(archive.namelist())
    for part in export.PARTS:
        assert {f"{part.name}.json", f"{part.name}.csv"} <= names
    assert "README.txt" in names

    def part(name):
        rows = json.loads(archive.read(f"{name}.json"))
        assert len(list(csv.DictReader(io.StringIO(archive.read(f"{name}.csv").decode())))) \
            == len(rows)
        return rows

    [profile] = part("profile")
    assert profile["email"] == EMAIL and profile["name"] == NAME
    assert profile["home_buurt"].startswith("BU")
    listings = {row["title"]: row for row in part("listings")}
    assert set(listings) == {"Moestuin bij de kerk", "Zwaantjes ladder", "Zwaantjes concept"}
    garden = listings["Moestuin bij de kerk"]
    assert (garden["latitude"], garden["longitude"]) == (52.4951, 3.6901)  # the exact spot
    assert garden["needs"][0]["committed"] == 1
    for photo in garden["photos"]:
        assert photo in names and archive.read(photo)[:2] == b"\xff\xd8"
    assert [c["note"] for c in part("commitments")] == ["Ik neem kwasten mee"]
    assert [r["from"] for r in part("responses_received")] == ["Henk Helper"]
    assert {m["text"] for m in part("messages")} == {
        "Hoe laat beginnen we?", "Zaterdag om tien uur, bel 06-12345678"}
    assert {c["text"] for c in part("comments")} == {"Goed plan, ik doe mee",
                                                     "Zwaantjes losse opmerking"}
    assert [(r["reason"], r["note"]) for r in part("reports")] == [("spam", "Dit is reclame")]
    assert any("Henk Helper" in n["text"] for n in part("notifications"))
    assert [f["listing_id"] for f in part("follows")] == [zwaantje["braam"].id]
    [update] = part("progress_updates")
    assert update["photo"] in names
    assert {s["kind"] for s in part("notification_settings")} >= {"comment", "message_new"}
    assert len(part("login_sessions")) == 1
    # Nobody else's address is in it.
    everything = b"".join(archive.read(name) for name in names if not name.startswith("photos/"))
    for other in (zwaantje["neighbour"], zwaantje["helper"]):
        assert other.email.encode() not in everything


def test_the_download_is_only_ones_own(client, auth, zwaantje):
    auth.login(zwaantje["neighbour"])
    archive = _zip(client)
    [profile] = json.loads(archive.read("profile.json"))
    assert profile["email"] == zwaantje["neighbour"].email
    assert EMAIL.encode() not in b"".join(archive.read(n) for n in archive.namelist())


def _all_text_in_the_database() -> str:
    """Every text value of every row, to look for what must be gone."""
    found = []
    for table in db.metadata.sorted_tables:
        columns = [column for column in table.columns
                   if isinstance(column.type, sa.String | sa.Text | sa.JSON)]
        if columns:
            for row in db.session.execute(sa.select(*columns)):
                found.extend(json.dumps(value, ensure_ascii=False) if not isinstance(value, str)
                             else value for value in row if value is not None)
    return "\n".join(found)


def _delete_her_account(client, auth, she):
    auth.login(she)
    refused = client.post("/mijn-account/verwijderen",
                          data={"password": "niet-mijn-wachtwoord", "confirm": "y"})
    assert refused.status_code == 400 and "Dit is niet je wachtwoord." in refused.text
    assert db.session.get(User, she.id).deleted_at is None  # nothing happened
    response = client.post("/mijn-account/verwijderen", data={"password": PASSWORD,
                                                              "confirm": "y"})
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_deleting_ones_account_leaves_no_personal_data_anywhere(app, client, auth, zwaantje,
                                                                 make_user):
    she = zwaantje["she"]
    files = [photo.filename for photo in zwaantje["garden"].photos + zwaantje["lonely"].photos]
    files += [zwaantje["update"].photo]
    assert all((upload_dir() / name).exists() for name in files)
    _delete_her_account(client, auth, she)

    # Logged out, and nobody can log in with her account again.
    assert client.get("/mijn-pagina").status_code == 302
    assert auth.login(EMAIL, PASSWORD).status_code == 400
    assert db.session.scalar(sa.select(sa.func.count(LoginSession.id)).where(
        LoginSession.user_id == she.id)) == 0

    # Nothing in the database names her: not her name, not her address.
    db.session.expire_all()
    text = _all_text_in_the_database()
    assert NAME not in text and EMAIL not in text and "Zwaantje" not in text

    # Nor any page, the API, the audit log or its export, someone else's download.
    admin = make_user(Role.ADMIN)
    neighbour = zwaantje["neighbour"]
    garden, braam = zwaantje["garden"], zwaantje["braam"]
    visitor = app.test_client()
    pages = [visitor.get(path).text for path in (
        "/", "/kaart", f"/l/{garden.id}", f"/l/{braam.id}", f"/buurt/{garden.buurt.code}",
        f"/api/v1/listings/{garden.id}", "/api/v1/listings", "/api/v1/listings?q=Moestuin")]
    neighbour_client = app.test_client()
    AuthActions(neighbour_client).login(neighbour)
    pages += [neighbour_client.get(path).text for path in (
        "/meldingen/", "/mijn-pagina", f"/reacties/{zwaantje['her_offer'].id}")]
    pages.append(neighbour_client.get("/mijn-account/gegevens/buurtmarkt.zip").data.decode(
        "latin-1"))
    admin_client = app.test_client()
    AuthActions(admin_client).login(admin)
    pages += [admin_client.get(path).text for path in (
        "/logboek/", "/logboek/export.csv", "/beheer/gebruikers", f"/beheer/gebruikers/{she.id}")]
    for page in pages:
        assert NAME not in page and EMAIL not in page
    assert "Oud-bewoner" in pages[2]  # the initiative she ran stays, without her name

    # Mail outbox and uploads: gone.
    for mail in read_outbox():
        assert EMAIL not in mail.to and NAME not in mail.body
    assert not any((upload_dir() / name).exists() for name in files)


def test_what_others_rely_on_stays_and_the_rest_goes(client, auth, zwaantje):
    she = zwaantje["she"]
    lonely, draft, alone = zwaantje["lonely"].id, zwaantje["draft"].id, zwaantje["alone"].id
    owner_told_before = db.session.scalar(sa.select(sa.func.count(Notification.id)).where(
        Notification.user_id == zwaantje["neighbour"].id,
        Notification.kind == NotificationKind.COMMITMENT_WITHDRAWN))
    _delete_her_account(client, auth, she)
    db.session.expire_all()

    garden = db.session.get(Listing, zwaantje["garden"].id)
    assert garden.status is ListingStatus.STOPPED and garden.photos == []
    assert (garden.lat, garden.lon) == (garden.public_lat, garden.public_lon)
    assert db.session.get(Listing, lonely) is None and db.session.get(Listing, draft) is None
    # Henk's accepted help on her stopped initiative ends, and he is told.
    assert zwaantje["henk_helps"].status is CommitmentStatus.WITHDRAWN
    assert db.session.scalar(sa.select(sa.func.count(Notification.id)).where(
        Notification.user_id == zwaantje["helper"].id,
        Notification.kind == NotificationKind.COMMITMENT_WITHDRAWN)) == 1
    # Her open offer on Bram's bench is withdrawn, the amount is free again, Bram is told.
    assert zwaantje["her_offer"].status is CommitmentStatus.WITHDRAWN
    assert zwaantje["braam"].resources[0].committed == 0
    assert db.session.scalar(sa.select(sa.func.count(Notification.id)).where(
        Notification.user_id == zwaantje["neighbour"].id,
        Notification.kind == NotificationKind.COMMITMENT_WITHDRAWN)) == owner_told_before + 1
    # Her comment in a conversation stays without her name; her lone one goes.
    kept = db.session.get(Comment, zwaantje["in_thread"].id)
    assert kept.body == "Goed plan, ik doe mee" and kept.author.display_name == "Oud-bewoner"
    assert db.session.get(Comment, alone) is None
    # Messages Henk received stay; her report still counts, from the anonymous account.
    assert db.session.scalar(sa.select(sa.func.count(Message.id))) == 2
    assert db.session.scalar(sa.select(sa.func.count(Flag.id))) == 1
    # The audit log says the account was deleted, by number.
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "user.delete"))
    assert entry.subject_label == f"#{she.id}" and entry.actor_id == she.id


def test_an_initiative_with_a_co_initiator_passes_to_them(client, auth, zwaantje, make_user):
    garden = zwaantje["garden"]
    helper = zwaantje["helper"]
    add_co_initiator(zwaantje["she"], garden, helper)
    db.session.commit()
    _delete_her_account(client, auth, zwaantje["she"])
    db.session.expire_all()
    assert garden.owner_id == helper.id and garden.status is ListingStatus.OPEN
    assert zwaantje["henk_helps"].status is CommitmentStatus.ACCEPTED  # the work goes on
    assert db.session.scalar(sa.select(sa.func.count(Notification.id)).where(
        Notification.user_id == helper.id, Notification.kind == NotificationKind.OWNERSHIP)) >= 1


def test_an_admin_deletes_an_account_on_request_with_a_reason(client, auth, zwaantje,
                                                              make_user):
    admin = make_user(Role.ADMIN)
    she = zwaantje["she"]
    auth.login(admin)
    page = client.get(f"/beheer/gebruikers/{she.id}/verwijderen")
    assert EMAIL in page.text
    empty = client.post(f"/beheer/gebruikers/{she.id}/verwijderen", data={"confirm": "y"})
    assert empty.status_code == 400 and db.session.get(User, she.id).deleted_at is None
    response = client.post(f"/beheer/gebruikers/{she.id}/verwijderen",
                           data={"reason": "Brief van 12 november", "confirm": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    assert she.deleted_at is not None and she.email != EMAIL
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "user.delete"))
    assert entry.actor_id == admin.id and entry.reason == "Brief van 12 november"
    again = client.post(f"/beheer/gebruikers/{she.id}/verwijderen",
                        data={"reason": "Nog eens", "confirm": "y"})
    assert again.status_code == 400 and "al verwijderd" in again.text


def test_the_last_admin_cannot_delete_their_account(client, auth, make_user):
    admin = make_user(Role.ADMIN)
    auth.login(admin)
    response = client.post("/mijn-account/verwijderen", data={"password": PASSWORD,
                                                              "confirm": "y"})
    assert response.status_code == 400 and "laatste beheerder" in response.text
    assert db.session.get(User, admin.id).deleted_at is None


@pytest.fixture
def later(app):
    """Moves the app's clock: ``later(days)``."""
    start = clock.now()

    def move(days: int) -> None:
        app.config["CLOCK"] = lambda: start + timedelta(days=days)

    return move


def test_retention_removes_what_is_past_its_period(app, runner, later, make_user, make_listing,
                                                   outbox):
    unconfirmed = make_user(confirmed=False, display_name="Nooit Bevestigd")
    helper = make_user()
    listing = make_listing()
    ended = respond(helper, listing.resources[0], 1)
    send_message(helper, ended, "Oud bericht")
    comment = post_comment(helper, listing, "Iets lelijks")
    flag(listing.owner, comment, FlagReason.OFFENSIVE, "Lelijk")
    db.session.commit()
    from marketplace.commitments.services import withdraw
    withdraw(helper, ended)
    moderator = make_user(Role.ADMIN)
    hide(moderator, comment, "Niet aardig")
    db.session.commit()

    later(29)  # nothing is due yet
    result = runner.invoke(args=["apply-retention"])
    assert "0 unconfirmed accounts removed" in result.output
    later(800)
    result = runner.invoke(args=["daily-jobs"])
    assert result.exit_code == 0, result.output
    assert "1 unconfirmed accounts removed" in result.output
    db.session.expire_all()
    assert db.session.get(User, unconfirmed.id).deleted_at is not None
    assert db.session.scalar(sa.select(sa.func.count(Message.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(Flag.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(ModerationCase.id))) == 0
    # The daily jobs also asked the quiet listing's owner whether it still runs: that one is new.
    assert db.session.scalar(sa.select(sa.func.count(Notification.id)).where(
        Notification.kind != NotificationKind.NUDGE)) == 0
    assert "Nooit Bevestigd" not in _all_text_in_the_database()


def test_retention_keeps_what_is_still_needed(app, runner, later, make_user, make_listing):
    make_user(confirmed=False)
    helper = make_user()
    listing = make_listing()
    active = respond(helper, listing.resources[0], 1)
    send_message(helper, active, "Nog bezig")
    db.session.commit()
    later(800)
    runner.invoke(args=["apply-retention"])
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(Message.id))) == 1  # still going on
    assert db.session.get(Commitment, active.id).status is CommitmentStatus.PENDING


def test_old_outbox_files_are_removed(app, runner, make_user, outbox):
    from marketplace.delivery.services import send_mail

    for address in ("oud@example.org", "nieuw@example.org"):
        send_mail(address, "Test", "password_changed", user=make_user(), reset_link="http://x")
        db.session.commit()
    old = outbox()[0].path
    month_ago = time.time() - 31 * 24 * 3600
    os.utime(old, (month_ago, month_ago))
    runner.invoke(args=["apply-retention"])
    assert [mail.to for mail in outbox()] == ["nieuw@example.org"]


def test_the_privacy_statement_tells_the_periods_in_use(app_config, app, client):
    app.config["RETENTION_MESSAGE_DAYS"] = 99
    page = client.get("/privacy").text
    assert "99 dagen" in page and "Autoriteit Persoonsgegevens" in page


def test_the_download_is_safe_to_open_in_a_spreadsheet(client, auth, zwaantje):
    send_message(zwaantje["helper"], zwaantje["henk_helps"], "=HYPERLINK(\"http://x\")")
    db.session.commit()
    auth.login(zwaantje["she"])
    archive = _zip(client)
    rows = list(csv.DictReader(io.StringIO(archive.read("messages.csv").decode())))
    assert "'=HYPERLINK(\"http://x\")" in [row["text"] for row in rows]
    assert '=HYPERLINK("http://x")' in [m["text"] for m in json.loads(archive.read("messages.json"))]


def test_an_admin_downloads_a_persons_data_on_request_and_it_is_noted(client, auth, zwaantje,
                                                                      make_user):
    admin = make_user(Role.ADMIN)
    auth.login(admin)
    response = client.get(f"/beheer/gebruikers/{zwaantje['she'].id}/gegevens.zip")
    [profile] = json.loads(zipfile.ZipFile(io.BytesIO(response.data)).read("profile.json"))
    assert profile["email"] == EMAIL
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "user.export"))
    assert entry.actor_id == admin.id and entry.subject_id == zwaantje["she"].id


def test_every_column_pointing_at_a_person_is_indexed(app):
    """Finding one person's data (their download, deleting their account) must not read every
    row in the country."""
    unindexed = []
    for table in db.metadata.sorted_tables:
        leading = {next(iter(index.columns)).name for index in table.indexes}
        leading.add(next(iter(table.primary_key.columns)).name)
        for column in table.columns:
            if any(fk.column.table.name == "user" for fk in column.foreign_keys) \
                    and column.name not in leading:
                unindexed.append(f"{table.name}.{column.name}")
    assert unindexed == []
