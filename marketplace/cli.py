"""Command-line tasks: flask --app marketplace seed-demo | remove-demo | import-buurten |
create-admin | outbox | the daily jobs."""

import click
import sqlalchemy as sa
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


@click.command("remove-demo")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def remove_demo_command(yes: bool) -> None:
    """Delete the demo gemeente, its buurten, the demo accounts and everything on them."""
    import sqlalchemy as sa

    from marketplace.auth.models import Role, User
    from marketplace.demo_removal import remove_demo

    if not yes:
        click.confirm("Delete the demo gemeente, the demo accounts and everything on them?",
                      abort=True)
    removal = remove_demo()
    if not removal.found:
        click.echo("There is no demo: nothing was removed.")
        return
    db.session.commit()
    removal.clean_up()
    click.echo("Removed the demo:")
    for table, count in removal.counts.items():
        click.echo(f"  {table}: {count}")
    if not db.session.scalar(sa.select(User.id).where(User.holding(Role.ADMIN)).limit(1)):
        click.echo("No admin account is left: create one with flask create-admin.")


@click.command("import-buurten")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True,
              help="Import even when buurten overlap buurten of another gemeente.")
def import_buurten_command(path: str, yes: bool) -> None:
    """Import gemeenten, wijken and buurten from a CBS wijk- en buurtkaart file: GeoJSON
    (.geojson, .geojson.gz) or the CBS GeoPackage (.gpkg), in any coordinate system."""
    from pathlib import Path

    from flask_babel import force_locale

    from marketplace.geo.import_texts import report_lines
    from marketplace.imports.models import ImportStatus
    from marketplace.imports.runner import run_job
    from marketplace.imports.services import ImportRefused, start_import_of_path

    with force_locale("en"):  # the command line speaks English throughout
        try:
            job = start_import_of_path(None, Path(path), accept_overlaps=yes)
        except ImportRefused as error:
            raise click.ClickException(str(error)) from error
        db.session.commit()
        job = run_job(job.id, path=Path(path))
        if job.status == ImportStatus.DONE:
            click.echo(f"{job.created} buurten added, {job.updated} changed, "
                       f"{job.unchanged} unchanged, in {job.gemeenten} gemeente(n)"
                       + (f"; {job.repaired} outline(s) repaired." if job.repaired else "."))
            return
        if job.status == ImportStatus.NEEDS_DECISION:
            for overlap in job.overlaps["listed"]:
                click.echo(f"{overlap['code']} {overlap['name']} ({overlap['gemeente_code']}) "
                           f"overlaps {overlap['other_code']} {overlap['other_name']} "
                           f"({overlap['other_gemeente_code']}) by {overlap['percent']}%", err=True)
            # The file is not kept for a decision later: run again with --yes.
            job.status, job.finished_at = ImportStatus.CANCELLED, job.updated_at
            db.session.commit()
            raise click.ClickException(
                f"{job.overlaps['count']} overlap(s) with buurten of another gemeente. Nothing "
                "was imported; run again with --yes to import anyway.")
        for line in report_lines(job.problems or {"file": "failed"}):
            click.echo(line, err=True)
        raise click.ClickException("Nothing was imported.")


@click.command("run-import")
@click.argument("job_id", type=int)
def run_import_command(job_id: int) -> None:
    """Run a queued buurten import (started by the admin page in a process of its own)."""
    from marketplace.imports.runner import run_job

    job = run_job(job_id)
    if job is None:
        raise click.ClickException(f"There is no import {job_id}.")
    click.echo(f"Import {job_id}: {job.status.value}.")


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

    before = sorted(user.roles)
    user.roles = user.roles | {Role.ADMIN}
    db.session.flush()
    if Role.ADMIN not in before:  # from the command line: no actor, but still on the record
        record(None, "user.role", user, reason="flask create-admin",
               before={"roles": before}, after={"roles": sorted(user.roles)})
    db.session.commit()
    click.echo(f"{user.email} is admin.")


