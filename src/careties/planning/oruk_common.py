"""What the Open Referral UK modules share: the profile's vocabulary and careties' own ids.

HSDS 3.0 requires every id and foreign key to be a UUID. careties' own rows are
keyed by the council's reference (``E06000099-SVC-015``), which is what staff,
files and sign-posting records use. So every ORUK id careties makes is a
version 5 (name-based) UUID of what it stands for: the same service, term or
taxonomy gets the same UUID every time it is exported, whichever machine
exports it and however often the file is re-imported, and the council's
reference travels beside it (an attribute in the ``careties:council_reference``
taxonomy) so reading the export back gives the same row. Ids that are already
UUIDs (a file imported from another ORUK publisher) are kept as they are.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

ORUK_STATUSES = ("active", "inactive", "defunct", "temporarily closed")
LOCATION_TYPES = ("physical", "postal", "virtual")
SERVICE_TYPE_TAXONOMY = "careties:service_type"
QUALITY_TAXONOMY = "careties:quality_rating"
REFERENCE_TAXONOMY = "careties:council_reference"
ELIGIBILITY_LINK = "eligibility"
REFERENCE_LINK = "council_reference"
ONS_URI = "http://statistics.data.gov.uk/id/statistical-geography/"
HSDS_VERSION = "3.0"
PROFILE_URI = "https://github.com/OpenReferralUK/uk-profile"

#: careties' own taxonomies: name -> description (served at ``/taxonomies``).
CARETIES_TAXONOMIES = {
    SERVICE_TYPE_TAXONOMY: "The kind of local service, as careties and its GP surveys name it.",
    QUALITY_TAXONOMY: "The council's quality rating of the service, 1 (poor) to 5 (excellent).",
    REFERENCE_TAXONOMY: "The council's own reference for a service, kept beside its UUID.",
    "careties:eligibility": "Who a service is for, in the council's words.",
}

#: Fixed namespace for careties' name-based UUIDs (uuid5 of the project's address).
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/careties/oruk-ids")


def text(value: Any) -> str | None:
    """A trimmed string for a JSON scalar, or None when empty (whole floats lose their ``.0``)."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    out = str(value).strip()
    return out or None


def slug(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", value.strip().lower()).strip("_") or "other"


def is_uuid(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        return str(uuid.UUID(value)) == value.lower()
    except ValueError:
        return False


def oruk_id(*parts: str) -> str:
    """The UUID careties gives to the thing named by ``parts`` (stable across runs)."""
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


def service_uuid(service_id: str) -> str:
    """The ORUK id of a careties service: the id itself if a UUID, else uuid5 of the reference."""
    return service_id.lower() if is_uuid(service_id) else oruk_id("service", service_id)


def taxonomy_uuid(taxonomy: str) -> str:
    return oruk_id("taxonomy", taxonomy)


def term_uuid(taxonomy: str, term: str) -> str:
    return oruk_id("taxonomy_term", taxonomy, term)


def area_councils(service: dict) -> set[str]:
    """ONS council codes a service's ``service_areas`` name (by ``uri`` or ``extent``)."""
    codes = set()
    for area in service.get("service_areas") or []:
        if not isinstance(area, dict):
            continue
        for candidate in (area.get("uri"), area.get("extent")):
            code = (text(candidate) or "").rsplit("/", 1)[-1]
            if re.fullmatch(r"E(0[6-9]|10)\d{6}", code):
                codes.add(code)
    return codes
