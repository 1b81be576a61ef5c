"""The savings scenario section: this council's case at its own unit costs, beside Home Truths.

Every money figure says its unit, because two units meet here: a saving per
person is a whole avoided stay (about two years of care), while Home Truths'
£10,067 is per person per year. The section shows both, for the council, and
says how they relate.
"""

from __future__ import annotations

import polars as pl
from django.urls import reverse

from careties.planning.presets import get_preset
from careties.planning.savings import WEEKS_PER_YEAR, SavingsInputs, savings_scenario
from careties.planning.uncertainty import monte_carlo
from careties.web.disclosure import Disclosure
from careties.web.presenters.base import Column, Context, Draft, NotAvailable, section
from careties.web.programme.unit_costs import council_unit_costs, savings_inputs_for

#: Monte Carlo draws behind the section's centiles (the Methods entry says the same number).
DRAWS = 2_000

#: Output, label, unit, digits; every money figure with its unit.
SAVINGS_ROWS: dict[str, tuple[str, str, int]] = {
    "gps_per_council": ("GPs in the council", "GPs", 0),
    "share_targeted": ("Share of GPs targeted", "%", 0),
    "gps_targeted_per_council": ("GPs targeted", "GPs", 0),
    "people_per_gp": ("Admissions avoided per targeted GP", "people a year", 2),
    "people_per_year_per_council": ("Older people kept out of care homes", "people a year", 0),
    "net_saving_per_person_gbp": (
        "Net saving per person, a whole stay",
        "£ per person per stay",
        0,
    ),
    "net_saving_per_person_per_year_gbp": (
        "Net saving per person, each year of care avoided",
        "£ per person per year",
        0,
    ),
    "net_saving_per_council_gbp": (
        "Net saving a year, once the programme has run longer than a stay",
        "£ a year",
        0,
    ),
    "first_year_saving_gbp": ("Net saving in the programme's first year", "£ in the first year", 0),
}

#: Home Truths states its saving per person per year (£604m / 60,000 people a year) and
#: no length of stay (careties.planning.presets): its figure goes in the per-year row, and
#: its per-stay and first-year rows stay empty rather than borrow careties' stay.
HOME_TRUTHS_ROW = {
    "net_saving_per_person_gbp": None,
    "net_saving_per_person_per_year_gbp": "net_saving_per_person_gbp",
    "first_year_saving_gbp": None,
}


def council_inputs(ctx: Context, gps: int) -> SavingsInputs:
    """The council's saved unit costs (careties' defaults where it has none)."""
    return savings_inputs_for(ctx.la_code, councils=1, gps_per_council=gps)


def _home_truths(preset: dict, key: str) -> float | None:
    source = HOME_TRUTHS_ROW.get(key, key)
    return None if source is None else preset[source]


def _explanation(inputs: SavingsInputs, council: dict) -> str:
    years = inputs.length_of_stay_weeks / WEEKS_PER_YEAR
    per_stay = council["net_saving_per_person_gbp"]
    per_year = council["net_saving_per_person_per_year_gbp"]
    return (
        f"Per stay and per year: a whole stay is the average stay, "
        f"{inputs.length_of_stay_weeks:,.0f} weeks ({years:.1f} years), so the saving per person "
        f"per stay (£{per_stay:,.0f}) is the saving per person per year (£{per_year:,.0f}) x "
        f"{years:.1f}. The yearly saving counts each year's people once, for their whole stay: it "
        f"is what a year saves once the programme has run longer than a stay; in the first year "
        f"people are kept out through the year and avoid less of a stay within it. Home Truths "
        f"2014 states £604m a year for 60,000 people a year, £10,067 per person per year, and no "
        f"length of stay, so its per-stay figure is left empty. "
    )


@section("savings", "The savings scenario", "targeting")
def savings(ctx: Context) -> Draft:
    """This council's case at its unit costs (set under Programme), beside Home Truths 2014."""
    gps = ctx.frame("professionals").filter(pl.col("role") == "gp").height
    if not gps:
        raise NotAvailable("No GPs are loaded for this council.")
    inputs = council_inputs(ctx, gps)
    council = savings_scenario(inputs).as_dict()
    spread = monte_carlo(inputs, n=DRAWS, seed=0)
    # Outputs the draws move: a fixed input (the council's GPs) has no centiles to show.
    varied = set(spread.summary.filter(pl.col("p5") != pl.col("p95"))["output"].to_list())
    preset = get_preset("home-truths-2014").outcome().as_dict()
    rows = []
    for key, (label, unit, digits) in SAVINGS_ROWS.items():
        scale = 100 if key == "share_targeted" else 1

        def shown(value: float | None, scale: int = scale, digits: int = digits) -> float | None:
            return None if value is None else round(float(value) * scale, digits)

        rows.append(
            {
                "measure": label,
                "unit": unit,
                "council": shown(council[key]),
                "p5": shown(spread.percentile(key, 5)) if key in varied else None,
                "p95": shown(spread.percentile(key, 95)) if key in varied else None,
                "home_truths": shown(_home_truths(preset, key)),
            }
        )

    costs = council_unit_costs(ctx.la_code)
    own = sum(not c.is_default for c in costs)
    used = "; ".join(f"{c.cost.phrase} {c.shown}" for c in costs)
    origin = (
        f"{own} of the {len(costs)} unit costs are the council's own, each with its source"
        if own
        else "All unit costs are careties' defaults (the weekly costs illustrative, not "
        "published): a council lead should set the council's own"
    )
    return Draft(
        frame=pl.DataFrame(rows),
        columns=[
            Column("measure", "Measure"),
            Column("unit", "Unit"),
            Column("council", "This council", "number", 0),
            Column("p5", "5th centile", "number", 0),
            Column("p95", "95th centile", "number", 0),
            Column("home_truths", "Home Truths 2014, per council", "number", 0),
        ],
        disclosure=Disclosure(level="council"),
        note=_explanation(inputs, council)
        + f"Unit costs used: {used}. {origin}. Centiles from {DRAWS:,} Monte Carlo draws. "
        "Home Truths 2014: iMPOWER's national case (60,000 people, £604m) per council.",
        extras={
            "see_also": [
                {
                    "href": f"{reverse('programme:unit_costs')}?la={ctx.la_code}",
                    "text": "The unit costs and their sources",
                }
            ]
        },
    )
