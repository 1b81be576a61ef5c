"""Every English council's codes and names, shipped with careties (``reference/councils.csv``).

Client Level Data carries the council as the integer code NHS England uses
for social care returns (the CASSR code: Lincolnshire is 503), where careties
and ONS use the nine-character GSS code (``E10000019``). This lookup lets a
CLD file written to the specification load as it is, and lets a peer-group or
published-ASCOF file that names councils find their codes. Its source is named
in the file's header.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from importlib import resources
from pathlib import Path

from careties.data.errors import ErrorLog
from careties.data.layouts import normalise_header
from careties.data.sources import read_records

#: The CLD specification's integer council code: three digits (newer ones are alphanumeric).
CASSR_CODE_PATTERN = re.compile(r"^\d{3}$")


@cache
def councils() -> tuple[dict[str, str], ...]:
    """Rows of the shipped lookup: ``ons_code``, ``la_code`` (integer, may be blank), ``name``, ``region``, ``ended``."""
    text = resources.files("careties.data").joinpath("reference/councils.csv").read_text("utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return tuple(csv.DictReader(lines))


@cache
def ons_by_cassr() -> dict[str, str]:
    """``"503"`` -> ``"E10000019"``."""
    return {row["la_code"]: row["ons_code"] for row in councils() if row["la_code"]}


@cache
def ons_by_name() -> dict[str, str]:
    """Normalised council name -> ONS code (current councils win over ended ones)."""
    by_name: dict[str, str] = {}
    for row in sorted(councils(), key=lambda r: r["ended"] == ""):
        by_name[name_key(row["name"])] = row["ons_code"]
    return by_name


def name_key(name: str) -> str:
    """``"Kingston upon Hull, City of"`` and ``"Kingston Upon Hull City Of"`` compare equal."""
    text = name.lower().replace("&", "and").replace("st.", "st")
    text = re.sub(
        r"\b(council|county council|city council|borough council|metropolitan)\b", " ", text
    )
    return re.sub(r"[^a-z0-9]+", "", text)


def ons_code_for_name(name: str) -> str | None:
    """The ONS code of the council called ``name``, else ``None``."""
    key = name_key(name)
    found = ons_by_name().get(key)
    if found is None and key.endswith("cityof"):
        found = ons_by_name().get(key[: -len("cityof")])
    return found


def region_of(ons_code: str) -> str | None:
    """The council's region name, else ``None``."""
    for row in councils():
        if row["ons_code"] == ons_code:
            return row["region"]
    return None


def read_practice_councils(path) -> dict[str, str]:
    """A practice-to-council mapping file: ``practice_code,la_code`` (ONS or integer code).

    The documented layout for loading the national ``epraccur.csv``: one row per
    practice, the council as its ONS code (``E10000019``) or the CLD integer
    code (``503``). Raises ``ValidationError`` naming the row of a code that
    is no council's.
    """
    path = Path(path)
    log = ErrorLog(file=path.name)
    records = read_records(path, "practice_councils", log)
    log.raise_if_any()
    header = [normalise_header(h) for h in records.drop("__row").row(0)]
    if "practice_code" not in header or "la_code" not in header:
        log.file_error("a practice-to-council file has the columns practice_code,la_code")
        log.raise_if_any()
    cells = [c for c in records.columns if c != "__row"]
    practice = cells[header.index("practice_code")]
    council = cells[header.index("la_code")]
    known = {row["ons_code"] for row in councils()}
    mapping: dict[str, str] = {}
    for row, code, la in records.slice(1).select("__row", practice, council).iter_rows():
        text = (la or "").strip().upper().removesuffix(".0")
        ons = ons_by_cassr().get(text.zfill(3), text) if text.isdigit() else text
        if ons not in known:
            log.add(row, "la_code", la, "not a council's ONS code or CLD integer code")
            continue
        mapping[(code or "").strip().upper()] = ons
    log.raise_if_any()
    return mapping
