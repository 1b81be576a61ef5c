"""``careties savings``: what keeping older people out of residential care is worth.

``--preset home-truths-2014`` states the Home Truths national case and shows how
its figures follow from one another; ``--council CODE`` (or ``--synthetic``)
computes the same outputs from a council's own admissions and target set.
Both can add a Monte Carlo (``--runs``) and a one-way sensitivity table.
"""

from __future__ import annotations

import argparse
import json

from careties.cli import CommandError
from careties.commands.report import add_data_arguments, load_council_frames
from careties.planning.presets import UnknownPresetError, get_preset
from careties.planning.savings import SavingsInputError, SavingsInputs, savings_scenario
from careties.planning.unit_costs import savings_inputs

JSON_KEYS = (
    "councils",
    "gps_targeted_per_council",
    "gps_targeted",
    "people_per_year",
    "people_per_gp",
    "net_saving_per_person_gbp",
    "net_saving_gbp",
)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``savings``."""
    parser = subparsers.add_parser(
        "savings", help="The savings case: people kept out of residential care and what it saves."
    )
    parser.add_argument("--preset", help="a published case, e.g. home-truths-2014")
    add_data_arguments(parser)
    parser.add_argument("--share", type=float, default=0.25, help="share of GPs targeted")
    parser.add_argument(
        "--reduction",
        type=float,
        default=0.5,
        help="share of the target set's excess admissions avoided (council data; default 0.5)",
    )
    parser.add_argument(
        "--avoided-per-gp", type=float, help="override: admissions avoided per targeted GP per year"
    )
    parser.add_argument("--residential-cost", type=float, help="weekly cost of residential care, £")
    parser.add_argument("--nursing-cost", type=float, help="weekly cost of nursing care, £")
    parser.add_argument(
        "--nursing-share", type=float, help="share of avoided placements that would be nursing"
    )
    parser.add_argument("--stay-weeks", type=float, help="average length of stay, weeks")
    parser.add_argument(
        "--community-cost", type=float, help="weekly cost of the community alternative, £"
    )
    parser.add_argument("--runs", type=int, default=10_000, help="Monte Carlo draws (0 for none)")
    parser.add_argument("--mc-seed", type=int, default=0, help="Monte Carlo seed")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(handler=savings_command)


def _council_inputs(args: argparse.Namespace):
    # Deferred: this pulls in statsmodels and scipy (seconds to import), which
    # `careties --help` and `careties synth` should not wait for.
    from careties.planning.council import CouncilDataError
    from careties.referrals.referrers import highest_potential_referrers

    code, frames = load_council_frames(args)
    events = frames.get("events")
    if events is None or events.is_empty():
        raise CommandError(f"there are no events for council {code}")
    try:
        referrers = highest_potential_referrers(
            events.filter(events["la_code"] == code),
            frames.get("professionals"),
            frames.get("registered_patients"),
            share=args.share,
        )
    except (CouncilDataError, ValueError) as error:
        raise CommandError(str(error)) from None
    years = ((referrers.window[1] - referrers.window[0]).days + 1) / 365.25
    target = referrers.target_set
    excess_per_year = float(target["pooled_excess"].clip(lower_bound=0).sum()) / years
    per_gp = (
        args.avoided_per_gp
        if args.avoided_per_gp is not None
        else args.reduction * excess_per_year / max(target.height, 1)
    )
    saved = {} if args.synthetic else _saved_unit_costs(code)
    try:
        base = savings_inputs(saved)
    except SavingsInputError as error:
        raise CommandError(f"the council's saved unit costs: {error}") from None
    inputs = SavingsInputs(
        councils=1,
        gps_per_council=float(referrers.gps.height),
        share_targeted=args.share,
        admissions_avoided_per_gp=per_gp,
        residential_weekly_cost_gbp=_or(args.residential_cost, base.residential_weekly_cost_gbp),
        nursing_weekly_cost_gbp=_or(args.nursing_cost, base.nursing_weekly_cost_gbp),
        nursing_share=_or(args.nursing_share, base.nursing_share),
        length_of_stay_weeks=_or(args.stay_weeks, base.length_of_stay_weeks),
        community_weekly_cost_gbp=_or(args.community_cost, base.community_weekly_cost_gbp),
        community_weeks=base.community_weeks,
    )
    assumptions = [
        f"council {code}: {referrers.gps.height} GPs, {target.height} targeted ({args.share:.0%})",
        f"target set's excess over expected: {excess_per_year:.1f} admissions a year "
        f"(window {referrers.window[0]} to {referrers.window[1]})",
        f"admissions avoided per targeted GP per year: {per_gp:.2f}"
        + ("" if args.avoided_per_gp is not None else f" ({args.reduction:.0%} of that excess)"),
        (
            f"unit costs not given on the command line are the council's own as saved in "
            f"careties ({', '.join(sorted(saved))}) and careties' defaults for the rest"
            if saved
            else "unit costs not given on the command line are careties' illustrative "
            "defaults, not published figures: give the council's own"
        ),
    ]
    return inputs, assumptions, None


def _saved_unit_costs(la_code: str) -> dict[str, float | None]:
    """The unit costs the council lead saved in the browser (Programme, Savings unit costs)."""
    # Django loads only when a command needs the store, so `careties --help` and
    # `careties synth` start without it.
    from careties.web.programme.unit_costs import council_unit_costs

    return {c.cost.name: c.value for c in council_unit_costs(la_code) if not c.is_default}


def _or(value: float | None, default: float) -> float:
    return default if value is None else value


def savings_command(args: argparse.Namespace) -> int:
    """Handler of ``careties savings``."""
    # Deferred: this pulls in statsmodels and scipy (seconds to import), which
    # `careties --help` and `careties synth` should not wait for.
    from careties.planning.uncertainty import monte_carlo, tornado

    preset = None
    if args.preset:
        try:
            preset = get_preset(args.preset)
        except UnknownPresetError as error:
            raise CommandError(error.args[0]) from None
        inputs, assumptions = preset.inputs, list(preset.assumptions)
    elif args.council or args.synthetic:
        inputs, assumptions, _ = _council_inputs(args)
    else:
        raise CommandError(
            "give --preset NAME, or --council CODE (or --synthetic) for a council's own case"
        )
    try:
        outcome = savings_scenario(inputs)
        mc = monte_carlo(inputs, n=args.runs, seed=args.mc_seed) if args.runs > 0 else None
        sensitivity = tornado(inputs)
    except SavingsInputError as error:
        raise CommandError(str(error)) from None

    if args.json:
        document = {key: getattr(outcome, key) for key in JSON_KEYS}
        document.update(outcome.as_dict())
        document["preset"] = preset.name if preset else None
        document["assumptions"] = assumptions
        if preset:
            document["stated"] = preset.stated
            document["derivation"] = list(preset.derivation())
        if mc is not None:
            document["monte_carlo"] = {
                "runs": mc.n,
                "seed": mc.seed,
                "varied": list(mc.uncertain),
                "percentiles": {
                    row["output"]: {k: row[k] for k in ("p5", "p50", "p95")}
                    for row in mc.summary.iter_rows(named=True)
                },
            }
        document["tornado"] = sensitivity.to_dicts()
        print(json.dumps(document, indent=2, default=str))
        return 0

    title = preset.title if preset else "Savings case from the council's own data"
    print(title)
    if preset:
        print(f"Source: {preset.source}")
    print("\nAssumptions:")
    for line in assumptions:
        print(f"  - {line}")
    if preset:
        print("\nHow the figures follow:")
        for line in preset.derivation():
            print(f"  {line}")
    print("\nOutputs (one council / all councils):")
    print(f"  GPs targeted per council:         {outcome.gps_targeted_per_council:,.0f}")
    print(f"  GPs targeted:                     {outcome.gps_targeted:,.0f}")
    print(
        f"  people kept out of care per year: {outcome.people_per_year_per_council:,.1f} / {outcome.people_per_year:,.0f}"
    )
    print(f"  people per targeted GP per year:  {outcome.people_per_gp:.2f}")
    if outcome.net_saving_per_person_per_year_gbp is None:
        # A stated figure (Home Truths: £604m / 60,000 people a year) is per person per year.
        print(
            f"  net saving per person per year:   £{outcome.net_saving_per_person_gbp:,.0f}"
            " (as stated; no length of stay given)"
        )
    else:
        print(
            f"  net saving per person per stay:   £{outcome.net_saving_per_person_gbp:,.0f}"
            f" (a whole stay of {inputs.length_of_stay_weeks:,.0f} weeks)"
        )
        print(
            f"  net saving per person per year:   "
            f"£{outcome.net_saving_per_person_per_year_gbp:,.0f}"
        )
    print(
        f"  net annual saving:                £{outcome.net_saving_per_council_gbp:,.0f} / £{outcome.net_saving_gbp:,.0f}"
    )
    if mc is not None:
        print(f"\nMonte Carlo ({mc.n:,} draws, seed {mc.seed}; varied: {', '.join(mc.uncertain)}):")
        for row in mc.summary.filter(
            mc.summary["output"].is_in(["people_per_year", "net_saving_gbp"])
        ).iter_rows(named=True):
            print(
                f"  {row['output']}: P5 {row['p5']:,.0f}  P50 {row['p50']:,.0f}  P95 {row['p95']:,.0f}"
            )
    print("\nOne-way sensitivity of the net annual saving (largest swing first):")
    for row in sensitivity.iter_rows(named=True):
        print(
            f"  {row['input']}: {row['low_value']:,.2f} -> £{row['output_at_low']:,.0f}; "
            f"{row['high_value']:,.2f} -> £{row['output_at_high']:,.0f}"
        )
    return 0
