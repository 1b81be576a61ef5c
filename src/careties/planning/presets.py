"""Named savings cases from published sources, with their assumptions stated.

``home-truths-2014`` is the national case that iMPOWER's Home Truths programme
put to councils and the Better Care Fund (Jeremy Cooper, "GP - social worker
relationships and care integration", Community Care, 2014): about 60,000 older
people a year kept out of residential care, a "very conservative" £604m a year,
by each of 152 councils working closely with its 25% most influential GPs,
"just 52 GPs per local authority on average", each of whom need "influence
differently less than 8 older people per year".

The source states the totals, not the unit costs behind them; the preset takes
what it states and derives the rest, so the chain can be checked:

    GPs targeted        = 152 councils x 52                   = 7,904
    GPs per council     = 52 / 25%                            = 208
    people per GP       = 60,000 / 7,904                      = 7.59 (fewer than 8)
    saving per person   = £604m / 60,000                      = £10,067 a year
"""

from __future__ import annotations

from dataclasses import dataclass

from careties.planning.savings import SavingsInputs, SavingsOutcome, savings_scenario


class UnknownPresetError(KeyError):
    """No preset has that name."""


@dataclass(frozen=True)
class Preset:
    """A published case: where it comes from, what it assumes, and the inputs that encode it."""

    name: str
    title: str
    source: str
    assumptions: tuple[str, ...]
    stated: dict[str, float]
    inputs: SavingsInputs

    def outcome(self) -> SavingsOutcome:
        """The case's figures, computed by the same arithmetic as any council's."""
        return savings_scenario(self.inputs)

    def derivation(self) -> tuple[str, ...]:
        """How the figures follow from one another, one line each, with the numbers filled in."""
        o = self.outcome()
        return (
            f"GPs targeted = {o.councils} councils x {o.gps_targeted_per_council:,.0f} GPs "
            f"= {o.gps_targeted:,.0f}",
            f"GPs per council = {o.gps_targeted_per_council:,.0f} / {o.share_targeted:.0%} "
            f"= {o.gps_per_council:,.0f}",
            f"people per targeted GP per year = {o.people_per_year:,.0f} / {o.gps_targeted:,.0f} "
            f"= {o.people_per_gp:.2f} (fewer than 8)",
            f"net saving per person per year = £{o.net_saving_gbp:,.0f} / {o.people_per_year:,.0f} "
            f"= £{o.net_saving_per_person_gbp:,.0f}",
            f"people per council per year = {o.people_per_year:,.0f} / {o.councils} "
            f"= {o.people_per_year_per_council:,.0f}; "
            f"saving per council = £{o.net_saving_per_council_gbp:,.0f}",
        )


def _home_truths_2014() -> Preset:
    councils = 152
    per_council = 52
    share = 0.25
    people = 60_000
    saving = 604_000_000
    targeted = councils * per_council
    return Preset(
        name="home-truths-2014",
        title="Home Truths national case (iMPOWER, 2014)",
        source=(
            "Jeremy Cooper (iMPOWER), 'GP - social worker relationships and care integration', "
            "Community Care, 2014; the Home Truths programme evaluated with the University of "
            "Birmingham (INLOGOV)"
        ),
        assumptions=(
            "152 councils with adult social care responsibilities (England, 2014)",
            "each council targets its 25% most influential GPs, the highest potential referrers",
            "52 targeted GPs per council on average, so about 208 GPs per council",
            "about 60,000 older people a year kept out of residential care (stated)",
            "£604m a year net saving, described as very conservative (stated)",
            "unit costs, length of stay and the cost of the alternative are not stated; the "
            "saving per person is what the stated totals imply",
        ),
        stated={
            "councils": councils,
            "gps_targeted_per_council": per_council,
            "share_targeted": share,
            "people_per_year": people,
            "net_saving_gbp": saving,
        },
        inputs=SavingsInputs(
            councils=councils,
            share_targeted=share,
            gps_per_council=per_council / share,
            admissions_avoided_per_gp=people / targeted,
            net_saving_per_person_gbp=saving / people,
        ),
    )


PRESETS = {"home-truths-2014": _home_truths_2014}


def get_preset(name: str) -> Preset:
    """The named preset; :class:`UnknownPresetError` lists the names there are."""
    try:
        return PRESETS[name]()
    except KeyError:
        raise UnknownPresetError(
            f"no savings preset called {name!r}; there is {', '.join(sorted(PRESETS))}"
        ) from None
