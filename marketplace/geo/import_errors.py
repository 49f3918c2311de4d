"""The refusal of a buurten file: what is wrong, counted by kind, in no language yet."""

from __future__ import annotations

from marketplace.geo.import_texts import report_lines, summary_text
from marketplace.refused import Refused


class BuurtImportError(Refused):
    """Nothing was imported. ``report`` says why: either ``{"file": kind}`` for a file that
    cannot be read at all, or the total, the number of wrong features and their problems
    grouped by kind (see ``import_texts``), so the page can say it in the reader's language."""

    def __init__(self, report: dict):
        self.report = report
        super().__init__(summary_text(report), field="file")

    @classmethod
    def file(cls, kind: str) -> BuurtImportError:
        return cls({"file": kind, "total": 0, "wrong": 0, "groups": []})

    @property
    def errors(self) -> list[str]:
        """The report as lines, in the current language."""
        return report_lines(self.report)
