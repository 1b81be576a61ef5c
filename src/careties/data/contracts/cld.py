"""Client Level Data as councils submit it, cleaned the way DHSC cleans it before measuring.

The reference is DHSC's published processing (DataS-DHSC/ASC-CLD-LA-Dashboard:
``GetDerivedFields``, ``FilterToEventsInPeriod``, ``GetUniqueEvents`` and
``Main_tables/docs/methodology``):

* ``LA_Code`` is the council's integer code in the specification (Lincolnshire
  503); it is turned into the ONS code through ``careties.data.councils``. An
  ONS code is accepted as well.
* Release 1 wording is mapped to release 2 before anything is measured (DHSC
  has done so since October 2025): ``NFA - Self-funded client (Inc. 12wk
  disregard)`` becomes ``NFA: Self-funded client or under 12wk disregard``.
* A value outside its code list is kept as given and flagged (DHSC maps it to
  "Invalid and not mapped" rather than losing the row); careties counts it in
  the data-quality view.
* The person is the NHS number when there is one, else the council's
  ``LA_Code`` + ``_`` + ``LA_Person_Unique_Identifier`` (DHSC's
  ``Der_NHS_LA_Combined_Person_ID``), so a person with two council ids and one
  NHS number is one person.
* Carer rows with no event ("carer known by association") are accepted and
  left out of the events, counted in the import's notes.
* Rows that DHSC would treat as one event (same council, person, start date,
  client type, and end date / route / service type and component by event
  type) are kept once (DHSC's unique-event step), counted in the notes.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter

import polars as pl

from careties.data import councils
from careties.data.context import ReadContext
from careties.data.errors import ROW_COLUMN
from careties.data.spellings import token_expr
from careties.data.validate import flag

#: Header spellings in use -> the specification's name, normalised.
#: (Release 1's ``Request: Route of Access`` normalises to ``request_route_of_access`` itself.)
HEADER_ALIASES = {
    "route_of_access": "request_route_of_access",
    "request_route_of_access_": "request_route_of_access",
    "la_person_id": "la_person_unique_identifier",
    "person_id": "la_person_unique_identifier",
    "nhs_no": "nhs_number",
    "practice_code": "gp_practice_code",
    "gp_practice": "gp_practice_code",
    "dob": "date_of_birth",
    "date_of_birth_": "date_of_birth",
    "dod": "date_of_death",
    "start_date": "event_start_date",
    "end_date": "event_end_date",
}

#: Columns careties keeps from a CLD file, beside those the events need.
PERSON_FIELDS = (
    "gender",
    "ethnicity",
    "primary_support_reason",
    "accommodation_status",
    "client_funding_status",
)

#: Client_Type tokens (release 1 and 2) -> careties' code.
CLIENT_TYPES = {
    "service_user": "service_user",
    "carer": "carer",
    "unpaid_carer": "carer",
    "carer_known_by_association": "carer_known_by_association",
    "unpaid_carer_known_by_association": "carer_known_by_association",
}

#: What the reader tells the user it did (``ReadContext.notes``), by what it counted.
#: One template each, so a file checked in parts (``stream_cld``) can add up the parts' counts.
NOTES = {
    "carers": "{n} carer row{s} without an event (carers known by association) accepted and "
    "not stored as events",
    "repeats": "{n} row{s} repeating an event already in the file (same person, start date and "
    "identifying fields; DHSC's unique-event rule) kept once",
    "derived": "{n} row{s} without an Event_Reference given one derived from the event",
}
_NOTE_PATTERNS = {
    name: re.compile(re.escape(text).replace(r"\{n\}", r"([\d,]+)").replace(r"\{s\}", "s?") + "$")
    for name, text in NOTES.items()
}


def note(name: str, count: int) -> str:
    """The note ``name`` for ``count`` rows, e.g. ``1,234 rows repeating an event ...``."""
    return NOTES[name].format(n=f"{count:,}", s="s" if count != 1 else "")


def note_counts(notes: list[str]) -> Counter[str]:
    """The counts in notes written by :func:`note`, by name; other notes are ignored."""
    counts: Counter[str] = Counter()
    for text in notes:
        for name, pattern in _NOTE_PATTERNS.items():
            found = pattern.match(text)
            if found:
                counts[name] += int(found.group(1).replace(",", ""))
    return counts


#: A blank ``Client_Type``: not a service user for ASCOF (DHSC keeps ``'Service user'`` only).
UNKNOWN_CLIENT_TYPE = "unknown"

#: Release 2 ``Event_Outcome`` values (DHSC's Event_Outcome_Cleaned list).
R2_OUTCOMES = (
    "Admitted to hospital",
    "Continuation of support or services",
    "NFA: Deceased",
    "NFA: Information and advice or signposting",
    "NFA: No services offered for other reason",
    "NFA: Other",
    "NFA: Referral to NHS services or NHS funded social care",
    "NFA: Referral to other service within the local authority",
    "NFA: Responsibility moved to another local authority",
    "NFA: Self-funded client or under 12wk disregard",
    "NFA: Support declined",
    "NFA: Support ended as planned",
    "NFA: Support ended for other reason",
    "Progress to assessment, review or reassessment",
    "Progress to reablement/ST-Max",
    "Progress to support planning or services",
)

#: Release 1 outcome wording (by token) -> release 2, where the meaning is the same.
R1_OUTCOMES = {
    "nfa_self_funded_client_inc_12wk_disregard": "NFA: Self-funded client or under 12wk disregard",
    "nfa_self_funded_client_including_12wk_disregard": "NFA: Self-funded client or under 12wk disregard",
    "nfa_deceased": "NFA: Deceased",
    "nfa_moved_to_another_la": "NFA: Responsibility moved to another local authority",
    "nfa_information_advice_signposting_only": "NFA: Information and advice or signposting",
    "nfa_information_and_advice_signposting_only": "NFA: Information and advice or signposting",
    "nfa_support_declined": "NFA: Support declined",
    "nfa_other": "NFA: Other",
    "nfa_no_services_offered_other_reason": "NFA: No services offered for other reason",
    "nfa_support_ended_other_reason": "NFA: Support ended for other reason",
    "nfa_100_nhs_funded_care": "NFA: Referral to NHS services or NHS funded social care",
    "progress_to_reablement_st_max": "Progress to reablement/ST-Max",
    "progress_to_assessment_review_reassessment": "Progress to assessment, review or reassessment",
    "progress_to_support_planning_services": "Progress to support planning or services",
    "continuation_of_support_or_services": "Continuation of support or services",
    "admitted_to_hospital": "Admitted to hospital",
}


def outcome_r2(expr: pl.Expr) -> pl.Expr:
    """Release 1 or 2 outcome -> release 2 wording; an unknown outcome is kept as given."""
    tokens = {token_of(value): value for value in R2_OUTCOMES} | R1_OUTCOMES
    return token_expr(expr).replace_strict(tokens, default=expr, return_dtype=pl.String)


def token_of(text: str) -> str:
    """Python twin of ``spellings.token_expr`` for building lookup tables."""
    return re.sub(r"[^a-z0-9+]+", "_", text.lower()).strip("_")


def rename_aliases(frame: pl.DataFrame, labels: dict[str, str]) -> pl.DataFrame:
    """Give columns spelt another way in use their specification name."""
    renames = {
        alias: name
        for alias, name in HEADER_ALIASES.items()
        if alias in frame.columns and name not in frame.columns
    }
    for alias, name in renames.items():
        if alias in labels:
            labels[name] = labels.pop(alias)
    return frame.rename(renames)


def council_codes(frame: pl.DataFrame, ctx: ReadContext) -> pl.DataFrame:
    """Integer council codes (``503``, ``503.0`` from a spreadsheet) -> ONS codes.

    A code that matches no council is left as it is, so the ONS-code check
    reports it with the value as typed.
    """
    lookup = councils.ons_by_cassr()
    digits = pl.col("la_code").str.strip_chars().str.replace(r"\.0+$", "")
    return frame.with_columns(
        pl.when(digits.str.contains(r"^\d{1,3}$"))
        .then(digits.str.zfill(3).replace_strict(lookup, default=pl.col("la_code")))
        .otherwise(pl.col("la_code"))
        .alias("la_code")
    )


def unknown_integer_codes(frame: pl.DataFrame, ctx: ReadContext) -> None:
    """An integer code that is no council's: refused with the value as typed."""
    flag(
        frame,
        ctx,
        "la_code",
        pl.col("la_code").str.contains(r"^\d+(\.0+)?$"),
        "no council has this LA code (the CLD integer code, e.g. 503 for Lincolnshire, "
        "or the ONS code, e.g. E10000019)",
    )


