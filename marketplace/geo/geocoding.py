"""Address search through geopy: Nominatim or the Dutch PDOK Locatieserver, chosen by GEOCODER.

Tests and offline machines use :class:`StaticGeocoder`, which never touches the network.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from flask import current_app
from geopy.exc import GeopyError
from geopy.geocoders import Nominatim
from geopy.geocoders.base import DEFAULT_SENTINEL, Geocoder
from geopy.location import Location
from geopy.point import Point

MAX_RESULTS = 5


class GeocodingUnavailable(Exception):
    """The address service could not be reached or gave an error."""


@dataclass(frozen=True)
class Place:
    label: str
    lat: float
    lon: float


class PDOKLocatieserver(Geocoder):
    """geopy geocoder for the PDOK Locatieserver (free, no key, Dutch addresses only)."""

    api = "https://api.pdok.nl/bzk/locatieserver/search/v3_1/free"

    def __init__(self, *, timeout=DEFAULT_SENTINEL, proxies=DEFAULT_SENTINEL,
                 user_agent=None, ssl_context=DEFAULT_SENTINEL, adapter_factory=None):
        super().__init__(scheme="https", timeout=timeout, proxies=proxies,
                         user_agent=user_agent, ssl_context=ssl_context,
                         adapter_factory=adapter_factory)

    def geocode(self, query, *, exactly_one=True, limit=MAX_RESULTS, timeout=DEFAULT_SENTINEL):
        params = {"q": query, "rows": 1 if exactly_one else limit,
                  "fl": "weergavenaam,centroide_ll",
                  "fq": "type:(adres OR postcode OR weg OR woonplaats)"}
        url = f"{self.api}?{urlencode(params)}"
        return self._call_geocoder(url, lambda data: self._parse(data, exactly_one),
                                   timeout=timeout)

    @staticmethod
    def _parse(data, exactly_one):
        places = []
        for doc in (data or {}).get("response", {}).get("docs", []):
            centroid = doc.get("centroide_ll", "")  # "POINT(5.12 52.09)"
            if not centroid.startswith("POINT("):
                continue
            lon, lat = (float(v) for v in centroid[6:-1].split())
            places.append(Location(doc.get("weergavenaam", ""), Point(lat, lon), doc))
        if not places:
            return None
        return places[0] if exactly_one else places


class StaticGeocoder:
    """A stand-in that knows a fixed list of places; for tests and machines without network."""

    def __init__(self, places: dict[str, tuple[float, float]] | None = None):
        self.places = places or {}

    def geocode(self, query, exactly_one=True, limit=MAX_RESULTS, timeout=None):
        needle = query.strip().lower()
        found = [Location(label, Point(lat, lon), {}) for label, (lat, lon) in self.places.items()
                 if needle and needle in label.lower()]
        if not found:
            return None
        return found[0] if exactly_one else found[:limit]


def _geocoder():
    configured = current_app.config.get("GEOCODER_INSTANCE")
    if configured is not None:
        return configured
    user_agent = current_app.config["GEOCODER_USER_AGENT"]
    if current_app.config["GEOCODER"] == "pdok":
        return PDOKLocatieserver(user_agent=user_agent, timeout=5)
    return Nominatim(user_agent=user_agent, timeout=5)


def search_address(query: str) -> list[Place]:
    """Places matching the query, best first; raises GeocodingUnavailable when the service fails."""
    try:
        found = _geocoder().geocode(query, exactly_one=False, limit=MAX_RESULTS)
    except (GeopyError, OSError, ValueError) as error:
        current_app.logger.warning("address search failed: %s", error)
        raise GeocodingUnavailable from error
    return [Place(location.address, location.latitude, location.longitude)
            for location in (found or [])]
