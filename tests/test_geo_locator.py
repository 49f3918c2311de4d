"""Placing a point in its buurt: point in polygon over an STRtree, refreshed after imports."""

from marketplace.demo import demo_buurten_geojson
from marketplace.geo import locator
from marketplace.geo.importer import import_buurten


def test_points_land_in_the_right_buurt(gemeente, other_gemeente):
    assert locator.buurt_at(52.495, 3.69).code == "BU99990101"
    assert locator.buurt_at(52.475, 3.75).code == "BU99990304"
    assert locator.buurt_at(52.37, 4.89) is None  # Amsterdam: no buurt of ours


def test_a_multipolygon_buurt_is_found_in_each_part(app):
    collection = demo_buurten_geojson()
    outline = collection["features"][0]["geometry"]["coordinates"]
    island = [[[3.60, 52.40], [3.61, 52.40], [3.61, 52.41], [3.60, 52.41], [3.60, 52.40]]]
    collection["features"][0]["geometry"] = {"type": "MultiPolygon",
                                             "coordinates": [outline, island]}
    import_buurten(collection)
    assert locator.buurt_at(52.405, 3.605).code == "BU99990101"
    assert locator.buurt_at(52.495, 3.69).code == "BU99990101"


def test_new_buurten_are_seen_after_an_import(app):
    assert locator.buurt_at(52.495, 3.69) is None
    import_buurten(demo_buurten_geojson())
    assert locator.buurt_at(52.495, 3.69).code == "BU99990101"