def person_id(frame: pl.DataFrame, ctx: ReadContext) -> pl.DataFrame | None:
    """DHSC's combined person id: NHS number, else ``LA_Code`` + ``_`` + the council's id."""
    if "la_person_unique_identifier" not in frame.columns and "nhs_number" not in frame.columns:
        ctx.log.file_error(
            "missing required column 'LA_Person_Unique_Identifier' (or 'NHS_Number')"
        )
        return None
    sources = []
    if "nhs_number" in frame.columns:
        sources.append(pl.col("nhs_number").str.replace_all(r"\s+", "").replace("", None))
    if "la_person_unique_identifier" in frame.columns:
        sources.append(pl.format("{}_{}", "la_code", "la_person_unique_identifier"))
    frame = frame.with_columns(pl.coalesce(sources).alias("person_id"))
    ctx.labels["person_id"] = ctx.labels.get("nhs_number") or ctx.labels.get(
        "la_person_unique_identifier", "LA_Person_Unique_Identifier"
    )
    return frame


def client_type(frame: pl.DataFrame) -> pl.DataFrame:
    """Release 1/2 ``Client_Type`` -> careties' code; an unknown value is kept as given.

    Blank (or no column) becomes ``"unknown"`` rather than null, because null
    in a canonical frame means "not said" and is read as a service user.
    """
    if "client_type" not in frame.columns:
        return frame.with_columns(pl.lit(UNKNOWN_CLIENT_TYPE).alias("client_type"))
    return frame.with_columns(
        token_expr(pl.col("client_type"))
        .replace_strict(CLIENT_TYPES, default=pl.col("client_type"), return_dtype=pl.String)
        .fill_null(UNKNOWN_CLIENT_TYPE)
        .alias("client_type")
    )


