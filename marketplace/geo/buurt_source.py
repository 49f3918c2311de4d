"""Reading a CBS buurten file (GeoJSON, gzipped GeoJSON, GeoPackage) or a GeoJSON dict into
columns of properties and outlines, with pyogrio (GDAL) and pyproj; no parsing by hand.

Outlines come out in WGS84 longitude/latitude, whatever coordinate system the file uses. What
the libraries say when they fail is logged, never shown: the person gets our own words.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyogrio
import pyogrio.errors
import shapely
from pyogrio.raw import read
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError, ProjError
from shapely.errors import GEOSException

from marketplace.geo.import_errors import BuurtImportError

log = logging.getLogger(__name__)

# File name endings we read, and what we call the format.
FORMATS = {".geojson": "geojson", ".json": "geojson", ".geojson.gz": "geojson.gz",
           ".json.gz": "geojson.gz", ".gpkg": "gpkg"}
# The properties we read (lower case; files may spell them in any case).
PROPERTIES = ("buurtcode", "buurtnaam", "wijkcode", "wijknaam", "gemeentecode", "gemeentenaam",
              "postcode", "meest_voorkomende_postcode", "meestvoorkomendepostcode", "pc4",
              "aantal_inwoners", "aant_inw")
WGS84 = CRS.from_epsg(4326)
# Where RD New (EPSG:28992) coordinates of the Netherlands lie, in metres.
RD_BOUNDS = (-7_000, 289_000, 300_000, 629_000)


@dataclass
class Source:
    """One row per feature: its properties (lower-case names) and its outline in WGS84."""

    columns: dict[str, np.ndarray]
    geometries: np.ndarray  # shapely geometries or None
    unreadable: np.ndarray  # True where an outline was given but could not be read
    not_features: np.ndarray  # True where an entry is not a feature with properties

    def __len__(self) -> int:
        return len(self.geometries)


def file_format(name: str) -> str | None:
    """The format a file name stands for ("geojson", "geojson.gz", "gpkg"), or None."""
    lower = name.lower()
    for ending in sorted(FORMATS, key=len, reverse=True):
        if lower.endswith(ending):
            return FORMATS[ending]
    return None


def _gdal_path(path: Path, fmt: str) -> str:
    return f"/vsigzip/{path.resolve()}" if fmt == "geojson.gz" else str(path)


def _unreadable_file(error: Exception) -> BuurtImportError:
    log.info("the buurten file cannot be read: %s", error)
    return BuurtImportError.file("unreadable")


def _buurten_layer(gdal_path: str) -> tuple[str | int, dict]:
    """The first layer whose features carry a buurtcode, and what read_info says of it."""
    for name, _geometry_type in pyogrio.list_layers(gdal_path):
        info = pyogrio.read_info(gdal_path, layer=name)
        if "buurtcode" in {str(field).lower() for field in info["fields"]}:
            return name, info
    raise BuurtImportError.file("no_buurten_layer")


def read_buurten_file(path: Path | str, fmt: str | None = None) -> Source:
    """Read the buurten layer of a GeoJSON (.geojson, .geojson.gz) or GeoPackage file."""
    path = Path(path)
    fmt = fmt or file_format(path.name)
    if fmt is None:
        raise BuurtImportError.file("format")
    gdal_path = _gdal_path(path, fmt)
    try:
        layer, info = _buurten_layer(gdal_path)
        wanted = {str(field).lower(): str(field) for field in info["fields"]
                  if str(field).lower() in PROPERTIES}
        meta, _fids, wkb, fields = read(gdal_path, layer=layer, columns=list(wanted.values()),
                                        force_2d=True)
    except BuurtImportError:
        raise
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError,
            pyogrio.errors.FieldError, pyogrio.errors.GeometryError, OSError, ValueError,
            RuntimeError) as error:
        raise _unreadable_file(error) from error
    names = [str(name).lower() for name in meta["fields"]]
    columns = dict(zip(names, fields, strict=True))
    count = len(wkb)
    geometries = np.empty(count, dtype=object)
    unreadable = np.zeros(count, dtype=bool)
    # Parse in slices and let the WKB go as we do, so a national file is not held twice.
    for start in range(0, count, 1000):
        part = wkb[start:start + 1000]
        parsed = shapely.from_wkb(part, on_invalid="fix")
        geometries[start:start + 1000] = parsed
        unreadable[start:start + 1000] = [p is None and w is not None
                                          for p, w in zip(parsed, part, strict=True)]
        wkb[start:start + 1000] = None
    del wkb
    geometries = to_wgs84(geometries, info.get("crs"))
    return Source(columns, geometries, unreadable, np.zeros(count, dtype=bool))


def read_collection(collection: Any) -> Source:
    """The same columns from a GeoJSON FeatureCollection given as a dict."""
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise BuurtImportError.file("not_a_collection")
    features = collection.get("features")
    if not isinstance(features, list) or not features:
        raise BuurtImportError.file("empty")
    count = len(features)
    columns = {name: np.empty(count, dtype=object) for name in PROPERTIES}
    geometries = np.empty(count, dtype=object)
    unreadable = np.zeros(count, dtype=bool)
    not_features = np.zeros(count, dtype=bool)
    for index, feature in enumerate(features):
        if not isinstance(feature, dict) or not isinstance(feature.get("properties"), dict):
            not_features[index] = True
            continue
        for key, value in feature["properties"].items():
            if str(key).lower() in columns:
                columns[str(key).lower()][index] = value
        raw = feature.get("geometry")
        if raw is None:
            continue
        try:
            geometries[index] = shapely.from_geojson(json.dumps(raw), on_invalid="ignore")
        except (GEOSException, ValueError, TypeError):
            geometries[index] = None
        unreadable[index] = geometries[index] is None
    crs = collection.get("crs", {}).get("properties", {}).get("name") \
        if isinstance(collection.get("crs"), dict) else None
    geometries = shapely.force_2d(geometries)  # as the files are read: heights play no part
    return Source(columns, to_wgs84(geometries, crs or "EPSG:4326"), unreadable, not_features)


def _in_degrees(bounds: np.ndarray) -> np.ndarray:
    west, south, east, north = bounds.T
    return (west >= -180) & (east <= 180) & (south >= -90) & (north <= 90)


def _looks_like_rd(bounds: np.ndarray) -> bool:
    west, south, east, north = np.nanmin(bounds[:, 0]), np.nanmin(bounds[:, 1]), \
        np.nanmax(bounds[:, 2]), np.nanmax(bounds[:, 3])
    return (RD_BOUNDS[0] <= west and east <= RD_BOUNDS[2]
            and RD_BOUNDS[1] <= south and north <= RD_BOUNDS[3])


def to_wgs84(geometries: np.ndarray, crs_text: str | None) -> np.ndarray:
    """The outlines in WGS84 longitude/latitude; a file without a usable CRS is refused."""
    try:
        crs = CRS.from_user_input(crs_text) if crs_text else None
    except CRSError as error:
        log.info("unknown CRS %r: %s", crs_text, error)
        raise BuurtImportError.file("unknown_crs") from error
    present = np.array([g is not None and not g.is_empty for g in geometries], dtype=bool)
    bounds = shapely.bounds(geometries[present]) if present.any() else np.empty((0, 4))
    if crs is None or _is_wgs84(crs):
        # GDAL reports WGS84 for every GeoJSON file without a "crs" member, so a file in
        # metres that does not say so ends up here too.
        if len(bounds) and not _in_degrees(bounds).any():
            if _looks_like_rd(bounds):
                raise BuurtImportError.file("rd_without_crs")
            raise BuurtImportError.file("no_crs")
        return geometries
    try:
        transformer = Transformer.from_crs(crs, 4326, always_xy=True)
    except (CRSError, ProjError) as error:
        log.info("no transformation from %r: %s", crs_text, error)
        raise BuurtImportError.file("unknown_crs") from error

    def project(coordinates: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(coordinates[:, 0], coordinates[:, 1], errcheck=False)
        return np.column_stack((x, y))

    result = np.empty(len(geometries), dtype=object)
    for start in range(0, len(geometries), 1000):
        result[start:start + 1000] = shapely.transform(geometries[start:start + 1000], project)
        geometries[start:start + 1000] = None  # let the original go as we go
    return result


def _is_wgs84(crs: CRS) -> bool:
    return crs.is_geographic and (crs.to_epsg() == 4326 or crs.equals(WGS84, ignore_axis_order=True)
                                  or crs.name == "WGS 84")
