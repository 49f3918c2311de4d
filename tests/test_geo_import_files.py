"""Importing real CBS files: GeoJSON, gzipped GeoJSON and the GeoPackage in RD New; what is wrong
counted by kind; outlines repaired where they can be; overlaps with other gemeenten found."""

import copy
import gzip
import json

import numpy as np
import pyogrio.raw
import pytest
import shapely
import sqlalchemy as sa
from flask_babel import force_locale
from pyproj import Transformer

from marketplace.demo import demo_buurten_geojson
from marketplace.extensions import db
from marketplace.geo.buurt_checks import FIRST
from marketplace.geo.import_errors import BuurtImportError
from marketplace.geo.importer import OverlapsFound, import_buurten
from marketplace.geo.models import Buurt, Gemeente, Wijk

FIELDS = ["buurtcode", "buurtnaam", "wijkcode", "wijknaam", "gemeentecode", "gemeentenaam"]



@pytest.fixture(autouse=True)
def in_english(app):
    """Messages are compared in English; the Dutch are in the translation files."""
    with force_locale("en"):
        yield

def _counts() -> tuple[int, int, int]:
    return tuple(db.session.scalar(sa.select(sa.func.count()).select_from(model))
                 for model in (Gemeente, Wijk, Buurt))


def _buurt(code: str) -> Buurt:
    return db.session.scalar(sa.select(Buurt).where(Buurt.code == code))


def _kinds(error: BuurtImportError) -> dict[tuple[str, str], int]:
    return {(group["kind"], group["key"]): group["count"] for group in error.report["groups"]}


def write_gpkg(path, collection: dict, crs: str | None = "EPSG:28992", *, names=FIELDS,
               layer: str = "cbs_buurten_2023", extra_layer: bool = False,
               extra: dict | None = None) -> None:
    """Write the collection's features (WGS84) as a GeoPackage in ``crs``, as CBS does."""
    features = collection["features"]
    geometries = np.array([shapely.geometry.shape(f["geometry"]) for f in features])
    if crs is not None:
        to_crs = Transformer.from_crs(4326, crs, always_xy=True)
        geometries = shapely.transform(
            geometries, lambda xy: np.column_stack(to_crs.transform(xy[:, 0], xy[:, 1])))
    else:  # no CRS in the file, but RD coordinates all the same
        to_rd = Transformer.from_crs(4326, 28992, always_xy=True)
        geometries = shapely.transform(
            geometries, lambda xy: np.column_stack(to_rd.transform(xy[:, 0], xy[:, 1])))
    if extra_layer:  # CBS files hold gemeenten and wijken layers too
        pyogrio.raw.write(path, shapely.to_wkb(geometries[:1]), [np.array(["GM9999"])],
                          ["gemeentecode"], layer="gemeenten", driver="GPKG",
                          geometry_type="Polygon", crs=crs)
    fields = [np.array([f["properties"].get(key) for f in features], dtype=object)
              for key in FIELDS] + [np.array(values, dtype=object) for values in (extra or {}).values()]
    pyogrio.raw.write(path, shapely.to_wkb(geometries), fields, [*names, *(extra or {})],
                      layer=layer,
                      driver="GPKG", geometry_type="Polygon", crs=crs, append=extra_layer)


def test_geojson_file(app, tmp_path):
    path = tmp_path / "buurten.geojson"
    path.write_text(json.dumps(demo_buurten_geojson()))
    result = import_buurten(path)
    db.session.commit()
    assert (result.created, result.updated, result.unchanged) == (12, 0, 0)
    assert _counts() == (1, 3, 12)


def test_gzipped_geojson_file(app, tmp_path):
    path = tmp_path / "buurten.geojson.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        json.dump(demo_buurten_geojson(), handle)
    result = import_buurten(path)
    assert result.created == 12
    buurt = _buurt("BU99990203")
    assert buurt.name == "Bloemenbuurt"
    assert shapely.from_geojson(buurt.geometry).bounds == pytest.approx(
        (3.72, 52.48, 3.74, 52.49))