def carer_without_event() -> pl.Expr:
    """A carer row with neither event type nor start date: it describes a carer, not an event."""
    carer = pl.col("client_type").is_in(["carer", "carer_known_by_association"])
    no_event = pl.col("event_type").is_null() & pl.col("event_start_date").is_null()
    return (carer & no_event).fill_null(False)


def drop_carer_rows_without_events(frame: pl.DataFrame, ctx: ReadContext) -> pl.DataFrame:
    """Leave out carer rows without an event (:func:`carer_without_event`), counted in the notes."""
    dropped = frame.filter(carer_without_event()).height
    if dropped:
        ctx.notes.append(note("carers", dropped))
    return frame.filter(~carer_without_event())


def fill_person_dates(frame: pl.DataFrame) -> pl.DataFrame:
    """One date of birth and date of death per person, as DHSC's person-details table keeps.

    DHSC takes each person's latest known birth year and month and date of
    death; a row left blank borrows it from the person's other rows. Rows with
    no person id (an error) are no one's: they borrow nothing from each other.
    """
    over = ["la_code", "person_id"]
    known = pl.col("person_id").is_not_null()
    columns = []
    for column in ("date_of_birth", "date_of_death"):
        if column in frame.columns:
            latest = pl.when(known).then(pl.col(column).max().over(over))
            columns.append(pl.col(column).fill_null(latest))
    return frame.with_columns(columns) if columns else frame


def unique_events(frame: pl.DataFrame, ctx: ReadContext) -> pl.DataFrame:
    """DHSC's unique events: rows that agree on every identifying field are one event.

    Identifying fields (``6-deduplication.md``, step 1): council, person, start
    date and client type; and the end date (not services), route of access
    (requests), service type and component (services). Kept: the row with no
    end date, else the latest end, else the first in the file (step 3).
    """
    absent = [c for c in ("end_date", "route_of_access", "service_type") if c not in frame.columns]
    frame = frame.with_columns([pl.lit(None, pl.String).alias(c) for c in absent])
    if "end_date" in absent:
        frame = frame.with_columns(pl.col("end_date").cast(pl.Date))
    not_service = pl.col("event_type") != "service"
    keys = {
        "__end": pl.when(not_service).then(pl.col("end_date")),
        "__route": pl.when(pl.col("event_type") == "request").then(pl.col("route_of_access")),
        "__service": pl.when(~not_service).then(pl.col("service_type")),
        "__component": pl.when(~not_service).then(
            pl.col("service_component") if "service_component" in frame.columns else pl.lit(None)
        ),
    }
    frame = frame.with_columns(**keys)
    by = ["la_code", "person_key", "start_date", "client_type", "event_type", *keys]
    kept = (
        frame.sort(
            [pl.col("end_date").is_null(), pl.col("end_date"), pl.col(ROW_COLUMN)],
            descending=[True, True, False],
            nulls_last=True,
        )
        .unique(by, keep="first", maintain_order=True)
        .sort(ROW_COLUMN)
    )
    dropped = frame.height - kept.height
    if dropped:
        ctx.notes.append(note("repeats", dropped))
    return kept.drop(list(keys))


def derived_references(frame: pl.DataFrame, ctx: ReadContext) -> pl.DataFrame:
    """A blank ``Event_Reference`` gets one derived from the event, stable across imports.

    ``D`` + 20 hex digits of SHA-256 over the pseudonymised person and the
    event's identifying fields (never the raw person id), so re-importing the
    file replaces the same rows. Rows that would share one were already kept
    once by :func:`unique_events`.
    """
    blank = frame.get_column("event_reference").is_null()
    if not blank.any():
        return frame
    fields = [
        c
        for c in (
            "la_code",
            "person_key",
            "event_type",
            "start_date",
            "end_date",
            "client_type",
            "route_of_access",
            "service_type",
            "service_component",
        )
        if c in frame.columns
    ]
    texts = (
        frame.filter(blank)
        .select(
            pl.concat_str([pl.col(c).cast(pl.String).fill_null("") for c in fields], separator="|")
        )
        .to_series()
    )
    derived = pl.Series(
        [f"D{hashlib.sha256(t.encode()).hexdigest()[:20]}" for t in texts], dtype=pl.String
    )
    ctx.notes.append(note("derived", len(derived)))
    filled = frame.get_column("event_reference").clone().scatter(blank.arg_true(), derived)
    return frame.with_columns(filled.alias("event_reference"))
