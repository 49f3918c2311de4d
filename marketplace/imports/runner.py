"""Running an import job outside the web request.

The web request saves the upload, commits the job and calls :func:`launch`, which starts
``flask run-import JOB_ID`` as a process of its own: app servers are stateless and a sync
worker is killed after 30 s, so the work cannot stay in the request. The job writes its progress
to its row in short transactions of their own, so any app server can show it. The buurten are
written in one transaction, together with the job's result and the audit entry: a refused or
failed file imports nothing.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from marketplace import clock
from marketplace.atomic import change_if
from marketplace.audit.services import record
from marketplace.extensions import db
from marketplace.geo.buurt_checks import check_source
from marketplace.geo.import_errors import BuurtImportError
from marketplace.geo.importer import find_overlaps, read_source, write_buurten
from marketplace.imports.models import BuurtImport, ImportStatus
from marketplace.imports.queries import started_by

log = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parent.parent.parent
_children: list[subprocess.Popen] = []


def import_dir() -> Path:
    return Path(current_app.config["IMPORT_DIR"])


def stored_path(job: BuurtImport) -> Path:
    return import_dir() / job.stored_name


def remove_upload(job: BuurtImport) -> None:
    stored_path(job).unlink(missing_ok=True)


def _reap() -> None:
    """Collect the exit status of jobs that ended, so no finished process lingers."""
    _children[:] = [child for child in _children if child.poll() is None]


def launch(job: BuurtImport) -> None:
    """Start the job in a process of its own (after the job was committed)."""
    url = db.engine.url
    if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
        run_job(job.id)  # a database in memory exists only in this process
        return
    env = {**os.environ, "DATABASE_URL": url.render_as_string(hide_password=False),
           "IMPORT_DIR": str(import_dir()), "INSTANCE_PATH": current_app.instance_path,
           "SECRET_KEY": current_app.config["SECRET_KEY"]}
    import_dir().mkdir(parents=True, exist_ok=True)
    _reap()
    with open(import_dir() / f"{job.id}.log", "ab") as output:
        _children.append(subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "marketplace", "run-import", str(job.id)],
            cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=output, stderr=output,
            start_new_session=True, close_fds=True))


def _note(job_id: int, **values) -> None:
    """Write progress in a short transaction of its own, beside the job's own work."""
    with db.engine.begin() as connection:
        connection.execute(sa.update(BuurtImport.__table__).where(BuurtImport.id == job_id)
                           .values(updated_at=clock.now(), **values))


def _finish(job: BuurtImport, status: ImportStatus, action: str, **values) -> None:
    now = clock.now()
    for name, value in values.items():
        setattr(job, name, value)
    job.status, job.updated_at, job.finished_at = status, now, now
    record(started_by(job), action, job, label=job.file_name,
           after={"status": status.value, **{k: v for k, v in values.items()
                                             if k in ("created", "updated", "unchanged")}})


def run_job(job_id: int, path: Path | None = None) -> BuurtImport | None:
    """Check, and unless refused or waiting for a decision, import the job's file."""
    job = db.session.get(BuurtImport, job_id)
    if job is None:
        return None
    now = clock.now()
    if not change_if(job, BuurtImport.status == ImportStatus.QUEUED,
                     status=ImportStatus.CHECKING, started_at=now, updated_at=now):
        return job  # another process took it, or it was decided on already
    db.session.commit()
    try:
        _run(job, path or stored_path(job))
    except Exception:
        db.session.rollback()
        log.exception("import %s failed", job_id)
        job = db.session.get(BuurtImport, job_id)
        _finish(job, ImportStatus.FAILED, "buurten.import_failed",
                problems={"file": "failed", "total": 0, "wrong": 0, "groups": []})
        db.session.commit()
    if path is None and job.status != ImportStatus.NEEDS_DECISION:
        remove_upload(job)
    return job


def _run(job: BuurtImport, path: Path) -> None:
    job_id = job.id
    try:
        source = read_source(path, job.format)
        _note(job_id, total=len(source))
        checked = check_source(source, lambda done: _note(job_id, processed=done))
        del source
    except BuurtImportError as error:
        db.session.rollback()
        _finish(job, ImportStatus.REFUSED, "buurten.import_refused", problems=error.report)
        db.session.commit()
        return
    db.session.refresh(job)
    if not job.overlaps_accepted:
        overlaps = find_overlaps(checked)
        if overlaps["count"]:
            change_if(job, BuurtImport.status == ImportStatus.CHECKING,
                      status=ImportStatus.NEEDS_DECISION, overlaps=overlaps, updated_at=clock.now())
            db.session.commit()
            return
    if not change_if(job, BuurtImport.status == ImportStatus.CHECKING,
                     status=ImportStatus.IMPORTING, processed=0, updated_at=clock.now()):
        return
    db.session.commit()
    # SQLite has one writer at a time: the progress of the writing itself waits for the end.
    sqlite = db.engine.url.get_backend_name() == "sqlite"
    result = write_buurten(checked, progress=None if sqlite else (
        lambda done: _note(job_id, processed=done)))
    job = db.session.get(BuurtImport, job_id)
    _finish(job, ImportStatus.DONE, "buurten.import_done", processed=len(checked),
            created=result.created, updated=result.updated, unchanged=result.unchanged,
            repaired=result.repaired, gemeenten=len(result.gemeenten))
    db.session.commit()