def test_geopackage_in_rd_new_is_converted_to_wgs84(app, tmp_path):
    """A square of 200 m around RD (155000, 463000), the Amersfoort origin, lands at about
    52.1552 N 5.3872 E."""
    collection = demo_buurten_geojson()
    feature = collection["features"][0]
    to_wgs84 = Transformer.from_crs(28992, 4326, always_xy=True)
    square = [(154_900, 462_900), (155_100, 462_900), (155_100, 463_100), (154_900, 463_100)]
    feature["geometry"] = {"type": "Polygon", "coordinates": [
        [list(to_wgs84.transform(x, y)) for x, y in [*square, square[0]]]]}
    path = tmp_path / "wijkenbuurten_2023.gpkg"
    write_gpkg(path, collection, extra_layer=True)
    import_buurten(path)
    centre = shapely.from_geojson(_buurt("BU99990101").geometry).centroid
    assert (centre.y, centre.x) == pytest.approx((52.1552, 5.3872), abs=5e-4)
    assert _counts() == (1, 3, 12)


def test_geopackage_property_names_in_any_case_and_the_postcode(app, tmp_path):
    path = tmp_path / "buurten.gpkg"
    postcodes = ["3511 AB", "1234", "9999", ".", "-99999999", None] * 2
    write_gpkg(path, demo_buurten_geojson(), names=[name.upper() for name in FIELDS],
               extra={"Meest_Voorkomende_Postcode": postcodes})
    import_buurten(path)
    assert _counts() == (1, 3, 12)
    stored = db.session.scalars(sa.select(Buurt.postcode).order_by(Buurt.code)).all()
    assert stored[:6] == ["3511", "1234", "9999", None, None, None]


@pytest.mark.parametrize("key", ["postcode", "meest_voorkomende_postcode",
                                 "MeestVoorkomendePostcode"])
def test_postcode_is_kept_as_four_digits(app, key):
    collection = demo_buurten_geojson()
    values = ["3511 AB", "1234", 9999.0, ".", "-99999999", None, "0123", 3512]
    for feature, value in zip(collection["features"], values, strict=False):
        feature["properties"][key] = value
    import_buurten(collection)
    postcodes = db.session.scalars(sa.select(Buurt.postcode).order_by(Buurt.code)).all()
    assert postcodes[:8] == ["3511", "1234", "9999", None, None, None, None, "3512"]


def test_another_projected_crs_is_converted(app, tmp_path):
    path = tmp_path / "buurten_laea.gpkg"
    write_gpkg(path, demo_buurten_geojson(), crs="EPSG:3035")
    import_buurten(path)
    outline = shapely.from_geojson(_buurt("BU99990101").geometry)
    assert outline.bounds == pytest.approx((3.68, 52.49, 3.70, 52.50), abs=1e-6)


def test_rd_coordinates_without_a_crs_are_refused(app, tmp_path):
    path = tmp_path / "zonder_crs.gpkg"
    with pytest.warns(UserWarning, match="crs"):
        write_gpkg(path, demo_buurten_geojson(), crs=None)
    with pytest.raises(BuurtImportError) as error:
        import_buurten(path)
    assert error.value.report["file"] == "rd_without_crs"
    assert "RD New (EPSG:28992)" in error.value.errors[0]
    assert _counts() == (0, 0, 0)


def test_geojson_in_rd_metres_without_saying_so_is_refused(app, tmp_path):
    collection = demo_buurten_geojson()
    to_rd = Transformer.from_crs(4326, 28992, always_xy=True)
    for feature in collection["features"]:
        ring = feature["geometry"]["coordinates"][0]
        feature["geometry"]["coordinates"] = [[list(to_rd.transform(x, y)) for x, y in ring]]
    path = tmp_path / "rd.geojson"
    path.write_text(json.dumps(collection))
    with pytest.raises(BuurtImportError) as error:
        import_buurten(path)
    assert error.value.report["file"] == "rd_without_crs"


