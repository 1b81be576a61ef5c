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
from careties.data.contracts import cld
from careties.data.contracts.common import finish, la_code, practice_code, professional
from careties.data.layouts import Layout, Mapped
from careties.data.pseudonymise import pseudonymise
from careties.data.spellings import token_expr
from careties.data.validate import (
    check_duplicates,
    flag,
    map_codes,
    require,
    to_date,
    to_int,
)

KIND = "events"
MAX_AGE = 120

#: What careties' layout may say about an event besides its required fields.
EVENT_DETAILS = (
    "end_date",
    "service_type",
    "route_of_access",
    "practice_code",
    "professional_id",
    "event_outcome",
)
CARETIES_OPTIONAL = ("date_of_birth", "age", *EVENT_DETAILS)
CLD_OPTIONAL = (
    "la_person_unique_identifier",
    "nhs_number",
    "date_of_birth",
    "date_of_death",
    "client_type",
    *cld.PERSON_FIELDS,
    *cld.HEADER_ALIASES,
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
        # Event fields are checked per row: a carer row may have no event at all.
        required=("la_code",),
        optional=("event_type", "event_reference", "event_start_date", *CLD_OPTIONAL),
        signature=("la_code", "event_start_date"),
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

    # CLD's Event_Reference may be blank (DHSC does not use it): derived below.
    required = ["person_id", "event_type", "start_date"]
    require(frame, ctx, required if is_cld else ["event_reference", *required])
    if is_cld:
        cld.unknown_integer_codes(frame, ctx)
    frame = la_code(frame, ctx)
    frame = map_codes(
        frame, ctx, "event_type", spellings.EVENT_TYPES, "event type", codes.EVENT_TYPES
    )
    frame = to_date(frame, ctx, "start_date")
    if "date_of_death" in frame.columns:
        frame = to_date(frame, ctx, "date_of_death")
    if "end_date" in frame.columns:
        # A planned end may lie in the future; an end before the start may not.
        frame = to_date(frame, ctx, "end_date", not_future=False)
        flag(
            frame,
            ctx,
            "end_date",
            pl.col("end_date") < pl.col("start_date"),
            "end date is before the start date",
        )
    if is_cld and "date_of_birth" in frame.columns:
        frame = to_date(frame, ctx, "date_of_birth")
        frame = cld.fill_person_dates(frame)
    frame = _age(frame, ctx, cld_dates=is_cld)
    frame = _service_type_matches_event(frame, ctx)
    if is_cld:
        frame = _cld_service_type(frame, ctx)
        if "event_outcome" in frame.columns:
            outcome = cld.outcome_r2(pl.col("event_outcome"))
            frame = frame.with_columns(outcome.alias("event_outcome"))
    else:
        frame = map_codes(
            frame, ctx, "service_type", spellings.SERVICE_TYPES, "service type", codes.SERVICE_TYPES
        )
    if is_cld and "route_of_access" in frame.columns:
        frame = frame.with_columns(
            token_expr(pl.col("route_of_access"))
            .replace_strict(spellings.ROUTES_OF_ACCESS, default=pl.col("route_of_access"))
            .alias("route_of_access")
        )
    elif "route_of_access" in frame.columns:
        frame = map_codes(
            frame,
            ctx,
            "route_of_access",
            spellings.ROUTES_OF_ACCESS,
            "route of access",
            codes.ROUTES_OF_ACCESS,
        )
    if "practice_code" in frame.columns:
        # Any well-formed practice code: patients register across council borders,
        # and a practice not yet loaded is counted in the data-quality view instead.
        frame = practice_code(frame, ctx, required=False, referential=not is_cld)
    if "professional_id" in frame.columns:
        frame = professional(frame, ctx, "professional_id", required=False)
    check_duplicates(frame, ctx, ("la_code", "event_reference"))

    if ctx.log.total:
        # Nothing will be returned; spare the hashing.
        return finish(frame.drop("person_id").head(0), KIND)
    person_key = pseudonymise(frame.get_column("person_id"), ctx.pseudonymisation_key or b"")
    frame = frame.with_columns(person_key.alias("person_key")).drop("person_id")
    if is_cld:
        frame = cld.unique_events(frame, ctx)
        frame = cld.derived_references(frame, ctx)
    else:
        frame = frame.with_columns(pl.lit("service_user").alias("client_type"))
    return finish(frame, KIND)


def _from_cld(frame: pl.DataFrame, ctx: ReadContext) -> pl.DataFrame | None:
    """CLD as submitted -> careties' column names, councils and person ids (``cld`` module)."""
    frame = cld.rename_aliases(frame, ctx.labels)
    frame = cld.council_codes(frame, ctx)
    frame = cld.client_type(frame)
    for column in ("event_type", "event_start_date", "event_reference"):
        if column not in frame.columns:
            ctx.log.file_error(f"missing required column '{column}'", column=column)
    if ctx.log.total:
        return None
    frame = cld.drop_carer_rows_without_events(frame, ctx)
    frame = cld.person_id(frame, ctx)
    if frame is None:
        return None
    frame = frame.rename({k: v for k, v in CLD_RENAMES.items() if k in frame.columns})
    for old, new in CLD_RENAMES.items():
        if old in ctx.labels:
            ctx.labels[new] = ctx.labels.pop(old)
    return frame


def _cld_service_type(frame: pl.DataFrame, ctx: ReadContext) -> pl.DataFrame:
    """CLD ``Service_Type`` (release 1 or 2 spelling) and ``Service_Component`` -> careties' code.

    Long-term residential or nursing care whose component is short-term is
    not a permanent admission (ASCOF excludes it), so it maps to ``other``;
    so does one whose component names neither residential nor nursing care
    (DHSC's ``Service_Component LIKE '%Residential%' OR LIKE '%Nursing%'``).
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
            & (
                component.str.contains("short", literal=True)
                | ~component.str.contains("residential|nursing")
            ).fill_null(False)
        )
        .then(pl.lit("other"))
        .otherwise(service.replace_strict(known, default=None, return_dtype=pl.String))
    )
    # A service type outside the code list is kept as given (flagged in the
    # data-quality view), as DHSC maps it to "Invalid and not mapped".
    return frame.with_columns(mapped.fill_null(pl.col("service_type")).alias("service_type"))


def _age(frame: pl.DataFrame, ctx: ReadContext, *, cld_dates: bool = False) -> pl.DataFrame:
    """Age at the event's start from the date of birth (floor(days / 365.25)), else the given age.

    With ``cld_dates`` (Client Level Data) the date of birth may be blank (the
    age is then null and the person drops out of age-based measures), is
    already parsed, and counts from the first of the birth month, as DHSC
    derives ``Der_Birth_Date`` from the birth year and month.
    """
    if cld_dates:
        if "date_of_birth" not in frame.columns:
            return frame.with_columns(pl.lit(None, pl.Int64).alias("age"))
        frame = frame.with_columns(_age_at_start(pl.col("date_of_birth").dt.truncate("1mo")))
        _check_birth(frame, ctx, pl.col("date_of_birth") > pl.col("start_date"), pl.col("age"))
        return frame
    if "date_of_birth" in frame.columns and "age" in frame.columns:
        flag(
            frame,
            ctx,
            "date_of_birth",
            pl.col("date_of_birth").is_null() & pl.col("age").is_null(),
            "required value is blank (give date_of_birth or age)",
        )
    else:
        require(frame, ctx, ["date_of_birth" if "date_of_birth" in frame.columns else "age"])
    ages = []
    if "date_of_birth" in frame.columns:
        frame = to_date(frame, ctx, "date_of_birth")
        from_birth = pl.col("__age_from_birth")
        frame = frame.with_columns(_age_at_start(pl.col("date_of_birth")).alias("__age_from_birth"))
        _check_birth(frame, ctx, from_birth < 0, from_birth)
        ages.append(from_birth)
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


def _age_at_start(born: pl.Expr) -> pl.Expr:
    """Whole years from ``born`` to the event's start, floor(days / 365.25) as DHSC's CLD method."""
    days = (pl.col("start_date") - born).dt.total_days()
    return (days / 365.25).floor().cast(pl.Int64).alias("age")


def _check_birth(
    frame: pl.DataFrame, ctx: ReadContext, born_after_start: pl.Expr, age: pl.Expr
) -> None:
    """A date of birth before the event, giving an age of at most ``MAX_AGE``."""
    flag(
        frame,
        ctx,
        "date_of_birth",
        born_after_start,
        "date of birth is after the event's start date",
    )
    flag(frame, ctx, "date_of_birth", age > MAX_AGE, f"age at the event's start is over {MAX_AGE}")


def _service_type_matches_event(frame: pl.DataFrame, ctx: ReadContext) -> pl.DataFrame:
    """A service event needs a service type; other events must not have one."""
    if "service_type" not in frame.columns:
        frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias("service_type"))
    service_event = pl.col("event_type") == "service"
    has_type = pl.col("service_type").is_not_null()
    flag(
        frame,
        ctx,
        "service_type",
        service_event & ~has_type,
        "a service event needs a service type",
    )
    other_event = pl.col("event_type").is_in(["request", "assessment", "review"])
    flag(
        frame,
        ctx,
        "service_type",
        other_event & has_type,
        "only service events have a service type",
    )
    return frame
