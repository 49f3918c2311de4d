"""One import of a buurten file: what was uploaded, how far the work is, and how it ended.

Who started it and who decided on overlaps is in the audit log (subject ``buurt_import``), so
this table holds no personal data.
"""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.extensions import db
from marketplace.models_base import str_enum, utcnow


class ImportStatus(enum.StrEnum):
    QUEUED = "queued"
    CHECKING = "checking"
    NEEDS_DECISION = "needs_decision"
    IMPORTING = "importing"
    DONE = "done"
    REFUSED = "refused"
    FAILED = "failed"
    CANCELLED = "cancelled"


RUNNING = (ImportStatus.QUEUED, ImportStatus.CHECKING, ImportStatus.IMPORTING)
FINISHED = (ImportStatus.DONE, ImportStatus.REFUSED, ImportStatus.FAILED, ImportStatus.CANCELLED)


class BuurtImport(db.Model):
    __table_args__ = (sa.Index("ix_buurt_import_created_at", "created_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    file_name: Mapped[str] = mapped_column(sa.String(200))
    format: Mapped[str] = mapped_column(sa.String(12))  # geojson, geojson.gz, gpkg
    size: Mapped[int] = mapped_column(sa.BigInteger, default=0, server_default="0")
    status: Mapped[ImportStatus] = mapped_column(
        str_enum(ImportStatus), default=ImportStatus.QUEUED, server_default=ImportStatus.QUEUED.value)
    # Set when an admin chose to import although buurten overlap another gemeente's.
    overlaps_accepted: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    total: Mapped[int] = mapped_column(default=0, server_default="0")
    processed: Mapped[int] = mapped_column(default=0, server_default="0")
    created: Mapped[int] = mapped_column(default=0, server_default="0")
    updated: Mapped[int] = mapped_column(default=0, server_default="0")
    unchanged: Mapped[int] = mapped_column(default=0, server_default="0")
    repaired: Mapped[int] = mapped_column(default=0, server_default="0")
    gemeenten: Mapped[int] = mapped_column(default=0, server_default="0")
    # What is wrong with the file, counted by kind (see marketplace/geo/import_texts.py).
    problems: Mapped[dict | None] = mapped_column(sa.JSON)
    # Overlaps with buurten of other gemeenten: {"count": n, "listed": [...]}.
    overlaps: Mapped[dict | None] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    # Last sign of life from the job: progress, a new phase, the end.
    updated_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    @property
    def running(self) -> bool:
        return self.status in RUNNING

    @property
    def stored_name(self) -> str:
        """The upload's name in IMPORT_DIR."""
        return f"{self.id}.{self.format}"

    def __repr__(self) -> str:
        return f"<BuurtImport {self.id} {self.file_name} {self.status}>"
