"""Command-line tasks: flask --app marketplace seed-demo | import-buurten | create-admin | outbox."""

import click
from flask import Flask

from marketplace.extensions import db


@click.command("seed-demo")
def seed_demo_command() -> None:
    """Create the demo gemeente, its buurten and one account of each role (once)."""
    from marketplace.demo import seed_demo

    created = seed_demo()
    db.session.commit()
    click.echo(f"Demo data: {created['buurten']} buurten, {created['accounts']} accounts and "
               f"{created['listings']} listings added.")


@click.command("import-buurten")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def import_buurten_command(path: str) -> None:
    """Import gemeenten, wijken and buurten from a CBS wijk- en buurtkaart GeoJSON file (WGS84)."""
    from flask_babel import force_locale

    from marketplace.geo.importer import BuurtImportError, import_buurten, load_geojson

    try:
        with force_locale("en"):  # the command line speaks English throughout
            result = import_buurten(load_geojson(path))
    except BuurtImportError as error:
        db.session.rollback()
        for message in error.errors:
            click.echo(message, err=True)
        raise click.ClickException("Nothing was imported.") from error
    db.session.commit()
    click.echo(f"{result.created} buurten added, {result.updated} changed, "
               f"{result.unchanged} unchanged, in {len(result.gemeenten)} gemeente(n).")


@click.command("create-admin")
@click.argument("email")
@click.argument("name")
@click.password_option()
def create_admin_command(email: str, name: str, password: str) -> None:
    """Create an admin account (or make an existing account admin)."""
    from marketplace import clock
    from marketplace.auth import passwords
    from marketplace.auth.models import Role, User
    from marketplace.auth.services import normalize_email, user_by_email

    if len(password) < passwords.MIN_LENGTH or passwords.is_common_password(password):
        raise click.ClickException("Use a password of at least 10 characters that is not common.")
    user = user_by_email(email)
    if user is None:
        user = User(email=normalize_email(email), display_name=name, locale="nl",
                    password_hash=passwords.hash_password(password), email_confirmed_at=clock.now())
        db.session.add(user)
    from marketplace.audit.services import record

    before = user.role.value if user.role else None
    user.role = Role.ADMIN
    db.session.flush()
    if before != Role.ADMIN.value:  # from the command line: no actor, but still on the record
        record(None, "user.role", user, reason="flask create-admin",
               before={"role": before}, after={"role": Role.ADMIN.value})
    db.session.commit()
    click.echo(f"{user.email} is admin.")


@click.command("send-digests")
def send_digests_command() -> None:
    """Send each person their daily summary of notifications (run once a day, e.g. from cron)."""
    from marketplace.notifications.services import send_digests

    click.echo(f"{send_digests()} digest(s) sent.")


@click.command("send-reminders")
def send_reminders_command() -> None:
    """Tell gemeente staff about answers and pledges that became overdue (run daily)."""
    from marketplace.accountability.answers import send_reminders

    sent = send_reminders()
    db.session.commit()
    click.echo(f"{sent} reminder(s) sent.")


@click.command("apply-retention")
def apply_retention_command() -> None:
    """Remove personal data past its retention period (run daily; see the privacy statement)."""
    from marketplace.privacy.retention import apply_retention

    for kind, count in apply_retention().items():
        click.echo(f"{count} {kind} removed.")


@click.command("daily-jobs")
@click.pass_context
def daily_jobs_command(context: click.Context) -> None:
    """The daily work: digests, reminders to staff, and the retention rules (e.g. from cron)."""
    for command in (send_digests_command, send_reminders_command, apply_retention_command):
        context.invoke(command)


@click.command("outbox")
@click.option("--last", default=5, show_default=True, help="How many messages to show.")
def outbox_command(last: int) -> None:
    """Show the newest messages in the local mail outbox (used when SMTP is not set)."""
    from marketplace.mail import read_outbox

    for message in read_outbox()[-last:]:
        click.echo(f"To: {message.to}\nSubject: {message.subject}\n\n{message.body}\n{'-' * 60}")


def init_app(app: Flask) -> None:
    for command in (seed_demo_command, import_buurten_command, create_admin_command,
                    send_digests_command, send_reminders_command, apply_retention_command,
                    daily_jobs_command, outbox_command):
        app.cli.add_command(command)
