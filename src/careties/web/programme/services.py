"""Writes for the programme. Each is one transaction and leaves an audit entry.

Knowledge-building activities are kept in the programme's own table (they carry
what a contact row has no place for: the kind of activity, the practice, notes)
and mirrored, after every change, into the store's ``contacts`` table as
canonical rows with ``source="programme-activities"`` through the store's own
all-or-nothing ``import_frame``. So the professional network, the exports and
the backups see them without knowing the programme exists.

Directory services live in the store's ``services`` table (the canonical
frame). A service edited in careties is re-imported with the rest of the file
it came from, so re-importing that file later still replaces it as a whole.

Every write here is a service as the HackSoft styleguide writes them:
keyword-only, typed arguments (the acting user included), one transaction, an
audit entry written inside it (so a write that fails leaves no entry, and an
entry that fails leaves no write). Views call these; views write nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Model

from careties.data.frames import CANONICAL
from careties.data.pseudonymise import pseudonymisation_key, pseudonymise
from careties.planning.directory import (
    DirectoryFormatError,
    frame_to_oruk,
    oruk_originals,
    oruk_to_frame,
)
from careties.web.store.models import Service
from careties.web.store.scope import ScopeError
from careties.web.store.services import import_frame, record_audit

from .models import (
    ActionItem,
    Activity,
    DiscussedItem,
    OrukOriginal,
    PledgeSignature,
    Programme,
    SignPost,
)
from .selectors import ACTIVITY_SOURCE, activity_contacts

SERVICE_FIELDS = tuple(CANONICAL["services"])


def save_programme(
    *, la_code: str, start_date: dt.date, targeted: list[str], user: User
) -> Programme:
    """Set the programme's start date and targeted practices: what the evaluation compares."""
    with transaction.atomic():
        programme, _ = Programme.objects.update_or_create(
            la_code=la_code,
            defaults={
                "start_date": start_date,
                "targeted_practices": sorted(targeted),
                "updated_by": user,
            },
        )
        record_audit(
            action="change",
            what="programme settings",
            user=user,
            la_code=la_code,
            detail=f"start {start_date}, {len(targeted)} targeted practices",
        )
    return programme


def _save_record(record: Model, *, author: str, user: User) -> bool:
    """Save one of a council's records, its ``author`` field naming ``user`` if it is new.

    Returns whether it was new, for the audit line to say so.
    """
    created = record.pk is None
    if created:
        setattr(record, author, user)
    record.save()
    return created


def _audit_change(record: Model, what: str, *, user: User) -> None:
    """The audit log's line for a change to one of a council's records, against its council."""
    record_audit(action="change", what=what, user=user, la_code=record.la_code)


def save_signature(*, signature: PledgeSignature, user: User) -> PledgeSignature:
    """Create or update a pledge signature (the form has checked it is not a duplicate)."""
    with transaction.atomic():
        created = _save_record(signature, author="created_by", user=user)
        verb = "signed" if created else "updated"
        _audit_change(signature, f"pledge {verb}: {signature.organisation_name}", user=user)
    return signature


def save_action_item(*, item: ActionItem, user: User) -> ActionItem:
    """Create or update an action plan item, recording who changed it last."""
    with transaction.atomic():
        item.updated_by = user  # new or not: the last to change it
        created = _save_record(item, author="updated_by", user=user)
        verb = "added" if created else "updated"
        _audit_change(item, f"action plan item {verb}: {item.title}", user=user)
    return item


def sync_activity_contacts(*, user: User | None = None) -> int:
    """Mirror every activity into the store's contacts, replacing the previous mirror."""
    frame = activity_contacts()
    # The mirror holds every council's activities, so it replaces itself whole.
    import_frame(
        kind="contacts", frame=frame, source=ACTIVITY_SOURCE, user=user, every_council=True
    )
    return frame.height


def save_activity(
    *, activity: Activity, user: User, discussed: list[dict] | None = None
) -> Activity:
    """Log or change an activity, mirrored into the store's contacts.

    ``discussed``: the practice's short-list items raised at a contact (from
    the briefing page), kept with the activity in the same transaction.
    """
    with transaction.atomic():
        created = _save_record(activity, author="logged_by", user=user)
        DiscussedItem.objects.bulk_create(
            [
                DiscussedItem(
                    activity=activity,
                    service_type=item["service_type"],
                    service_id=(item["services"][0]["service_id"] if item["services"] else ""),
                )
                for item in discussed or []
            ]
        )
        sync_activity_contacts(user=user)
        verb = "logged" if created else "updated"
        _audit_change(activity, f"activity {verb}: {activity.get_kind_display()}", user=user)
    return activity


