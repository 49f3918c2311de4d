"""Outgoing e-mail: through SMTP when configured, otherwise into a local outbox folder."""

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


@dataclass(frozen=True)
class OutboxMessage:
    to: str
    subject: str
    body: str
    path: Path


def send_mail(to: str, subject: str, template: str, locale: str | None = None, **context) -> None:
    """Render ``templates/email/<template>.txt`` in the recipient's language and send it.

    ``subject`` may be a lazy string: it is translated in the recipient's language too.
    """
    deliver(compose_mail(to, subject, template, locale, **context))


def compose_mail(to: str, subject: str, template: str, locale: str | None = None,
                 **context) -> EmailMessage:
    """The message, rendered now; :func:`deliver` sends it (perhaps later)."""
    config = current_app.config
    with force_locale(locale or config["BABEL_DEFAULT_LOCALE"]):
        body = render_template(f"email/{template}.txt", **context)
        subject = str(subject)
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(clock.now().timestamp(), localtime=False)
    message["Message-ID"] = make_msgid(domain="buurtmarkt")
    message.set_content(body)
    return message


def deliver(message: EmailMessage) -> None:
    """Send a composed message through SMTP, or into the outbox folder when SMTP is not set."""
    if current_app.config.get("SMTP_HOST"):
        _send_smtp(message)
    else:
        _write_outbox(message)


def _send_smtp(message: EmailMessage) -> None:
    config = current_app.config
    with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=20) as smtp:
        if config["SMTP_STARTTLS"]:
            smtp.starttls()
        if config.get("SMTP_USERNAME"):
            smtp.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"] or "")
        smtp.send_message(message)


def _outbox_dir() -> Path:
    return Path(current_app.config["MAIL_OUTBOX_DIR"])


def _write_outbox(message: EmailMessage) -> None:
    folder = _outbox_dir()
    folder.mkdir(parents=True, exist_ok=True)
    # Time first, so a directory listing is in sending order.
    name = f"{clock.now():%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}.eml"
    (folder / name).write_bytes(message.as_bytes(policy=policy.SMTP))


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
