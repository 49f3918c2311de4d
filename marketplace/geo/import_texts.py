"""The words for what is wrong with a buurten file, in the language of whoever reads them.

The checks store kinds and numbers, never sentences, so a report written by the background job
reads in Dutch to one admin and in English to another.
"""

from __future__ import annotations

from flask_babel import format_number, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

FILE_ERRORS = {
    "format": _l("Choose a .geojson, .geojson.gz or .gpkg file."),
    "unreadable": _l("The file cannot be read as GeoJSON or GeoPackage. Check that it is the CBS "
                     "wijk- en buurtkaart and that the upload is complete."),
    "no_buurten_layer": _l("The file has no layer with the property ‘buurtcode’. Use the buurten "
                           "layer of the CBS wijk- en buurtkaart."),
    "not_a_collection": _l("The file is not a GeoJSON FeatureCollection."),
    "empty": _l("The file contains no buurten."),
    "unknown_crs": _l("The file uses a coordinate system that cannot be converted to WGS84. "
                      "Export it in RD New (EPSG:28992) or WGS84 (EPSG:4326)."),
    "rd_without_crs": _l("The coordinates look like RD New (EPSG:28992) metres, but the file does "
                         "not say which coordinate system it uses. Export it again with its "
                         "coordinate system (a GeoPackage keeps it) or in WGS84 (EPSG:4326)."),
    "no_crs": _l("The coordinates are not longitude and latitude, and the file does not say "
                 "which coordinate system it uses."),
    "failed": _l("Something went wrong while importing. Nothing was imported; try again, or ask "
                 "a developer to look at the server log."),
}

PROBLEMS = {
    "not_feature": _l("not a feature with properties"),
    "missing": _l("property ‘%(key)s’ is missing"),
    "bad_code": _l("‘%(key)s’ is not a valid code (like %(example)s)"),
    "outside_area": _l("buurtcode does not belong to its wijkcode and gemeentecode"),
    "duplicate": _l("buurtcode appears more than once"),
    "no_geometry": _l("outline is missing"),
    "unreadable": _l("outline cannot be read"),
    "not_polygon": _l("outline is not a Polygon or MultiPolygon"),
    "empty": _l("outline is empty"),
    "not_lonlat": _l("coordinates are not longitude/latitude"),
    "too_few_points": _l("outline has too few points and cannot be repaired"),
    "invalid": _l("outline is invalid and cannot be repaired"),
}
EXAMPLES = {"buurtcode": "BU03440101", "wijkcode": "WK034401", "gemeentecode": "GM0344"}


def file_error_text(kind: str) -> str:
    return str(FILE_ERRORS.get(kind, FILE_ERRORS["failed"]))


def problem_text(kind: str, key: str = "") -> str:
    """One kind of problem, e.g. "property ‘buurtnaam’ is missing"."""
    return str(PROBLEMS[kind]) % {"key": key, "example": EXAMPLES.get(key, "")}


def feature_text(number: int, code: str) -> str:
    """Where a problem is: the feature's number in the file, and its buurtcode if it has one."""
    if code:
        return _("No. %(number)s in the file (%(code)s)", number=format_number(number), code=code)
    return _("No. %(number)s in the file", number=format_number(number))


def summary_text(report: dict) -> str:
    """ "312 of 14,000 buurten cannot be imported: 300 × …, 12 × …" """
    if report.get("file"):
        return file_error_text(report["file"])
    counts = ", ".join(f"{format_number(group['count'])} × {problem_text(group['kind'], group['key'])}"
                       for group in report["groups"])
    return ngettext("%(wrong)s of %(total)s buurten cannot be imported: %(counts)s",
                    "%(wrong)s of %(total)s buurten cannot be imported: %(counts)s",
                    report["wrong"], wrong=format_number(report["wrong"]),
                    total=format_number(report["total"]), counts=counts)


def more_text(count: int) -> str:
    return ngettext("… and %(more)s more", "… and %(more)s more", count, more=format_number(count))


def report_lines(report: dict) -> list[str]:
    """The summary, then per kind its first few features, one a line (for the command line)."""
    lines = [summary_text(report)]
    if report.get("file"):
        return lines
    for group in report["groups"]:
        lines.append(f"{problem_text(group['kind'], group['key'])}:")
        lines.extend(f"  {feature_text(number, code)}" for number, code in group["first"])
        if group["count"] > len(group["first"]):
            lines.append(f"  {more_text(group['count'] - len(group['first']))}")
    return lines