def test_geojson_that_names_rd_new_is_converted(app, tmp_path):
    collection = demo_buurten_geojson()
    to_rd = Transformer.from_crs(4326, 28992, always_xy=True)
    for feature in collection["features"]:
        ring = feature["geometry"]["coordinates"][0]
        feature["geometry"]["coordinates"] = [[list(to_rd.transform(x, y)) for x, y in ring]]
    collection["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}}
    path = tmp_path / "rd.geojson"
    path.write_text(json.dumps(collection))
    import_buurten(path)
    outline = shapely.from_geojson(_buurt("BU99990101").geometry)
    assert outline.bounds == pytest.approx((3.68, 52.49, 3.70, 52.50), abs=1e-6)


@pytest.mark.parametrize(("name", "content", "kind"), [
    ("kapot.geojson", b'{"type": "FeatureCollection", "features": [', "unreadable"),
    ("kapot.gpkg", b"SQLite format 3\x00 but nothing after it", "unreadable"),
    ("kapot.geojson.gz", b"not gzip at all", "unreadable"),
    ("gemeenten.geojson", json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"gemeentecode": "GM0344"},
        "geometry": {"type": "Point", "coordinates": [5, 52]}}]}).encode(), "no_buurten_layer"),
    ("buurten.shp", b"", "format"),
])
def test_unreadable_files_say_so_in_our_words(app, tmp_path, name, content, kind):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(BuurtImportError) as error:
        import_buurten(path)
    assert error.value.report["file"] == kind
    assert "GDAL" not in str(error.value) and "OGR" not in str(error.value)


def test_repairable_outline_is_repaired(app):
    collection = demo_buurten_geojson()
    bowtie = [[3.68, 52.50], [3.70, 52.49], [3.70, 52.50], [3.68, 52.49], [3.68, 52.50]]
    collection["features"][0]["geometry"]["coordinates"] = [bowtie]
    result = import_buurten(collection)
    assert result.repaired == 1
    outline = shapely.from_geojson(_buurt("BU99990101").geometry)
    assert outline.is_valid and outline.geom_type in ("Polygon", "MultiPolygon")


@pytest.mark.parametrize(("ring", "kind"), [
    ([[3.7, 52.5], [3.7, 52.5], [3.7, 52.5], [3.7, 52.5]], "too_few_points"),
    ([[3.7, 52.5], [3.71, 52.5], [3.72, 52.5], [3.7, 52.5]], "invalid"),
])
def test_unrepairable_outline_is_refused(app, ring, kind):
    collection = demo_buurten_geojson()
    collection["features"][3]["geometry"]["coordinates"] = [ring]
    with pytest.raises(BuurtImportError) as error:
        import_buurten(collection)
    assert _kinds(error.value) == {(kind, ""): 1}
    assert error.value.report["groups"][0]["first"] == [[4, "BU99990104"]]
    assert "shapely" not in " ".join(error.value.errors).lower()
    assert "Self-intersection" not in " ".join(error.value.errors)


def test_missing_property_in_a_file(app, tmp_path):
    collection = demo_buurten_geojson()
    for feature in collection["features"][2:4]:
        del feature["properties"]["buurtnaam"]
    path = tmp_path / "buurten.geojson"
    path.write_text(json.dumps(collection))
    with pytest.raises(BuurtImportError) as error:
        import_buurten(path)
    assert _kinds(error.value) == {("missing", "buurtnaam"): 2}
    assert error.value.report["wrong"] == 2 and error.value.report["total"] == 12


def test_problems_are_counted_by_kind_with_the_first_few_listed(app):
    collection = demo_buurten_geojson()
    features = collection["features"]
    for feature in features[:8]:
        feature["geometry"]["coordinates"] = [[[3.7, 52.5], [3.71, 52.5], [3.72, 52.5],
                                               [3.7, 52.5]]]
    for feature in features[8:11]:
        del feature["properties"]["buurtnaam"]
    del features[0]["properties"]["gemeentenaam"]  # a second problem with a feature counted
    with pytest.raises(BuurtImportError) as error:
        import_buurten(collection)
    report = error.value.report
    assert (report["total"], report["wrong"]) == (12, 11)
    assert [(g["kind"], g["key"], g["count"]) for g in report["groups"]] == [
        ("invalid", "", 8), ("missing", "buurtnaam", 3), ("missing", "gemeentenaam", 1)]
    assert [number for number, _code in report["groups"][0]["first"]] == [1, 2, 3, 4, 5]
    assert len(report["groups"][0]["first"]) == FIRST
    lines = error.value.errors
    assert lines[0] == ("11 of 12 buurten cannot be imported: 8 × outline is invalid and cannot "
                        "be repaired, 3 × property ‘buurtnaam’ is missing, 1 × property "
                        "‘gemeentenaam’ is missing")
    assert "  No. 1 in the file (BU99990101)" in lines
    assert "  … and 3 more" in lines
    assert _counts() == (0, 0, 0)


