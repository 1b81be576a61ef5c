"""Build the professional network from contacts, referrals, sign-posting and survey-named ties.

Every source of a tie becomes rows of one long *tie events* frame (who, to whom, when,
which kind, which layer, which origin); :func:`~careties.relations.network.graph.assemble`
aggregates them into edges. See :mod:`careties.relations.network.graph` for the weights.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

import polars as pl

from careties.relations.network.graph import (
    DEFAULT_CHANNEL_WEIGHTS,
    FRONT_DOOR_PREFIX,
    Level,
    NetworkInputError,
    ProfessionalNetwork,
    assemble,
    organisation_nodes,
    person_nodes,
)

#: An event outcome that means the council sign-posted the person elsewhere (CLD wording).
SIGNPOSTING_OUTCOME = "signposting"


def _contact_events(contacts: pl.DataFrame) -> pl.DataFrame:
    return contacts.select(
        from_node=pl.col("from_professional"),
        to_node=pl.col("to_professional"),
        when=pl.col("contact_date"),
        kind=pl.col("channel"),
        layer=pl.when(pl.col("purpose") == "sign_posting")
        .then(pl.lit("sign_posting"))
        .when(pl.col("purpose") == "referral")
        .then(pl.lit("referral"))
        .otherwise(pl.lit("contact")),
        origin=pl.lit("contact"),
    )


def _link_targets(
    contact_events: pl.DataFrame, person_nodes: pl.DataFrame, level: Level
) -> pl.DataFrame:
    """Each practice's *link* in social care: whom its professionals contact most.

    Care events name the referring practice and professional but not the receiving team
    (Client Level Data has no such field, REFERENCE.md), so a referral is attributed to the
    social care team (organisation level) or professional (person level) the practice is in
    most contact with; a practice with none refers to its council's front door.
    """
    meta = person_nodes.select("node_id", "organisation", "org_type", "agency")
    pairs = (
        contact_events.join(
            meta.rename({"node_id": "from_node", "organisation": "from_org"}).select(
                "from_node", "from_org", pl.col("org_type").alias("from_type")
            ),
            on="from_node",
        )
        .join(
            meta.rename({"node_id": "to_node", "organisation": "to_org"}).select(
                "to_node", "to_org", pl.col("agency").alias("to_agency")
            ),
            on="to_node",
        )
        .filter((pl.col("from_type") == "practice") & (pl.col("to_agency") == "social_care"))
    )
    target = "to_org" if level == "organisation" else "to_node"
    return (
        pairs.group_by("from_org", target)
        .len()
        .sort(["from_org", "len", target], descending=[False, True, False])
        .unique("from_org", keep="first")
        .select(practice_code=pl.col("from_org"), link=pl.col(target))
    )


def _referral_events(events: pl.DataFrame, links: pl.DataFrame, level: Level) -> pl.DataFrame:
    requests = events.filter(
        (pl.col("event_type") == "request") & pl.col("practice_code").is_not_null()
    )
    source = "practice_code" if level == "organisation" else "professional_id"
    requests = requests.filter(pl.col(source).is_not_null()).join(
        links, on="practice_code", how="left"
    )
    is_signpost = (
        pl.col("event_outcome").fill_null("").str.to_lowercase().str.contains(SIGNPOSTING_OUTCOME)
    )
    return requests.select(
        from_node=pl.col(source),
        to_node=pl.coalesce(pl.col("link"), pl.lit(FRONT_DOOR_PREFIX) + pl.col("la_code")),
        when=pl.col("start_date"),
        kind=pl.when(is_signpost).then(pl.lit("sign_posting")).otherwise(pl.lit("referral")),
        layer=pl.when(is_signpost).then(pl.lit("sign_posting")).otherwise(pl.lit("referral")),
        origin=pl.lit("event"),
    )


def _survey_events(named_ties: pl.DataFrame, as_of: date) -> pl.DataFrame:
    # A tie named in a wave counts from the wave's date; undated ties count at ``as_of``.
    when = (
        pl.coalesce(pl.col("named_on").cast(pl.Date), pl.lit(as_of))
        if "named_on" in named_ties.columns
        else pl.lit(as_of)
    )
    return named_ties.select(
        from_node=pl.col("from_professional"),
        to_node=pl.col("to_professional"),
        when=when.cast(pl.Date),
        kind=pl.lit("survey_named"),
        layer=pl.lit("survey_named"),
        origin=pl.lit("survey"),
    )


def _in_window(column: pl.Expr, as_of: date, window_days: int | None) -> pl.Expr:
    inside = column <= as_of
    if window_days is not None:
        inside &= column > as_of - timedelta(days=window_days)
    return inside


def build_network(
    professionals: pl.DataFrame,
    contacts: pl.DataFrame,
    events: pl.DataFrame | None = None,
    as_of: date | None = None,
    half_life_days: float = 180.0,
    level: Level = "person",
    *,
    window_days: int | None = None,
    named_ties: pl.DataFrame | None = None,
    channel_weights: Mapping[str, float] | None = None,
    multiplexity_bonus: float = 0.25,
) -> ProfessionalNetwork:
    """Build the professional network from canonical frames.

    Ties come from ``contacts`` (layer by purpose: contact, referral, sign-posting), from
    ``events`` (requests for support that name a practice: referrals; those whose outcome
    is sign-posting: sign-posting) and from ``named_ties`` (survey name generators:
    ``from_professional, to_professional`` and optionally ``named_on``, a date).

    Only tie events on or before ``as_of`` (default: the latest date in the data) and, when
    ``window_days`` is given, after ``as_of - window_days`` count. Weights decay
    exponentially with half-life ``half_life_days`` and are scaled by
    ``channel_weights`` (default :data:`DEFAULT_CHANNEL_WEIGHTS`). Self-ties (within one
    professional, or within one organisation at organisation level) are dropped, and so are
    ties to people not in ``professionals``.

    Method: tie strength after Granovetter (1973) and Marsden & Campbell (1984, "Measuring
    tie strength", Social Forces 63), frequency and recency as indicators; multiplexity after
    Verbrugge (1979, "Multiplexity in adult friendships", Social Forces 57).
    """
    if level not in ("person", "organisation"):
        raise NetworkInputError(f"level must be 'person' or 'organisation', not {level!r}.")
    if half_life_days <= 0:
        raise NetworkInputError("half_life_days must be positive.")
    people = person_nodes(professionals)
    if as_of is None:
        dates = [contacts["contact_date"].max()]
        if events is not None and events.height:
            dates.append(events["start_date"].max())
        dates = [d for d in dates if d is not None]
        as_of = max(dates) if dates else date.today()
    # Cut to the window first: at England scale the frames hold years of data.
    contacts = contacts.filter(_in_window(pl.col("contact_date"), as_of, window_days))
    if events is not None:
        events = events.filter(
            _in_window(pl.col("start_date"), as_of, window_days)
            & (pl.col("event_type") == "request")
        )
    contact_events = _contact_events(contacts)
    parts = [contact_events]
    if events is not None and events.height:
        links = _link_targets(contact_events, people, level)
        parts.append(_referral_events(events, links, level))
    if named_ties is not None and named_ties.height:
        parts.append(_survey_events(named_ties, as_of))
    tie_events = pl.concat(parts, how="vertical_relaxed")
    in_window = pl.col("when") <= as_of
    if window_days is not None:
        in_window &= pl.col("when") > as_of - timedelta(days=window_days)
    tie_events = tie_events.filter(in_window)

    # Organisation-level ties may point at front doors; add those as nodes.
    front_doors = (
        tie_events.filter(pl.col("to_node").str.starts_with(FRONT_DOOR_PREFIX))
        .select(pl.col("to_node").unique())
        .to_series()
        .to_list()
    )
    weights = dict(channel_weights or DEFAULT_CHANNEL_WEIGHTS)
    tie_events = tie_events.with_columns(
        channel_weight=pl.col("kind").replace_strict(weights, default=1.0, return_dtype=pl.Float64)
    )
    if level == "person":
        nodes = people
    else:
        org_of = dict(
            zip(
                people["node_id"].to_list(),
                people["organisation"].to_list(),
                strict=True,
            )
        )
        # Practice codes and front doors are not professional ids, so they map to themselves.
        tie_events = tie_events.with_columns(
            pl.col("from_node").replace_strict(org_of, default=pl.col("from_node")),
            pl.col("to_node").replace_strict(org_of, default=pl.col("to_node")),
        )
        nodes = organisation_nodes(people)
    if front_doors:
        doors = pl.DataFrame(
            {
                "node_id": front_doors,
                "node_type": "organisation" if level == "organisation" else "front_door",
                "role": None,
                "organisation": front_doors,
                "org_type": "social_care_front_door",
                "agency": "social_care",
                "la_code": [d.removeprefix(FRONT_DOOR_PREFIX) for d in front_doors],
                "n_professionals": 0,
            },
            schema=nodes.schema,
        )
        nodes = pl.concat([nodes, doors])
    return assemble(nodes, tie_events, level, as_of, half_life_days, multiplexity_bonus)