@click.command("worker")
@click.option("--threads", default=2, show_default=True, help="Jobs run at the same time.")
@click.option("--schedule/--no-schedule", default=True, show_default=True,
              help="Also run the jobs by the clock (digests, reminders, retention, the mail "
                   "sweep). With several workers, one needs it.")
def worker_command(threads: int, schedule: bool) -> None:
    """Run the job queue: mail and push delivery, account mail, and the daily jobs."""
    from marketplace.jobs import huey, run_worker

    click.echo(f"The worker takes jobs from {type(huey.storage).__name__} "
               f"({threads} at a time, schedule {'on' if schedule else 'off'}); Ctrl-C stops it.")
    run_worker(threads, schedule)


@click.command("send-digests")
def send_digests_command() -> None:
    """Send each person their daily summary of notifications now (the worker does it daily)."""
    from marketplace.notifications.services import send_digests

    click.echo(f"{send_digests()} digest(s) queued.")


@click.command("send-reminders")
def send_reminders_command() -> None:
    """Tell gemeente staff about answers and pledges that became overdue (run daily)."""
    from marketplace.accountability.answers import send_reminders

    sent = send_reminders()
    db.session.commit()
    click.echo(f"{sent} reminder(s) sent.")


@click.command("send-nudges")
def send_nudges_command() -> None:
    """Ask the owners of quiet listings whether they are still current, and tell owners of
    needs still open close to their date (run daily)."""
    from marketplace.nudges.services import send_nudges

    quiet, due = send_nudges()
    click.echo(f"{quiet} owner(s) of quiet listings nudged; {due} need(s) close to their date.")


@click.command("nudge-quiet-listings", hidden=True)
@click.pass_context
def nudge_quiet_listings_command(context: click.Context) -> None:
    """The former name of send-nudges, for schedules set up before it."""
    context.invoke(send_nudges_command)


@click.command("apply-retention")
def apply_retention_command() -> None:
    """Remove personal data past its retention period (run daily; see the privacy statement)."""
    from marketplace.privacy.retention import apply_retention

    for kind, count in apply_retention().items():
        click.echo(f"{count} {kind} removed.")


@click.command("daily-jobs")
@click.pass_context
def daily_jobs_command(context: click.Context) -> None:
    """The daily work at once: digests, reminders to staff, nudges about quiet listings and
    needs close to their date, and the retention rules (the worker runs each by the clock)."""
    for command in (send_digests_command, send_reminders_command, send_nudges_command,
                    apply_retention_command):
        context.invoke(command)


@click.command("find-matches")
def find_matches_command() -> None:
    """Find the matches between open listings published before matches were kept (once, after
    upgrading); nobody is notified of these."""
    from marketplace.listings.models import Listing, ListingStatus
    from marketplace.matching.services import record_matches
    from marketplace.notifications.services import silenced

    found = 0
    ids = db.session.scalars(sa.select(Listing.id).where(
        Listing.status.in_([ListingStatus.OPEN, ListingStatus.RUNNING])).order_by(Listing.id)).all()
    with silenced():
        for listing_id in ids:
            found += record_matches(db.session.get(Listing, listing_id))
            db.session.commit()
    click.echo(f"{found} match(es) found among {len(ids)} open listings.")


@click.command("outbox")
@click.option("--last", default=5, show_default=True, help="How many messages to show.")
def outbox_command(last: int) -> None:
    """Show the newest messages in the local mail outbox (used when SMTP is not set)."""
    from marketplace.mail import read_outbox

    for message in read_outbox()[-last:]:
        click.echo(f"To: {message.to}\nSubject: {message.subject}\n\n{message.body}\n{'-' * 60}")


def init_app(app: Flask) -> None:
    for command in (seed_demo_command, remove_demo_command, import_buurten_command, run_import_command,
                    create_admin_command, send_digests_command, send_reminders_command,
                    apply_retention_command, daily_jobs_command, outbox_command, worker_command,
                    find_matches_command, send_nudges_command, nudge_quiet_listings_command):
        app.cli.add_command(command)
