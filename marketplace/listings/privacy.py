"""Blurring a listing's location: the public point lies in the same ~150 m cell as the real one.

The map is cut into cells of about 150 × 150 m. The public point is a fixed spot inside the cell
that holds the real point, chosen by the listing's random seed. Asking again gives the same point,
and moving the pin inside its cell changes nothing, so repeated requests reveal nothing more.
"""

import hashlib
import math

CELL_METRES = 150.0
METRES_PER_DEGREE_LAT = 111_320.0


def _fractions(seed: str) -> tuple[float, float]:
    digest = hashlib.sha256(seed.encode()).digest()
    # Keep away from the cell's edges so the point never lands in a neighbouring cell.
    u = 0.15 + 0.7 * int.from_bytes(digest[:4], "big") / 2**32
    v = 0.15 + 0.7 * int.from_bytes(digest[4:8], "big") / 2**32
    return u, v


def blurred_position(lat: float, lon: float, seed: str) -> tuple[float, float]:
    """The public (lat, lon) for a real position and a listing's seed."""
    cell_lat = CELL_METRES / METRES_PER_DEGREE_LAT
    row = math.floor(lat / cell_lat)
    row_lat = (row + 0.5) * cell_lat  # one width for the whole row of cells
    cell_lon = CELL_METRES / (METRES_PER_DEGREE_LAT * math.cos(math.radians(row_lat)))
    column = math.floor(lon / cell_lon)
    u, v = _fractions(seed)
    return round((row + u) * cell_lat, 6), round((column + v) * cell_lon, 6)
