"""Composing e-mail, and handing it to SMTP when configured, otherwise to a local outbox folder.

Nothing here queues or retries: :mod:`marketplace.delivery` keeps each message in the database
and calls :func:`transmit` from the worker.
"""

import smtplib
import uuid
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import formatdate, make_msgid
from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale

from marketplace import clock
from marketplace.delivery import Undeliverable


@dataclass(frozen=True)
class OutboxMessage:
    to: str
    subject: str
    body: str
    path: Path


# Which people a message names (ids), so that deleting an account can clear the local outbox
# of them; never sent over SMTP.
PEOPLE_HEADER = "X-Buurtmarkt-People"


def compose_mail(to: str, subject: str, template: str, locale: str | None = None, *,
                 people: tuple[int, ...] = (), unsubscribe: str | None = None,
                 **context) -> EmailMessage:
    """The message, rendered now in the recipient's language (``subject`` may be a lazy
    string); ``people`` are the ids of the accounts it names (the recipient, an actor).
    ``unsubscribe`` is the address that stops this kind of mail in one click (RFC 8058): mail
    programs show it as a button, and the text names it too."""
    config = current_app.config
    with force_locale(locale or config["BABEL_DEFAULT_LOCALE"]):
        body = render_template(f"email/{template}.txt", unsubscribe=unsubscribe, **context)
        subject = str(subject)
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(clock.now().timestamp(), localtime=False)
    message["Message-ID"] = make_msgid(domain="buurtmarkt")
    if people:
        message[PEOPLE_HEADER] = " ".join(str(person) for person in sorted(set(people)))
    if unsubscribe:
        message["List-Unsubscribe"] = f"<{unsubscribe}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(body)
    return message


def transmit(raw: bytes) -> None:
    """Send a composed message through SMTP, or into the outbox folder when SMTP is not set.
    Returns once the server accepted it; raises otherwise."""
    message = BytesParser(policy=policy.SMTP).parsebytes(raw)
    if current_app.config.get("SMTP_HOST"):
        _send_smtp(message)
    else:
        _write_outbox(message)


def _send_smtp(message: EmailMessage) -> None:
    config = current_app.config
    del message[PEOPLE_HEADER]
    try:
        with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=20) as smtp:
            if config["SMTP_STARTTLS"]:
                smtp.starttls()
            if config.get("SMTP_USERNAME"):
                smtp.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"] or "")
            smtp.send_message(message)
    except smtplib.SMTPRecipientsRefused as refused:
        codes = [code for code, _text in refused.recipients.values()]
        if all(code >= 500 for code in codes):  # the address does not exist: no use retrying
            raise Undeliverable(f"the mail server refused the address: {codes}") from refused
        raise


def _outbox_dir() -> Path:
    return Path(current_app.config["MAIL_OUTBOX_DIR"])


def _write_outbox(message: EmailMessage) -> None:
    folder = _outbox_dir()
    folder.mkdir(parents=True, exist_ok=True)
    # Time first, so a directory listing is in sending order.
    name = f"{clock.now():%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}.eml"
    (folder / name).write_bytes(message.as_bytes(policy=policy.SMTP))


def forget_person(person_id: int, email: str) -> int:
    """Remove from the local outbox every message to ``email`` or naming the person; returns
    how many. (Mail sent through SMTP has left the platform.)"""
    folder = _outbox_dir()
    if not folder.is_dir():
        return 0
    removed = 0
    for path in folder.glob("*.eml"):
        headers = BytesParser(policy=policy.default).parsebytes(path.read_bytes(),
                                                                headersonly=True)
        named = str(person_id) in str(headers.get(PEOPLE_HEADER, "")).split()
        if named or (email and str(headers["To"]).strip().lower() == email.lower()):
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def remove_old_outbox_files(before) -> int:
    """Remove outbox messages written before ``before`` (for the retention job)."""
    folder = _outbox_dir()
    if not folder.is_dir():
        return 0
    removed = 0
    for path in folder.glob("*.eml"):
        if path.stat().st_mtime < before.timestamp():
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def read_outbox() -> list[OutboxMessage]:
    """The messages in the local outbox, oldest first."""
    folder = _outbox_dir()
    if not folder.is_dir():
        return []
    messages = []
    for path in sorted(folder.glob("*.eml")):
        parsed = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
        body = parsed.get_body(preferencelist=("plain",)).get_content()
        messages.append(OutboxMessage(str(parsed["To"]), str(parsed["Subject"]), body, path))
    return messages
