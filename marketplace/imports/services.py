"""Starting an import and deciding on overlaps: the steps the web layer commits."""

from __future__ import annotations

from pathlib import Path

from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from marketplace import clock
from marketplace.atomic import change_if
from marketplace.audit.services import record
from marketplace.auth.models import User
from marketplace.extensions import db
from marketplace.geo.buurt_source import file_format
from marketplace.imports.models import BuurtImport, ImportStatus
from marketplace.imports.runner import import_dir, stored_path
from marketplace.refused import Refused

NAME_LENGTH = 200


class ImportRefused(Refused):
    """The import cannot be started or decided on as asked."""


def start_import(actor: User | None, upload: FileStorage) -> BuurtImport:
    """Save the upload under IMPORT_DIR as a queued job; the caller commits, then launches."""
    name = Path(upload.filename or "").name[:NAME_LENGTH]
    fmt = file_format(name)
    if fmt is None:
        raise ImportRefused(_("Choose a .geojson, .geojson.gz or .gpkg file."), field="file")
    job = BuurtImport(file_name=name, format=fmt, status=ImportStatus.QUEUED)
    db.session.add(job)
    db.session.flush()
    import_dir().mkdir(parents=True, exist_ok=True)
    upload.save(stored_path(job))  # copied in chunks from werkzeug's temporary file
    job.size = stored_path(job).stat().st_size
    record(actor, "buurten.import", job, label=name,
           after={"file": name, "format": fmt, "size": job.size})
    return job


def start_import_of_path(actor: User | None, path: Path, *, accept_overlaps: bool) -> BuurtImport:
    """A job for a file on the server (the command line): it is read where it is."""
    fmt = file_format(path.name)
    if fmt is None:
        raise ImportRefused(_("Choose a .geojson, .geojson.gz or .gpkg file."), field="file")
    job = BuurtImport(file_name=path.name[:NAME_LENGTH], format=fmt, size=path.stat().st_size,
                      status=ImportStatus.QUEUED, overlaps_accepted=accept_overlaps)
    db.session.add(job)
    db.session.flush()
    record(actor, "buurten.import", job, label=job.file_name, reason="flask import-buurten",
           after={"file": job.file_name, "format": fmt, "size": job.size})
    return job


def decide_overlaps(actor: User, job: BuurtImport, *, accept: bool) -> bool:
    """Import anyway (back in the queue) or cancel; only once, whoever clicks first."""
    now = clock.now()
    if accept:
        changed = change_if(job, BuurtImport.status == ImportStatus.NEEDS_DECISION,
                            status=ImportStatus.QUEUED, overlaps_accepted=True, updated_at=now)
    else:
        changed = change_if(job, BuurtImport.status == ImportStatus.NEEDS_DECISION,
                            status=ImportStatus.CANCELLED, updated_at=now, finished_at=now)
    if not changed:
        raise ImportRefused(_("This import is no longer waiting for a decision."))
    count = (job.overlaps or {}).get("count", 0)
    record(actor, "buurten.import_accept" if accept else "buurten.import_cancel", job,
           label=job.file_name, after={"status": job.status.value, "overlaps": count})
    return accept
