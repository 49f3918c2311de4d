"""Admin pages for importing buurten: upload, a list of recent imports, and each import's
progress, problems or overlap decision."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_number
from flask_babel import gettext as _
from flask_login import current_user

from marketplace import clock, policy
from marketplace.extensions import db
from marketplace.geo.import_texts import (
    feature_text,
    file_error_text,
    more_text,
    problem_text,
    summary_text,
)
from marketplace.imports import services
from marketplace.imports.forms import DecisionForm, ImportFileForm
from marketplace.imports.labels import STATUS_LABELS
from marketplace.imports.models import BuurtImport
from marketplace.imports.queries import recent_imports, started_by
from marketplace.imports.runner import launch, remove_upload
from marketplace.transaction import done, saved

bp = Blueprint("imports", __name__, url_prefix="/beheer/import")

STALLED_AFTER = timedelta(minutes=10)


def _allow_large_upload() -> None:
    """A national GeoPackage is far larger than the site's other uploads. This runs before
    every other hook (the CSRF check and the NUL check read the form), only for the upload,
    and only for admins: nobody else gets to send a gigabyte to spool to disk."""
    if request.endpoint == "imports.index" and policy.can(current_user, "admin.manage"):
        request.max_content_length = current_app.config["IMPORT_MAX_BYTES"]


@bp.record_once
def _register_upload_limit(state) -> None:
    state.app.before_request_funcs.setdefault(None, []).insert(0, _allow_large_upload)


@bp.route("", methods=["GET", "POST"])
@policy.require("admin.manage")
def index():
    form = ImportFileForm()
    outcome = saved(form, lambda: services.start_import(current_user, form.file.data))
    if outcome:
        launch(outcome.value)
        flash(_("The file was received; the import runs in the background."), "success")
        return redirect(url_for("imports.show", job_id=outcome.value.id))
    jobs = db.session.scalars(recent_imports()).all()
    return render_template("admin/import.html", form=form, jobs=jobs,
                           status_labels=STATUS_LABELS, number=format_number), outcome.status


@bp.route("/<id:job_id>")
@policy.require("admin.manage")
def show(job_id: int):
    job = db.get_or_404(BuurtImport, job_id)
    stalled = job.running and clock.now() - (job.updated_at or job.created_at) > STALLED_AFTER
    return render_template(
        "admin/import_job.html", job=job, started_by=started_by(job), stalled=stalled,
        status_label=STATUS_LABELS[job.status], decision_form=DecisionForm(),
        summary_text=summary_text, problem_text=problem_text, feature_text=feature_text,
        more_text=more_text, failed_text=file_error_text("failed"), number=format_number)


@bp.route("/<id:job_id>/besluit", methods=["POST"])
@policy.require("admin.manage")
def decide(job_id: int):
    job = db.get_or_404(BuurtImport, job_id)
    form = DecisionForm()
    accept = form.choice.data == "import"
    outcome = done(lambda: services.decide_overlaps(current_user, job, accept=accept),
                   _("The import continues.") if accept else _("The import was cancelled."),
                   form=form)
    if outcome and accept:
        launch(job)
    elif outcome:
        remove_upload(job)
    return redirect(url_for("imports.show", job_id=job.id))