def test_refused_file_leaves_what_was_there(app):
    import_buurten(demo_buurten_geojson())
    db.session.commit()
    name = _buurt("BU99990101").name
    collection = demo_buurten_geojson()
    collection["features"][0]["properties"]["buurtnaam"] = "Nieuwe naam"
    collection["features"][5]["properties"]["buurtcode"] = "BU123"
    with pytest.raises(BuurtImportError):
        import_buurten(collection)
    db.session.rollback()
    assert _buurt("BU99990101").name == name != "Nieuwe naam"


def test_reimporting_a_geopackage_changes_nothing(app, tmp_path):
    path = tmp_path / "buurten.gpkg"
    write_gpkg(path, demo_buurten_geojson())
    first = import_buurten(path)
    db.session.commit()
    again = import_buurten(path)
    assert (first.created, again.created, again.updated, again.unchanged) == (12, 0, 0, 12)


def _other_gemeente(collection: dict, shift_lon: float = 0.0, count: int = 1) -> dict:
    """The first buurten of the demo, as buurten of another gemeente, moved east a little."""
    features = []
    for feature in copy.deepcopy(collection["features"][:count]):
        props = feature["properties"]
        props.update(buurtcode=props["buurtcode"].replace("9999", "8888", 1),
                     wijkcode=props["wijkcode"].replace("9999", "8888", 1),
                     gemeentecode="GM8888", gemeentenaam="Andersdorp")
        ring = feature["geometry"]["coordinates"][0]
        feature["geometry"]["coordinates"] = [[[x + shift_lon, y] for x, y in ring]]
        features.append(feature)
    return {"type": "FeatureCollection", "features": features}


def test_overlap_with_a_buurt_of_another_gemeente_is_reported(app):
    import_buurten(demo_buurten_geojson())
    db.session.commit()
    other = _other_gemeente(demo_buurten_geojson(), shift_lon=0.01)  # half over BU99990101
    with pytest.raises(OverlapsFound) as found:
        import_buurten(other, check_overlaps=True)
    overlaps = found.value.overlaps
    assert overlaps["count"] == 2  # half over Binnenstad, half over its neighbour
    first = overlaps["listed"][0]
    assert (first["code"], first["gemeente_code"], first["other_gemeente_code"]) == (
        "BU88880101", "GM8888", "GM9999")
    assert first["other_code"] in ("BU99990101", "BU99990102")
    assert first["percent"] == pytest.approx(50, abs=0.5)
    assert not first["in_file"]
    assert _counts() == (1, 3, 12)
    # The admin decides to import anyway.
    result = import_buurten(other)
    assert result.created == 1


def test_shared_borders_and_slivers_do_not_count(app):
    import_buurten(demo_buurten_geojson())
    db.session.commit()
    beside = _other_gemeente(demo_buurten_geojson(), shift_lon=-0.02)  # just west of the demo
    import_buurten(beside, check_overlaps=True)
    sliver = _other_gemeente(demo_buurten_geojson(), shift_lon=-0.02 + 0.0001)  # 0.5 % over
    sliver["features"][0]["properties"]["buurtcode"] = "BU88880102"
    import_buurten(sliver, check_overlaps=True)


def test_redrawn_buurt_of_the_same_gemeente_is_no_overlap(app):
    import_buurten(demo_buurten_geojson())
    db.session.commit()
    collection = demo_buurten_geojson()
    collection["features"] = collection["features"][:1]
    feature = collection["features"][0]
    feature["properties"]["buurtcode"] = "BU99990105"
    import_buurten(collection, check_overlaps=True)


def test_overlap_between_gemeenten_in_the_same_file(app):
    collection = demo_buurten_geojson()
    collection["features"] += _other_gemeente(demo_buurten_geojson(), count=2)["features"]
    with pytest.raises(OverlapsFound) as found:
        import_buurten(collection, check_overlaps=True)
    assert found.value.overlaps["count"] == 2
    assert all(entry["in_file"] and entry["percent"] == 100
               for entry in found.value.overlaps["listed"])
    assert _counts() == (0, 0, 0)
