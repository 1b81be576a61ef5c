"""Places for sign-posting: postcodes to coordinates, and distances between them.

A council loads a postcode file in the ONS Postcode Directory's published
layout (ONSPD: one row per postcode, comma-separated, with a header row). Its
own area's extract is enough. careties reads these columns by name and ignores
the rest (the full file has some fifty):

=================  =========================================================
ONSPD column       used as
=================  =========================================================
``pcds``           the postcode (one space, e.g. ``TS24 8AY``); else ``pcd``,
                   ``pcd7``, ``pcd8`` or ``pcd2`` (fixed-width forms)
``lat``            latitude, decimal degrees (WGS84)
``long``           longitude, decimal degrees (WGS84)
``doterm``         date the postcode was terminated (YYYYMM); terminated
                   postcodes are skipped
``oslaua``         local authority (ONS code); newer editions' ``ladNNcd``
                   (e.g. ``lad25cd``) is read the same way
=================  =========================================================

ONSPD gives postcodes with no grid reference a latitude of 99.999999; those are
skipped, as are terminated ones: neither can place a service. Any other bad
value stops the load with the file, row and column named, and nothing is kept.

Distances are great-circle (haversine) distances on a sphere of the Earth's
mean radius, 6,371,008.8 m (IUGG): within a council, well under 0.5% from the
ellipsoidal distance, far finer than "within a mile of the surgery" needs.
"""

from __future__ import annotations

import csv
import io
import math
import re

import polars as pl

__all__ = [
    "EARTH_RADIUS_M",
    "PostcodeFileError",
    "haversine_m",
    "normalise_postcode",
    "read_postcode_file",
]

EARTH_RADIUS_M = 6_371_008.8
NO_GRID_LATITUDE = 99.999999
POSTCODE_COLUMNS = ("pcds", "pcd", "pcd7", "pcd8", "pcd2")
_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$")
_LA_COLUMN = re.compile(r"^(oslaua|lad\d\dcd)$")

POSTCODE_SCHEMA = {
    "postcode": pl.String,
    "latitude": pl.Float64,
    "longitude": pl.Float64,
    "la_code": pl.String,
}


class PostcodeFileError(ValueError):
    """A postcode file careties cannot load; ``problems`` names file, row, column and reason."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        shown = "\n".join(f"- {p}" for p in problems[:50])
        super().__init__(
            f"The postcode file has {len(problems)} problem(s); nothing was loaded:\n{shown}"
        )


def normalise_postcode(text: str) -> str:
    """``ts24 8ay`` and ``TS248AY`` both become ``TS248AY`` (no spaces, capitals)."""
    return re.sub(r"\s+", "", text or "").upper()


def is_postcode(text: str) -> bool:
    return bool(_POSTCODE.match(normalise_postcode(text)))


def haversine_m(
    a: tuple[float, float], b: tuple[float, float], radius: float = EARTH_RADIUS_M
) -> float:
    """Great-circle distance in metres between two (latitude, longitude) points in degrees."""
    lat1, lon1 = map(math.radians, a)
    lat2, lon2 = map(math.radians, b)
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * radius * math.asin(math.sqrt(min(1.0, h)))


def _number(raw: str, low: float, high: float) -> float | None:
    try:
        value = float(raw)
    except ValueError:
        return None
    return value if low <= value <= high else None


def read_postcode_file(content: bytes | str, filename: str = "postcodes.csv") -> pl.DataFrame:
    """Postcode centroids (postcode, latitude, longitude, la_code) from an ONSPD-layout CSV."""
    text = content.decode("utf-8-sig") if isinstance(content, bytes) else content
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    reader.fieldnames = header
    postcode_column = next((c for c in POSTCODE_COLUMNS if c in header), None)
    missing = [c for c in ("lat", "long") if c not in header]
    if postcode_column is None:
        missing.insert(0, "pcds")
    if missing:
        raise PostcodeFileError(
            [f"{filename}: no column {', '.join(missing)} (ONS Postcode Directory layout)"]
        )
    la_column = next((c for c in header if _LA_COLUMN.match(c)), None)
    problems: list[str] = []
    rows: dict[str, dict] = {}
    for line, record in enumerate(reader, start=2):
        if (record.get("doterm") or "").strip():
            continue
        postcode = normalise_postcode(record.get(postcode_column) or "")
        if not _POSTCODE.match(postcode):
            problems.append(
                f"{filename} row {line} column {postcode_column}: {record.get(postcode_column)!r} is not a UK postcode"
            )
            continue
        lat, lon = _number(record["lat"], -90, 100), _number(record["long"], -180, 180)
        if lat is None:
            problems.append(
                f"{filename} row {line} column lat: {record['lat']!r} is not a latitude"
            )
            continue
        if lon is None:
            problems.append(
                f"{filename} row {line} column long: {record['long']!r} is not a longitude"
            )
            continue
        if math.isclose(lat, NO_GRID_LATITUDE) or lat > 90:
            continue
        la_code = (record.get(la_column) or "").strip() or None if la_column else None
        rows[postcode] = {
            "postcode": postcode,
            "latitude": lat,
            "longitude": lon,
            "la_code": la_code,
        }
    if problems:
        raise PostcodeFileError(problems)
    return pl.DataFrame(list(rows.values()), schema=POSTCODE_SCHEMA)
