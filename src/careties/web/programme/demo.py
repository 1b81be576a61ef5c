"""The demo council's programme, so its pages are not empty until someone finds the settings.

The synthetic council plants a programme (its truth: a start date, the targeted
practices and the effect on their admissions); the demo writes that programme,
the council's pledge signature and a few plan items, so the pledge, the plan
and the evaluation ("did it work?") show what a running programme looks like.
A real council sets these itself: targeting's "Target the top quartile", the
pledge and plan forms.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from .models import ActionItem, PledgeSignature, Programme


def seed_demo_programme(truth: dict, la_code: str, council_name: str) -> None:
    """The planted programme, the council's signature and three plan items (idempotent)."""
    planted = truth.get("programme") or {}
    if not planted.get("targeted_practices"):
        return
    today = timezone.localdate()
    Programme.objects.update_or_create(
        la_code=la_code,
        defaults={
            "start_date": dt.date.fromisoformat(planted["start_date"]),
            "targeted_practices": sorted(planted["targeted_practices"]),
        },
    )
    PledgeSignature.objects.update_or_create(
        la_code=la_code,
        organisation_code=la_code,
        defaults={
            "organisation_type": PledgeSignature.OrganisationType.COUNCIL,
            "organisation_name": council_name,
            "signatory_role": "Director of Adult Social Services",
            "signed_on": dt.date.fromisoformat(planted["start_date"]),
        },
    )
    targeted = sorted(planted["targeted_practices"])
    items = (
        ("joint_working", "A named social worker for each targeted practice", "done", -20),
        ("training", "Telecare and reablement session at each targeted practice", "in_progress", 20),
        ("service_information", "Local services leaflet for GP reception teams", "not_started", 45),
    )
    for approach, title, status, due_in in items:
        ActionItem.objects.update_or_create(
            la_code=la_code,
            title=title,
            defaults={
                "approach": approach,
                "owner": "Locality social work team",
                "target_practices": targeted,
                "due_date": today + dt.timedelta(days=due_in),
                "status": status,
            },
        )
