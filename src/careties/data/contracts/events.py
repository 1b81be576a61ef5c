"""Social care events (requests, assessments, services, reviews) of people, pseudonymised.

Two layouts: careties' own, and Adult Social Care Client Level Data (CLD) as
councils submit it to NHS England. The person's id (``person_id``, or CLD's
``LA_Person_Unique_Identifier``, else ``NHS_Number``) is replaced by a keyed
HMAC (``person_key``) and never leaves the reader; the date of birth is reduced
to the age at the event's start, floor(days / 365.25) as in DHSC's CLD method.
"""

from __future__ import annotations

import polars as pl

from careties.data import codes, spellings
from careties.data.context import ReadContext
from careties.data.contracts.common import finish, la_code, practice_code, professional
from careties.data.layouts import Layout, Mapped
from careties.data.pseudonymise import pseudonymise
from careties.data.spellings import token_expr
from careties.data.validate import check_duplicates, map_codes, require, to_date, to_int

KIND = "events"
MAX_AGE = 120

CARETIES_OPTIONAL = (
    "date_of_birth",
    "age",
    "end_date",
    "service_type",
    "route_of_access",
    "practice_code",
    "professional_id",
    "event_outcome",
)
CLD_OPTIONAL = (
    "la_person_unique_identifier",
    "nhs_number",
    "event_end_date",
    "event_outcome",
    "request_route_of_access",
    "service_type",
    "service_component",
    "gp_practice_code",
    "referring_professional_id",
)
#: CLD names -> careties names, for columns that mean the same.
CLD_RENAMES = {
    "gp_practice_code": "practice_code",
    "event_start_date": "start_date",
    "event_end_date": "end_date",
    "request_route_of_access": "route_of_access",
    "referring_professional_id": "professional_id",
}

LAYOUTS = [
    Layout(
        KIND,
        "careties",
        required=("event_reference", "person_id", "la_code", "event_type", "start_date"),
        optional=CARETIES_OPTIONAL,
    ),
    Layout(
        KIND,
        "Client Level Data",
        required=("la_code", "date_of_birth", "event_type", "event_reference", "event_start_date"),
        optional=CLD_OPTIONAL,
        signature=("event_start_date", "event_type"),
        allow_extra=True,
    ),
]


def convert(mapped: Mapped, ctx: ReadContext) -> pl.DataFrame:
    """Check every event, derive the age, map codes and pseudonymise the person."""
    frame = mapped.frame
    is_cld = mapped.layout.name == "Client Level Data"
    if is_cld:
        frame = _from_cld(frame, ctx)
        if frame is None:
            return finish(pl.DataFrame(), KIND)
    elif "date_of_birth" not in frame.columns and "age" not in frame.columns:
        ctx.log.file_error(
            "missing required column 'date_of_birth' (or 'age')", column="date_of_birth"
        )
        return finish(pl.DataFrame(), KIND)

    require(frame, ctx, ["event_reference", "person_id", "event_type", "start_date"])
    frame = la_code(frame, ctx)
    frame = map_codes(
        frame, ctx, "event_type", spellings.EVENT_TYPES, "event type", codes.EVENT_TYPES
    )
    frame = to_date(frame, ctx, "start_date")
    if "end_date" in frame.columns:
        # A planned end may lie in the future; an end before the start may not.
        frame = to_date(frame, ctx, "end_date", not_future=False)
        ctx.log.add_rows(
            frame,
            pl.col("end_date") < pl.col("start_date"),
            "end_date",
            "end date is before the start date",
            shown_as=ctx.label("end_date"),
        )
    frame = _age(frame, ctx)
    frame = _service_type_matches_event(frame, ctx)
    if is_cld:
        frame = _cld_service_type(frame, ctx)
    else:
        frame = map_codes(
            frame, ctx, "service_type", spellings.SERVICE_TYPES, "service type", codes.SERVICE_TYPES
        )
    if "route_of_access" in frame.columns:
        frame = map_codes(
            frame,
            ctx,
            "route_of_access",
            spellings.ROUTES_OF_ACCESS,
            "route of access",
            codes.ROUTES_OF_ACCESS,
        )
    if "practice_code" in frame.columns:
        frame = practice_code(frame, ctx, required=False)
    if "professional_id" in frame.columns:
        frame = professional(frame, ctx, "professional_id", required=False)
    check_duplicates(frame, ctx, ("la_code", "event_reference"))

    if ctx.log.total:
        # Nothing will be returned; spare the hashing.
        return finish(frame.drop("person_id").head(0), KIND)
    person_key = pseudonymise(frame.get_column("person_id"), ctx.pseudonymisation_key or b"")
    frame = frame.with_columns(person_key.alias("person_key")).drop("person_id")
    return finish(frame, KIND)


