"""Reads for the programme: canonical frames from its own tables, one query each.

Activities are offered to the rest of careties as canonical ``contacts`` rows
(they are also written to the store's contacts table, see ``services``), and
sign-posts as a small frame for the knowledge-of-services measures.
"""

from __future__ import annotations

import polars as pl

from careties.data.frames import CANONICAL
from careties.web.store.models import Service

from .models import ActionItem, Activity, PledgeSignature, SignPost

#: How each kind of activity appears as a contact (``codes.CONTACT_CHANNELS`` / ``PURPOSES``).
ACTIVITY_CONTACT = {
    Activity.Kind.CONTACT_VISIT: ("meeting", "other"),
    Activity.Kind.TRAINING: ("training", "training"),
    Activity.Kind.JOINT_WORKING: ("joint_visit", "case_discussion"),
}

ACTIVITY_SOURCE = "programme-activities"

SIGNPOST_SCHEMA = {
    "la_code": pl.String,
    "practice_code": pl.String,
    "gp_professional_id": pl.String,
    "service_id": pl.String,
    "signposted_on": pl.Date,
    "person_key": pl.String,
}


def activity_contacts(la_code: str | None = None) -> pl.DataFrame:
    """Every logged activity as a canonical contact: staff member to GP."""
    rows = Activity.objects.all()
    if la_code:
        rows = rows.filter(la_code=la_code)
    records = [
        {
            "contact_reference": f"programme-activity-{a['pk']}",
            "contact_date": a["activity_date"],
            "from_professional": a["staff_professional_id"],
            "to_professional": a["gp_professional_id"],
            "channel": ACTIVITY_CONTACT[a["kind"]][0],
            "purpose": ACTIVITY_CONTACT[a["kind"]][1],
            "minutes": a["minutes"],
        }
        for a in rows.values(
            "pk", "activity_date", "staff_professional_id", "gp_professional_id", "kind", "minutes"
        )
    ]
    return pl.DataFrame(records, schema=CANONICAL["contacts"])


def signposts(la_code: str | None = None, practice_code: str | None = None) -> pl.DataFrame:
    rows = SignPost.objects.all()
    if la_code:
        rows = rows.filter(la_code=la_code)
    if practice_code:
        rows = rows.filter(practice_code=practice_code)
    records = list(rows.values(*SIGNPOST_SCHEMA))
    for r in records:
        r["person_key"] = r["person_key"] or None
    return pl.DataFrame(records, schema=SIGNPOST_SCHEMA)


def signatures(la_codes: list[str] | None = None) -> pl.DataFrame:
    rows = PledgeSignature.objects.all()
    if la_codes is not None:
        rows = rows.filter(la_code__in=la_codes)
    schema = {
        "la_code": pl.String,
        "organisation_type": pl.String,
        "organisation_code": pl.String,
        "signed_on": pl.Date,
    }
    return pl.DataFrame(list(rows.values(*schema)), schema=schema)


def action_items(la_code: str) -> pl.DataFrame:
    schema = {
        "approach_id": pl.String,
        "status": pl.String,
        "due_date": pl.Date,
        "updated_on": pl.Date,
    }
    rows = [
        {
            "approach_id": r["approach"],
            "status": r["status"],
            "due_date": r["due_date"],
            "updated_on": r["updated_at"].date(),
        }
        for r in ActionItem.objects.filter(la_code=la_code).values(
            "approach", "status", "due_date", "updated_at"
        )
    ]
    return pl.DataFrame(rows, schema=schema)


def services_frame(la_code: str | None = None) -> pl.DataFrame:
    """The directory as the canonical ``services`` frame, read through Django's connection.

    A directory is small, and what a council has just imported must show at once in
    the API and the search, whichever server process answers: so this read does not
    take the Arrow path the large kinds take.
    """
    fields = list(CANONICAL["services"])
    rows = Service.objects.all() if la_code is None else Service.objects.filter(la_code=la_code)
    return pl.DataFrame(list(rows.order_by("pk").values(*fields)), schema=CANONICAL["services"])
