"""Web Push: a browser subscribes, a notification goes out as an encrypted, signed push message
to its push service (a stand-in here), and a browser that is gone is forgotten."""

from __future__ import annotations

import base64
import http.server
import json
import os
import threading

import http_ece
import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from marketplace.delivery import push
from marketplace.delivery.models import Delivery, DeliveryStatus, PushSubscription
from marketplace.extensions import db
from marketplace.notifications.models import NotificationKind
from marketplace.notifications.services import notify, set_preferences
from tests.conftest import AuthActions


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class StandInPushService:
    """Takes push messages like a browser vendor's service does: 201, or 410 once the browser
    unsubscribed."""

    def __init__(self) -> None:
        self.received: list[tuple[dict, bytes]] = []
        self.answer = 201
        service = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                service.received.append(
                    ({name.lower(): value for name, value in self.headers.items()}, body))
                self.send_response(service.answer)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/push/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Browser:
    """The keys a browser makes when it subscribes: it alone can read its messages."""

    def __init__(self, service: StandInPushService) -> None:
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)
        self.endpoint = service.url + _b64(os.urandom(8))

    def subscription(self) -> dict:
        public = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
        return {"endpoint": self.endpoint, "expirationTime": None,
                "keys": {"p256dh": _b64(public), "auth": _b64(self.auth)}}

    def read(self, body: bytes) -> dict:
        return json.loads(http_ece.decrypt(body, private_key=self.private_key,
                                           auth_secret=self.auth, version="aes128gcm"))


@pytest.fixture
def service():
    stand_in = StandInPushService()
    yield stand_in
    stand_in.close()


@pytest.fixture
def owner_and_listing(make_user, make_listing):
    owner = make_user(display_name="Fenna")
    return owner, make_listing(owner=owner, title="Buurtmoestuin")


def test_a_response_reaches_the_phone_as_a_signed_encrypted_push(app, client, auth, service,
                                                                 owner_and_listing, make_user):
    owner, listing = owner_and_listing
    phone = Browser(service)
    auth.login(owner)
    response = client.post("/push/abonnement", json=phone.subscription())
    assert response.status_code == 204
    notify(owner, NotificationKind.COMMITMENT_NEW, actor=make_user(display_name="Bram"),
           listing=listing)
    db.session.commit()  # the worker runs at once in tests
    [(headers, body)] = service.received
    message = phone.read(body)
    assert message["body"] == "Bram heeft gereageerd op “Buurtmoestuin”."
    assert message["title"] == "Iemand heeft gereageerd op je plaatsing"
    assert message["url"].endswith(f"/l/{listing.id}")
    assert headers["content-encoding"] == "aes128gcm" and int(headers["ttl"]) > 0
    assert headers["authorization"].startswith("vapid t=")
    assert f"k={push.public_key()}" in headers["authorization"]
    delivery = db.session.scalar(sa.select(Delivery))
    assert delivery.status is DeliveryStatus.SENT and delivery.user_id == owner.id


def test_news_people_did_not_ask_to_be_pushed_stays_in_the_app(app, client, auth, service,
                                                                owner_and_listing, make_user):
    owner, listing = owner_and_listing
    auth.login(owner)
    client.post("/push/abonnement", json=Browser(service).subscription())
    notify(owner, NotificationKind.COMMENT, actor=make_user(), listing=listing)  # not by default
    set_preferences(owner, {}, {NotificationKind.COMMITMENT_NEW: False})
    notify(owner, NotificationKind.COMMITMENT_NEW, actor=make_user(), listing=listing)
    db.session.commit()
    assert service.received == []


def test_a_browser_that_is_gone_is_forgotten(app, client, auth, service, owner_and_listing,
                                            make_user, job_queue):
    from marketplace.delivery.services import attempt

    owner, listing = owner_and_listing
    auth.login(owner)
    client.post("/push/abonnement", json=Browser(service).subscription())
    service.answer = 410
    notify(owner, NotificationKind.COMMITMENT_NEW, actor=make_user(), listing=listing)
    db.session.commit()
    [push_id] = db.session.scalars(sa.select(Delivery.id).where(Delivery.channel == "push"))
    assert attempt(push_id) is DeliveryStatus.FAILED  # ends cleanly: no ObjectDeletedError
    assert len(service.received) == 1  # tried once: 410 means for good
    assert db.session.scalar(sa.select(sa.func.count(PushSubscription.id))) == 0
    assert db.session.get(Delivery, push_id) is None  # the message went with the browser