def _from_cld(frame: pl.DataFrame, ctx: ReadContext) -> pl.DataFrame | None:
    """Rename CLD columns to careties' and map CLD's service types to careties' codes."""
    if "la_person_unique_identifier" not in frame.columns and "nhs_number" not in frame.columns:
        ctx.log.file_error(
            "missing required column 'LA_Person_Unique_Identifier' (or 'NHS_Number')"
        )
        return None
    person_sources = []
    if "la_person_unique_identifier" in frame.columns:
        person_sources.append(pl.col("la_person_unique_identifier"))
    if "nhs_number" in frame.columns:
        person_sources.append(pl.col("nhs_number").str.replace_all(r"\s+", ""))
    frame = frame.with_columns(pl.coalesce(person_sources).alias("person_id"))
    ctx.labels["person_id"] = ctx.labels.get("la_person_unique_identifier") or ctx.labels.get(
        "nhs_number", "LA_Person_Unique_Identifier"
    )
    frame = frame.rename({k: v for k, v in CLD_RENAMES.items() if k in frame.columns})
    for old, new in CLD_RENAMES.items():
        if old in ctx.labels:
            ctx.labels[new] = ctx.labels.pop(old)
    return frame


def _cld_service_type(frame: pl.DataFrame, ctx: ReadContext) -> pl.DataFrame:
    """CLD ``Service_Type`` (release 1 or 2 spelling) and ``Service_Component`` -> careties' code.

    Long-term residential or nursing care whose component is short-term is
    not a permanent admission (ASCOF excludes it), so it maps to ``other``.
    Community support is split by component: home care, telecare, day
    services, direct payments, else ``other``.
    """
    service = token_expr(pl.col("service_type"))
    component = (
        token_expr(pl.col("service_component"))
        if "service_component" in frame.columns
        else pl.lit(None, pl.String)
    )
    community = pl.lit("other")
    for keyword, code in reversed(spellings.CLD_COMMUNITY_COMPONENTS):
        community = (
            pl.when(component.str.contains(keyword, literal=True))
            .then(pl.lit(code))
            .otherwise(community)
        )
    known = {k: v for k, v in spellings.CLD_SERVICE_TYPES.items() if v is not None}
    mapped = (
        pl.when(service == "long_term_support_community")
        .then(community)
        .when(
            service.is_in(["long_term_support_residential_care", "long_term_support_nursing_care"])
            & component.str.contains("short_term", literal=True).fill_null(False)
        )
        .then(pl.lit("other"))
        .otherwise(service.replace_strict(known, default=None, return_dtype=pl.String))
    )
    frame = frame.with_columns(mapped.alias("__service"))
    allowed = "Long term support: Nursing care / Residential care / Community / Prison, Short term support: ST-Max / Ongoing low level / Other short term, Carer support: ..."
    ctx.log.add_rows(
        frame,
        pl.col("service_type").is_not_null() & pl.col("__service").is_null(),
        "service_type",
        f"unknown Client Level Data service type: use {allowed}",
        shown_as=ctx.label("service_type"),
    )
    return frame.with_columns(pl.col("__service").alias("service_type")).drop("__service")


def _age(frame: pl.DataFrame, ctx: ReadContext) -> pl.DataFrame:
    """Age at the event's start from the date of birth (floor(days / 365.25)), else the given age."""
    if "date_of_birth" in frame.columns and "age" in frame.columns:
        ctx.log.add_rows(
            frame,
            pl.col("date_of_birth").is_null() & pl.col("age").is_null(),
            "date_of_birth",
            "required value is blank (give date_of_birth or age)",
            shown_as=ctx.label("date_of_birth"),
        )
    else:
        require(frame, ctx, ["date_of_birth" if "date_of_birth" in frame.columns else "age"])
    ages = []
    if "date_of_birth" in frame.columns:
        frame = to_date(frame, ctx, "date_of_birth")
        days = (pl.col("start_date") - pl.col("date_of_birth")).dt.total_days()
        from_birth = (days / 365.25).floor().cast(pl.Int64)
        frame = frame.with_columns(from_birth.alias("__age_from_birth"))
        ctx.log.add_rows(
            frame,
            pl.col("__age_from_birth") < 0,
            "date_of_birth",
            "date of birth is after the event's start date",
            shown_as=ctx.label("date_of_birth"),
        )
        ctx.log.add_rows(
            frame,
            pl.col("__age_from_birth") > MAX_AGE,
            "date_of_birth",
            f"age at the event's start is over {MAX_AGE}",
            shown_as=ctx.label("date_of_birth"),
        )
        ages.append(pl.col("__age_from_birth"))
    if "age" in frame.columns:
        frame = to_int(
            frame,
            ctx,
            "age",
            minimum=0,
            maximum=MAX_AGE,
            below_reason="negative age",
            above_reason=f"age over {MAX_AGE}",
        )
        ages.append(pl.col("age"))
    frame = frame.with_columns(pl.coalesce(ages).alias("__age"))
    return frame.with_columns(pl.col("__age").alias("age")).drop(
        [c for c in ("__age", "__age_from_birth") if c in frame.columns]
    )


def _service_type_matches_event(frame: pl.DataFrame, ctx: ReadContext) -> pl.DataFrame:
    """A service event needs a service type; other events must not have one."""
    if "service_type" not in frame.columns:
        frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias("service_type"))
    ctx.log.add_rows(
        frame,
        (pl.col("event_type") == "service") & pl.col("service_type").is_null(),
        "service_type",
        "a service event needs a service type",
        shown_as=ctx.label("service_type"),
    )
    ctx.log.add_rows(
        frame,
        pl.col("event_type").is_in(["request", "assessment", "review"])
        & pl.col("service_type").is_not_null(),
        "service_type",
        "only service events have a service type",
        shown_as=ctx.label("service_type"),
    )
    return frame
