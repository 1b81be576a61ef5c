"""Postcodes and service locations for search by place: loading a council's file, and lookups.

A postcode is resolved from the ONS Postcode Directory extract a council has
loaded (:class:`~.models.PostcodeCentroid`); when it is not there, from the
store's own locations, i.e. an imported service whose location has that
postcode and coordinates. Postcodes are public geography, so one table serves
every council; loading a file replaces only the postcodes it contains.
"""

from __future__ import annotations

import polars as pl
from django.contrib.auth.models import User
from django.db import transaction

from careties.planning.oruk_common import oruk_id
from careties.planning.places import normalise_postcode, read_postcode_file
from careties.web.store.services import record_audit

from . import services
from .models import PostcodeCentroid, ServiceLocation


def load_postcodes(*, content: bytes, filename: str, la_code: str, user: User) -> int:
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
            action="import",
            what=f"postcode file {filename}: {len(rows)} postcodes",
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
    for table in (PostcodeCentroid, ServiceLocation):
        found = table.objects.filter(postcode=wanted).values_list("latitude", "longitude")
        if found:
            return found[0]
    return _store_location(wanted, documents)


def postcode_council(postcode: str) -> str | None:
    """The council (ONS code) the postcode file puts ``postcode`` in, if it says."""
    wanted = normalise_postcode(postcode)
    code = (
        PostcodeCentroid.objects.filter(postcode=wanted).values_list("la_code", flat=True).first()
    )
    return code or None


def _location_of(document: dict, place: ServiceLocation) -> list[dict]:
    sid = document["id"]
    location_id = oruk_id(sid, "location")
    return [
        {
            "id": oruk_id(sid, "service_at_location"),
            "service_id": sid,
            "location_id": location_id,
            "location": {
                "id": location_id,
                "location_type": "physical",
                "name": place.name,
                "latitude": place.latitude,
                "longitude": place.longitude,
            },
        }
    ]


def located_documents(frame: pl.DataFrame) -> list[dict]:
    """The ORUK export of ``frame``, services made in careties with their location added.

    An imported service keeps the locations of its original; a service made in
    careties gets the one a council placed it at (:func:`set_location`).
    """
    documents = services.export_directory(frame)
    places = {
        p.service_id: p
        for p in ServiceLocation.objects.filter(service_id__in=frame["service_id"].to_list())
    }
    for service_id, document in zip(frame["service_id"].to_list(), documents, strict=True):
        if service_id in places and not document.get("service_at_locations"):
            document["service_at_locations"] = _location_of(document, places[service_id])
    return documents


def set_location(
    *, service_id: str, la_code: str, name: str, postcode: str, user: User
) -> ServiceLocation | None:
    """Place a service at a postcode from the council's file; None when the file lacks it."""
    wanted = normalise_postcode(postcode)
    centroid = PostcodeCentroid.objects.filter(postcode=wanted).first()
    if centroid is None:
        return None
    with transaction.atomic():
        place, _ = ServiceLocation.objects.update_or_create(
            service_id=service_id,
            defaults={
                "name": name,
                "postcode": wanted,
                "latitude": centroid.latitude,
                "longitude": centroid.longitude,
                "updated_by": user,
            },
        )
        record_audit(
            action="change",
            what=f"directory service {service_id} placed at {wanted}",
            user=user,
            la_code=la_code,
        )
    return place


def postcodes_loaded() -> int:
    return PostcodeCentroid.objects.count()
