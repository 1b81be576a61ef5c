"""A store holding two councils with a row in every table, and per-table checksums.

Both councils load files of the same names (``practices.csv``, ``events.csv``,
``directory.json`` ...): the case where replacing by file name alone deleted the
other council's rows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.core import serializers
from tests.web.factories import frame, make_user

from careties.web.store.services import import_frame
from careties.web.store.tables import backed_up_models, council_rows, label

A = "E06000001"
B = "E06000002"
NAMES = {A: "Hartlepool", B: "Middlesbrough"}


def load_council(la_code: str, letter: str, *, events: int = 6) -> None:
    """Every kind of data for one council, from files named as every council names them."""
    practice = f"{letter}81001"
    gp, sw = f"GP-{letter}1", f"SW-{letter}1"
    import_frame(
        kind="local_authorities",
        frame=frame(
            "local_authorities", [{"la_code": la_code, "name": NAMES[la_code], "region": "NE"}]
        ),
        source="councils.csv",
    )
    import_frame(
        kind="population",
        frame=frame(
            "population", [{"la_code": la_code, "year": 2024, "population_65_plus": 20000}]
        ),
        source="population.csv",
    )
    import_frame(
        kind="practices",
        frame=frame(
            "practices",
            [
                {
                    "practice_code": practice,
                    "name": f"Practice {letter}",
                    "postcode": "TS1 1AA",
                    "la_code": la_code,
                    "status": "A",
                }
            ],
        ),
        source="practices.csv",
    )
    import_frame(
        kind="registered_patients",
        frame=frame(
            "registered_patients",
            [
                {
                    "practice_code": practice,
                    "extract_date": dt.date(2024, 4, 1),
                    "sex": "ALL",
                    "age_band": "65_69",
                    "patients": 400,
                }
            ],
        ),
        source="registered_patients.csv",
    )
    import_frame(
        kind="professionals",
        frame=frame(
            "professionals",
            [
                {"professional_id": gp, "role": "gp", "organisation": practice, "la_code": la_code},
                {
                    "professional_id": sw,
                    "role": "social_worker",
                    "organisation": "TEAM1",
                    "la_code": la_code,
                },
            ],
        ),
        source="professionals.csv",
    )
    import_frame(kind="services", frame=services(la_code, letter), source="oruk:directory.json")
    import_frame(kind="events", frame=council_events(la_code, events), source="events.csv")
    import_frame(
        kind="contacts",
        frame=frame(
            "contacts",
            [
                {
                    "contact_reference": f"C-{letter}1",
                    "contact_date": dt.date(2024, 5, 2),
                    "from_professional": sw,
                    "to_professional": gp,
                    "channel": "phone",
                    "purpose": "referral",
                    "minutes": 10,
                }
            ],
        ),
        source="contacts.csv",
    )
    import_frame(
        kind="survey_responses",
        frame=frame(
            "survey_responses",
            [
                {
                    "response_id": f"R-{letter}1",
                    "wave": "2025-W1",
                    "instrument": "gp",
                    "la_code": la_code,
                    "organisation": practice,
                    "respondent_id": None,
                    "question_id": "q1",
                    "answer": "3",
                }
            ],
        ),
        source="survey.csv",
    )
    _other_tables(la_code, letter, practice, gp, sw)


def services(la_code: str, letter: str, n: int = 2):
    return frame(
        "services",
        [
            {
                "service_id": f"svc-{letter}-{i}",
                "name": f"Lunch club {letter}{i}",
                "service_type": "social_support",
                "description": "",
                "la_code": la_code,
                "status": "active",
            }
            for i in range(n)
        ],
    )


def council_events(la_code: str, n: int, start: dt.date = dt.date(2024, 5, 1)):
    return frame(
        "events",
        [
            {
                "event_reference": f"EV{i}",
                "person_key": f"{i:032x}",
                "age": 80,
                "la_code": la_code,
                "event_type": "request",
                "start_date": start,
                "route_of_access": "community",
            }
            for i in range(n)
        ],
    )


def _other_tables(la_code: str, letter: str, practice: str, gp: str, sw: str) -> None:
    from careties.web.accounts.models import Role
    from careties.web.programme.models import Activity, OrukOriginal, PledgeSignature, Programme
    from careties.web.store.services import record_audit
    from careties.web.surveys.models import ColumnMapping, Draft, FreeTextComment, Link, Wave

    lead = make_user(f"lead-{letter.lower()}", Role.COUNCIL_LEAD, la_codes=[la_code])
    wave = Wave.objects.create(
        la_code=la_code,
        instrument="gp",
        name="2025-W1",
        opens_on=dt.date(2025, 1, 1),
        closes_on=dt.date(2025, 2, 1),
        created_by=lead,
    )
    link = Link.objects.create(token=f"token-{letter}", wave=wave, organisation=practice)
    Draft.objects.create(resume_code=f"resume-{letter}", link=link, answers={"q1": "2"})
    FreeTextComment.objects.create(wave=wave, la_code=la_code, text=f"comment {letter}")
    ColumnMapping.objects.create(
        la_code=la_code, name="ours", instrument="gp", columns={"Q1": "q1"}
    )
    Programme.objects.create(
        la_code=la_code, start_date=dt.date(2024, 4, 1), targeted_practices=[practice]
    )
    PledgeSignature.objects.create(
        la_code=la_code,
        organisation_type=PledgeSignature.OrganisationType.choices[0][0],
        organisation_code=practice,
        organisation_name=f"Practice {letter}",
        signatory_role="GP partner",
        signed_on=dt.date(2024, 4, 2),
    )
    Activity.objects.create(
        la_code=la_code,
        kind=Activity.Kind.choices[0][0],
        activity_date=dt.date(2024, 6, 1),
        gp_professional_id=gp,
        practice_code=practice,
        staff_professional_id=sw,
        minutes=30,
    )
    OrukOriginal.objects.create(service_id=f"svc-{letter}-0", document={"id": f"svc-{letter}-0"})
    record_audit(action="view", what="overview", user=lead, la_code=la_code)


def checksums(la_code: str) -> dict[str, str]:
    """SHA-256 of every table's rows of one council, every column, in primary-key order."""
    sums = {}
    for model in backed_up_models():
        rows = council_rows(model, la_code)
        if rows is None:
            continue
        text = serializers.serialize("json", rows.order_by("pk"))
        records = [{k: v for k, v in r.items()} for r in json.loads(text)]
        for record in records:  # the last login moves whenever a test logs in
            record["fields"].pop("last_login", None)
        sums[label(model)] = hashlib.sha256(
            json.dumps(records, sort_keys=True).encode()
        ).hexdigest()
    return sums


def row_counts(la_code: str) -> dict[str, int]:
    counts = {}
    for model in backed_up_models():
        rows = council_rows(model, la_code)
        if rows is not None:
            counts[label(model)] = rows.count()
    return counts
