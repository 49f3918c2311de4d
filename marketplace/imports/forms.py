"""Forms of the import pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField
from wtforms.validators import AnyOf, ValidationError

from marketplace.geo.buurt_source import file_format


def _known_format(_form, field) -> None:
    if field.data and file_format(field.data.filename or "") is None:
        raise ValidationError(_l("Choose a .geojson, .geojson.gz or .gpkg file."))


class ImportFileForm(FlaskForm):
    file = FileField(
        _l("Buurten file of the CBS wijk- en buurtkaart"),
        validators=[FileRequired(_l("Choose a file.")), _known_format],
        description=_l("GeoJSON (.geojson, .json, .geojson.gz) in WGS84, or the CBS GeoPackage "
                       "(.gpkg) as published, in RD New."),
        render_kw={"accept": ".geojson,.json,.gz,.gpkg"})


class DecisionForm(FlaskForm):
    """Import anyway or cancel, after overlaps with another gemeente were found."""

    choice = HiddenField(validators=[AnyOf(["import", "cancel"])])
