"""Importing CBS wijk- en buurtkaart GeoJSON: all or nothing, and idempotent."""

import copy
import json

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from marketplace.demo import demo_buurten_geojson
from marketplace.extensions import db
from marketplace.geo.importer import BuurtImportError, import_buurten
from marketplace.geo.models import Buurt, Gemeente, Wijk


@pytest.fixture(autouse=True)
def in_english(app):
    """Messages are compared in English; the Dutch are in the translation files."""
    with force_locale("en"):
        yield

def _counts() -> tuple[int, int, int]:
    return tuple(db.session.scalar(sa.select(sa.func.count()).select_from(model))
                 for model in (Gemeente, Wijk, Buurt))


def test_import_creates_gemeente_wijken_and_buurten(app):
    result = import_buurten(demo_buurten_geojson())
    db.session.commit()
    assert (result.created, result.updated, result.unchanged) == (12, 0, 0)
    assert _counts() == (1, 3, 12)
    buurt = db.session.scalar(sa.select(Buurt).where(Buurt.code == "BU99990203"))
    assert buurt.name == "Bloemenbuurt"
    assert buurt.wijk.code == "WK999902"
    assert buurt.wijk.name == "Oost"
    assert buurt.gemeente.name == "Buurtstad (demo)"
    assert json.loads(buurt.geometry)["type"] == "Polygon"
    gemeente = buurt.gemeente
    assert gemeente.bbox == pytest.approx((3.68, 52.47, 3.76, 52.50))


def test_importing_the_same_file_twice_changes_nothing(app):
    import_buurten(demo_buurten_geojson())
    db.session.commit()
    result = import_buurten(demo_buurten_geojson())
    assert (result.created, result.updated, result.unchanged) == (0, 0, 12)
    assert not db.session.dirty
    assert _counts() == (1, 3, 12)


def test_changed_name_is_updated(app):
    import_buurten(demo_buurten_geojson())
    collection = demo_buurten_geojson()
    collection["features"][0]["properties"]["buurtnaam"] = "Oude Binnenstad"
    result = import_buurten(collection)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 11)


def test_residents_come_from_the_cbs_kerncijfers_in_the_file(app):
    collection = demo_buurten_geojson()
    first, second, third = (feature["properties"] for feature in collection["features"][:3])
    first["aantal_inwoners"] = 1234
    del second["aantal_inwoners"]
    second["AANT_INW"] = "845"  # the older files' name
    third["aantal_inwoners"] = -99999997  # CBS: kept secret
    import_buurten(collection)
    db.session.commit()
    residents = dict(db.session.execute(sa.select(Buurt.code, Buurt.residents)).all())
    assert residents[first["buurtcode"]] == 1234
    assert residents[second["buurtcode"]] == 845
    assert residents[third["buurtcode"]] is None
    assert residents["BU99990203"] == 600 + ((2 * 7 + 3 * 13) % 20) * 150


def test_multipolygon_is_accepted(app):
    collection = demo_buurten_geojson()
    polygon = collection["features"][0]["geometry"]["coordinates"]
    island = [[[3.6, 52.4], [3.601, 52.4], [3.601, 52.401], [3.6, 52.4]]]
    collection["features"][0]["geometry"] = {"type": "MultiPolygon",
                                             "coordinates": [polygon, island]}
    import_buurten(collection)
    buurt = db.session.scalar(sa.select(Buurt).where(Buurt.code == "BU99990101"))
    assert json.loads(buurt.geometry)["type"] == "MultiPolygon"
    assert buurt.min_lon == pytest.approx(3.6)


def _broken(change) -> dict:
    collection = demo_buurten_geojson()
    change(collection["features"])
    return collection


def _kinds(error: BuurtImportError) -> set[tuple[str, str]]:
    return {(group["kind"], group["key"]) for group in error.report["groups"]}


@pytest.mark.parametrize(("change", "kind"), [
    (lambda f: f[5]["properties"].pop("buurtnaam"), ("missing", "buurtnaam")),
    (lambda f: f[5]["properties"].update(buurtcode="XX123"), ("bad_code", "buurtcode")),
    (lambda f: f[5]["properties"].update(wijkcode="WK999903"), ("outside_area", "")),
    (lambda f: f[5].update(geometry={"type": "Point", "coordinates": [3.7, 52.5]}),
     ("not_polygon", "")),
    (lambda f: f[5].update(geometry={"type": "Polygon", "coordinates": [[
        [155000, 463000], [156000, 463000], [156000, 464000], [155000, 463000]]]}),
     ("not_lonlat", "")),
    (lambda f: f.append(copy.deepcopy(f[0])), ("duplicate", "")),
    (lambda f: f.__setitem__(5, "geen feature"), ("not_feature", "")),
])
def test_bad_feature_imports_nothing(app, change, kind):
    with pytest.raises(BuurtImportError) as error:
        import_buurten(_broken(change))
    assert _kinds(error.value) == {kind}
    assert error.value.report["wrong"] == 1
    assert error.value.errors[0].startswith("1 of ")
    db.session.rollback()
    assert _counts() == (0, 0, 0)


@pytest.mark.parametrize("collection", [
    {}, {"type": "FeatureCollection", "features": []}, [], {"type": "Feature"},
])
def test_not_a_collection_is_refused(app, collection):
    with pytest.raises(BuurtImportError):
        import_buurten(collection)


def test_self_intersecting_outline_is_repaired(app):
    collection = demo_buurten_geojson()
    bowtie = [[[3.68, 52.50], [3.70, 52.49], [3.70, 52.50], [3.68, 52.49], [3.68, 52.50]]]
    collection["features"][0]["geometry"]["coordinates"] = bowtie
    import_buurten(collection)
    buurt = db.session.scalar(sa.select(Buurt).where(Buurt.code == "BU99990101"))
    assert json.loads(buurt.geometry)["type"] in ("Polygon", "MultiPolygon")


def test_cli_import_and_error_exit(runner, tmp_path):
    good = tmp_path / "buurten.geojson"
    good.write_text(json.dumps(demo_buurten_geojson()))
    result = runner.invoke(args=["import-buurten", str(good)])
    assert result.exit_code == 0, result.output
    assert "12 buurten added" in result.output
    result = runner.invoke(args=["import-buurten", str(good)])
    assert "0 buurten added, 0 changed, 12 unchanged" in result.output

    bad = tmp_path / "kapot.geojson"
    bad.write_text('{"type": "FeatureCollection", "features": [')
    result = runner.invoke(args=["import-buurten", str(bad)])
    assert result.exit_code == 1
    assert "Nothing was imported" in result.output
