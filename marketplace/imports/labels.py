"""The words for an import's status."""

from flask_babel import lazy_gettext as _l

from marketplace.imports.models import ImportStatus

STATUS_LABELS = {
    ImportStatus.QUEUED: _l("Waiting to start"),
    ImportStatus.CHECKING: _l("Checking the file"),
    ImportStatus.NEEDS_DECISION: _l("Waiting for your decision"),
    ImportStatus.IMPORTING: _l("Importing"),
    ImportStatus.DONE: _l("Done"),
    ImportStatus.REFUSED: _l("Refused: nothing imported"),
    ImportStatus.FAILED: _l("Failed: nothing imported"),
    ImportStatus.CANCELLED: _l("Cancelled: nothing imported"),
}