def delete_activity(*, activity: Activity, user: User) -> None:
    """Delete an activity and its contact in the store's mirror."""
    with transaction.atomic():
        la_code = activity.la_code
        activity.delete()
        sync_activity_contacts(user=user)
        record_audit(action="change", what="activity deleted", user=user, la_code=la_code)


def record_signpost(*, signpost: SignPost, user: User) -> SignPost:
    """A practice sign-posted someone to a service (the person only as a keyed pseudonym)."""
    with transaction.atomic():
        signpost.recorded_by = user
        signpost.save()
        _audit_change(signpost, f"sign-posted to service {signpost.service_id}", user=user)
    return signpost


def pseudonymous_person(reference: str) -> str:
    """Keyed HMAC of a person reference: the reference itself is never stored."""
    if not reference.strip():
        return ""
    return pseudonymise([reference], pseudonymisation_key())[0]


def _services_of_source(source: str, la_code: str) -> pl.DataFrame:
    rows = list(Service.objects.filter(source=source, la_code=la_code).values(*SERVICE_FIELDS))
    return pl.DataFrame(rows, schema=CANONICAL["services"])


def save_service(*, row: dict[str, Any], user: User) -> None:
    """Create or change one directory service, keeping it with the file it came from."""
    with transaction.atomic():
        existing = Service.objects.filter(service_id=row["service_id"]).values_list(
            "source", flat=True
        )
        source = existing[0] if existing else f"directory-{row['la_code']}"
        others = _services_of_source(source, row["la_code"]).filter(
            pl.col("service_id") != row["service_id"]
        )
        new = pl.DataFrame([{c: row.get(c) for c in SERVICE_FIELDS}], schema=CANONICAL["services"])
        # la_code: the form's service must be this council's own; an id another council
        # holds is refused (ScopeError) rather than moved.
        import_frame(
            kind="services",
            frame=pl.concat([others, new]),
            source=source,
            user=user,
            la_code=row["la_code"],
        )
        record_audit(
            action="change",
            what=f"directory service {'changed' if existing else 'added'}: {row['name']}",
            user=user,
            la_code=row["la_code"],
        )


def import_directory(
    *,
    document: Any,
    filename: str,
    la_code: str,
    user: User,
    replaced: list[str] | None = None,
) -> int:
    """Import an ORUK document for ``la_code``: all of it, or nothing (raises DirectoryFormatError).

    Services that name another council are refused: a council imports its own directory.
    ``replaced``, if given, receives what the import replaced ("12 services of
    E06000001 loaded on 2 Dec 2026 from oruk:directory.json"), for the page to say.
    """
    frame = oruk_to_frame(document, default_la_code=la_code)
    foreign = frame.filter(pl.col("la_code") != la_code)
    if foreign.height:
        raise DirectoryFormatError(
            [
                f"service {r['service_id']!r} belongs to council {r['la_code']}, not {la_code}"
                for r in foreign.iter_rows(named=True)
            ]
        )
    originals = oruk_originals(document)
    # import_frame writes the audit entry ("import"), inside this transaction.
    with transaction.atomic():
        try:
            result = import_frame(
                kind="services", frame=frame, source=f"oruk:{filename}", user=user, la_code=la_code
            )
        except ScopeError as error:
            # Service ids are owned by the council that loaded them (they are public).
            raise DirectoryFormatError(error.problems) from None
        for service_id, original in originals.items():
            OrukOriginal.objects.update_or_create(
                service_id=service_id, defaults={"document": original}
            )
    if replaced is not None:
        replaced.extend(str(r) for r in result.replacements)
    return frame.height


def export_directory(services: pl.DataFrame) -> list[dict]:
    """ORUK services for a canonical frame, with what was imported and not modelled kept."""
    ids = services["service_id"].to_list()
    originals = dict(
        OrukOriginal.objects.filter(service_id__in=ids).values_list("service_id", "document")
    )
    return frame_to_oruk(services, originals)
