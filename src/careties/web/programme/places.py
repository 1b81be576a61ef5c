"""Postcodes and service locations for search by place: loading a council's file, and lookups.

A postcode is resolved from the ONS Postcode Directory extract a council has
loaded (:class:`~.models.PostcodeCentroid`); when it is not there, from the
store's own locations, i.e. an imported service whose location has that
postcode and coordinates. Postcodes are public geography, so one table serves
every council; loading a file replaces only the postcodes it contains.
"""

from __future__ import annotations

from django.db import transaction

from careties.planning.places import normalise_postcode, read_postcode_file
from careties.web.store.services import record_audit

from .models import PostcodeCentroid


def load_postcodes(content: bytes, filename: str, la_code: str, user) -> int:
    """Load an ONSPD-layout file, all or nothing (raises PostcodeFileError); returns the count."""
    frame = read_postcode_file(content, filename)
    rows = [
        PostcodeCentroid(
            postcode=r["postcode"],
            latitude=r["latitude"],
            longitude=r["longitude"],
            la_code=r["la_code"] or "",
            source=filename[:255],
        )
        for r in frame.iter_rows(named=True)
    ]
    with transaction.atomic():
        PostcodeCentroid.objects.filter(postcode__in=frame["postcode"].to_list()).delete()
        PostcodeCentroid.objects.bulk_create(rows, batch_size=2000)
        record_audit(
            "import",
            f"postcode file {filename}: {len(rows)} postcodes",
            user=user,
            la_code=la_code,
        )
    return len(rows)


def _store_location(postcode: str, documents: list[dict]) -> tuple[float, float] | None:
    for service in documents:
        for sal in service.get("service_at_locations") or []:
            location = sal.get("location") if isinstance(sal, dict) else None
            if not isinstance(location, dict):
                continue
            lat, lon = location.get("latitude"), location.get("longitude")
            if not (isinstance(lat, (int, float)) and isinstance(lon, (int, float))):
                continue
            for address in location.get("addresses") or []:
                if normalise_postcode(str(address.get("postal_code") or "")) == postcode:
                    return float(lat), float(lon)
    return None


def postcode_centroid(postcode: str, documents: list[dict]) -> tuple[float, float] | None:
    """(latitude, longitude) of ``postcode``: the loaded file first, else the store's locations."""
    wanted = normalise_postcode(postcode)
    found = PostcodeCentroid.objects.filter(postcode=wanted).values_list("latitude", "longitude")
    if found:
        return found[0]
    return _store_location(wanted, documents)


def postcodes_loaded() -> int:
    return PostcodeCentroid.objects.count()
