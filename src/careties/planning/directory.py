"""Local services in the Open Referral UK (ORUK) data standard, to and from careties' frame.

ORUK is the UK profile of the Human Services Data Specification 3.0
(OpenReferralUK/uk-profile: ``schema/compiled/service.json`` and
``schema/openapi.json``). careties keeps a service as one row of the canonical
``services`` frame (:data:`careties.data.frames.CANONICAL`); this module maps
between that row and a fully nested ORUK service:

========================  ==========================================================
careties column           ORUK service
========================  ==========================================================
``service_id``            ``id`` when it is a UUID; else ``id`` is uuid5 of it and it
                          is kept in a ``careties:council_reference`` attribute
``name``                  ``name``
``description``           ``description`` ("" when absent)
``status``                ``status`` (active, inactive, defunct, temporarily closed)
``service_type``          an ``attributes[]`` item whose ``taxonomy_term.taxonomy`` is
                          ``careties:service_type`` (``term`` holds the code); from a
                          file without one, the first taxonomy term's name, as a code
``eligibility``           ``attributes[]`` items with ``link_type`` ``eligibility``
                          (the term's ``description``); else ``minimum_age`` /
                          ``maximum_age`` as words
``cost``                  ``cost_options[]`` (``option``, ``amount``,
                          ``amount_description``); else the deprecated ``fees``
``contact``               ``contacts[]`` (``name``, ``title``); else ``email``, ``url``
``area``                  ``service_areas[0]`` (``service_area`` or ``name``); else the
                          first location's town (``addresses[0].city``) or name
``la_code``               ``service_areas[].uri`` ending in an ONS code
                          (statistics.data.gov.uk), or ``extent``; else the
                          importing council's code
``quality_rating``        an ``attributes[]`` item with taxonomy
                          ``careties:quality_rating`` (term ``1`` to ``5``)
========================  ==========================================================

Identifiers. Every id careties makes is a name-based UUID, stable across
re-imports, with the council's own reference kept beside it
(:mod:`careties.planning.oruk_common`).

The work is split by job: reading and checking against the published schemas
(:mod:`~careties.planning.oruk_import`, :mod:`~careties.planning.oruk_schema`),
writing (:mod:`~careties.planning.oruk_export`), the API's lists and filters
(:mod:`~careties.planning.oruk_api`), places and distances
(:mod:`~careties.planning.places`). This module keeps the GP-facing search and
the sign-posting summary, and re-exports the names other code imports from it.
"""

from __future__ import annotations

import polars as pl

from careties.planning.oruk_api import list_item
from careties.planning.oruk_common import HSDS_VERSION, ORUK_STATUSES, PROFILE_URI
from careties.planning.oruk_export import frame_to_oruk, service_to_oruk
from careties.planning.oruk_import import DirectoryFormatError, oruk_originals, oruk_to_frame

__all__ = [
    "HSDS_VERSION",
    "ORUK_STATUSES",
    "PROFILE_URI",
    "DirectoryFormatError",
    "frame_to_oruk",
    "list_item",
    "oruk_originals",
    "oruk_to_frame",
    "search_services",
    "service_to_oruk",
    "signposting_by_practice",
]


def search_services(
    services: pl.DataFrame,
    need: str = "",
    area: str = "",
    service_type: str = "",
    *,
    include_closed: bool = False,
) -> pl.DataFrame:
    """Services that meet a need in an area, best rated first: the GP-facing search.

    ``need`` is free text matched (every word, case-insensitively) against the
    name, type, description and eligibility; ``area`` against the area and the
    council code; ``service_type`` exactly. Inactive and defunct services are
    left out unless ``include_closed``: a GP should not sign-post to a service
    that has gone.
    """
    result = services
    if not include_closed:
        result = result.filter(pl.col("status").is_in(["active", "temporarily closed"]))
    haystack = (
        pl.concat_str(
            [
                pl.col(c).fill_null("")
                for c in ("name", "service_type", "description", "eligibility")
            ],
            separator=" ",
        )
        .str.to_lowercase()
        .str.replace_all("_", " ")
    )
    for word in need.lower().split():
        result = result.filter(haystack.str.contains(word, literal=True))
    if area.strip():
        wanted = area.strip().lower()
        result = result.filter(
            pl.col("area").fill_null("").str.to_lowercase().str.contains(wanted, literal=True)
            | (pl.col("la_code").str.to_lowercase() == wanted)
        )
    if service_type:
        result = result.filter(pl.col("service_type") == service_type)
    return result.sort(
        [pl.col("status") != "active", pl.col("quality_rating").fill_null(0), pl.col("name")],
        descending=[False, True, False],
    )


def signposting_by_practice(signposts: pl.DataFrame, services: pl.DataFrame) -> pl.DataFrame:
    """Knowledge of services in use, per practice: how many sign-posts, to how many services and types.

    The Home Truths GP surveys found half of GPs knew nothing of telecare where it
    existed; sign-posting to a wider range of services is the behaviour the
    programme hopes to see. ``types_share`` is the share of the directory's
    service types (active services) the practice has sign-posted to.
    """
    active_types = services.filter(pl.col("status") == "active")["service_type"].n_unique()
    typed = signposts.join(
        services.select("service_id", "service_type"), on="service_id", how="left"
    )
    return (
        typed.group_by("practice_code")
        .agg(
            pl.len().alias("signposts"),
            pl.col("service_id").n_unique().alias("services"),
            pl.col("service_type").drop_nulls().n_unique().alias("service_types"),
            pl.col("gp_professional_id").n_unique().alias("gps"),
            pl.col("signposted_on").max().alias("last_signposted_on"),
        )
        .with_columns(
            (
                pl.col("service_types") / active_types if active_types else pl.lit(None, pl.Float64)
            ).alias("types_share")
        )
        .sort("practice_code")
    )