def test_one_browser_pushes_for_the_person_logged_in_on_it(app, client, auth, service,
                                                          make_user):
    phone = Browser(service)
    first, second = make_user(), make_user()
    auth.login(first)
    client.post("/push/abonnement", json=phone.subscription())
    auth.logout()
    auth.login(second)
    client.post("/push/abonnement", json=phone.subscription())
    [subscription] = db.session.scalars(sa.select(PushSubscription)).all()
    assert subscription.user_id == second.id
    assert client.post("/push/opzeggen", json={"endpoint": phone.endpoint}).status_code == 204
    assert db.session.scalar(sa.select(sa.func.count(PushSubscription.id))) == 0


def test_a_browser_push_service_is_taken(client, auth, make_user, service):
    auth.login(make_user())
    subscription = {**Browser(service).subscription(),
                    "endpoint": "https://fcm.googleapis.com/fcm/send/abc:def"}
    assert client.post("/push/abonnement", json=subscription).status_code == 204


@pytest.mark.parametrize("body", [
    None, [], {"endpoint": "https://push.example/x"}, {"endpoint": 3, "keys": {}},
    {"endpoint": "ftp://push.example/x", "keys": {"p256dh": "a", "auth": "b"}},
    {"endpoint": "https://fcm.googleapis.com/" + "x" * 1000, "keys": {"p256dh": "a", "auth": "b"}},
    # Keys the browser could not have made: refused now, not failed on twelve times later.
    {"endpoint": "https://fcm.googleapis.com/x", "keys": {"p256dh": "BNcRd", "auth": "tBHI"}},
    # Not a browser's push service: the worker must not post into our own network.
    {"endpoint": "https://10.0.0.5/admin", "keys": {"p256dh": "a", "auth": "b"}},
    {"endpoint": "https://fcm.googleapis.com.evil.example/x", "keys": {"p256dh": "a", "auth": "b"}},
    {"endpoint": "https://fcm.googleapis.com:8443/x", "keys": {"p256dh": "a", "auth": "b"}},
    {"endpoint": "http://127.0.0.2/x", "keys": {"p256dh": "a", "auth": "b"}},
    {"endpoint": "https://fcm.googleapis.com:abc/x", "keys": {"p256dh": "a", "auth": "b"}},
    {"endpoint": "https://[fcm/x", "keys": {"p256dh": "a", "auth": "b"}},
])
def test_what_is_not_a_subscription_gets_a_clear_answer(client, auth, make_user, body):
    auth.login(make_user())
    response = client.post("/push/abonnement", json=body)
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert "push-abonnement" in response.json["detail"]
    assert db.session.scalar(sa.select(sa.func.count(PushSubscription.id))) == 0


def test_a_login_that_ended_by_itself_gets_no_push(app, client, auth, service,
                                                   owner_and_listing, make_user):
    from datetime import timedelta

    from marketplace import clock

    owner, listing = owner_and_listing
    auth.login(owner)
    client.post("/push/abonnement", json=Browser(service).subscription())
    later = clock.now() + timedelta(minutes=121)  # no "remember me": 120 minutes idle
    app.config["CLOCK"] = lambda: later
    notify(owner, NotificationKind.COMMITMENT_NEW, actor=make_user(), listing=listing)
    db.session.commit()
    assert service.received == []


def test_logging_out_stops_the_push_messages_of_that_browser(client, auth, service, make_user):
    person = make_user()
    auth.login(person)
    client.post("/push/abonnement", json=Browser(service).subscription())
    assert db.session.scalar(sa.select(sa.func.count(PushSubscription.id))) == 1
    auth.logout()  # also a remote log-out or a new password ends that login
    assert db.session.scalar(sa.select(sa.func.count(PushSubscription.id))) == 0


def test_a_browser_that_changed_hands_gets_nothing_of_the_previous_person(
        app, client, auth, service, owner_and_listing, make_user, job_queue):
    owner, listing = owner_and_listing
    phone = Browser(service)
    auth.login(owner)
    client.post("/push/abonnement", json=phone.subscription())
    notify(owner, NotificationKind.COMMITMENT_NEW, actor=make_user(), listing=listing)
    db.session.commit()  # queued for the owner, not yet sent
    other = make_user()
    second = app.test_client()  # the next person on the same browser
    AuthActions(second).login(other)
    assert second.post("/push/abonnement", json=phone.subscription()).status_code == 204
    job_queue.run()
    assert service.received == []
