"""Councils, GP practices, their registered patients and the 65+ population.

Everything else hangs off this: events are generated per registered patient,
the workforce per practice and council. Practice lists follow an England-like
age pyramid with a practice-specific share of older patients, because the
measures careties computes are rates per registered (or resident) person 65+
and a flat pyramid would make every practice look alike.
"""

from __future__ import annotations

import datetime as dt
import string
from dataclasses import dataclass

import numpy as np
import polars as pl

from careties.data import codes
from careties.data.synth.scales import Scale, financial_years

COUNCIL_CODE = "E06000099"
COUNCIL_NAME = "Northby"
COUNCIL_REGION = "North East"

REGIONS = (
    "North East",
    "North West",
    "Yorkshire and The Humber",
    "East Midlands",
    "West Midlands",
    "East of England",
    "South East",
    "South West",
)
#: NHS England region codes (the "national grouping" of epraccur) by region.
NHS_REGION = {
    "North East": "Y63",
    "North West": "Y62",
    "Yorkshire and The Humber": "Y63",
    "East Midlands": "Y60",
    "West Midlands": "Y60",
    "East of England": "Y61",
    "London": "Y56",
    "South East": "Y59",
    "South West": "Y58",
}

#: Share of registered patients in each five-year band (England-like, persons).
PYRAMID = np.array(
    [
        5.3,
        5.9,
        6.2,
        5.9,
        6.2,
        6.8,
        7.2,
        7.0,
        6.6,
        6.2,
        6.6,
        6.7,
        6.0,
        5.1,
        4.7,
        4.1,
        2.6,
        1.6,
        0.7,
        0.2,
    ]
)
#: Share of women in each band: women outlive men, so the oldest bands are mostly women.
FEMALE_SHARE = np.array([0.49] * 4 + [0.50] * 9 + [0.52, 0.53, 0.55, 0.57, 0.62, 0.68, 0.76])
OLD = np.array([b in codes.AGE_BANDS_65_PLUS for b in codes.AGE_BANDS])
ADULT_UNDER_65 = np.array(
    [b in {f"{lo}_{lo + 4}" for lo in range(20, 65, 5)} for b in codes.AGE_BANDS]
)

#: (count in England, relative size of the 65+ population) by ONS code prefix.
COUNCIL_TYPES = {"E10": (21, 3.2), "E08": (36, 1.3), "E09": (33, 0.7), "E06": (63, 1.0)}

_NAME_START = (
    "North", "South", "East", "West", "Ash", "Brook", "Elm", "Fair", "High", "Kings",
    "Lang", "Mill", "Oak", "Red", "Stan", "Thorn", "Wood", "Bur", "Clay", "Dun",
)  # fmt: skip
_NAME_END = ("by", "ford", "ham", "ton", "wick", "field", "ley", "mere", "stow", "bridge", "worth")
_PRACTICE_START = (
    "Riverside", "Park", "Church Street", "Market", "Station Road", "Castle", "Hillview",
    "The Green", "Meadow", "Abbey", "Bridge", "Orchard", "Victoria", "Queens", "Kingsway",
    "Valley", "Northgate", "Southgate", "Westfield", "Eastfield",
)  # fmt: skip
_PRACTICE_END = (
    "Surgery",
    "Medical Centre",
    "Health Centre",
    "Medical Practice",
    "Family Practice",
)
_POSTCODE_UNIT = "ABDEFGHJLNPQRSTUWXYZ"


@dataclass
class Geography:
    """The places: councils and practices, with what the published files need besides."""

    local_authorities: pl.DataFrame
    practices: pl.DataFrame
    registered_patients: pl.DataFrame
    population: pl.DataFrame
    #: Per council: icb_code, icb_ons, sub_icb_code, sub_icb_ons (for the stacked rows).
    council_health_geography: pl.DataFrame
    #: Per practice: epraccur's extra fields (open date, commissioner, phone, address).
    practice_detail: pl.DataFrame
    practice_council: np.ndarray  # council index of each practice
    list_total: np.ndarray  # registered patients, all ages, per practice
    list_65_plus: np.ndarray  # registered patients 65+ per practice
    list_18_64: np.ndarray  # registered adults 18-64 (20-64 bands plus 2/5 of 15-19)


def _council_codes(
    scale: Scale, rng: np.random.Generator
) -> tuple[list[str], list[str], list[str], np.ndarray]:
    if scale.n_councils == 1:
        return [COUNCIL_CODE], [COUNCIL_NAME], [COUNCIL_REGION], np.array([1.0])
    la_codes: list[str] = []
    weights: list[float] = []
    regions: list[str] = []
    for prefix, (count, size) in COUNCIL_TYPES.items():
        for i in range(count):
            # Fictional numbers (101+) so that no synthetic council shares a real code.
            la_codes.append(f"{prefix}000{101 + i:03d}")
            weights.append(size)
            regions.append(
                "London" if prefix == "E09" else REGIONS[int(rng.integers(len(REGIONS)))]
            )
    combos = [s + e for s in _NAME_START for e in _NAME_END]
    chosen = rng.permutation(len(combos))[: len(la_codes)]
    names = [combos[i] for i in chosen]
    names = [
        n + " County" if c.startswith("E10") else n for n, c in zip(names, la_codes, strict=True)
    ]
    size = np.asarray(weights) * rng.lognormal(0.0, 0.35, len(la_codes))
    return la_codes, names, regions, size


def _allocate(total: int, weights: np.ndarray, minimum: int) -> np.ndarray:
    """Largest-remainder split of ``total`` in proportion to ``weights``, each at least ``minimum``."""
    spare = total - minimum * len(weights)
    raw = weights / weights.sum() * spare
    whole = np.floor(raw).astype(np.int64)
    order = np.argsort(-(raw - whole), kind="stable")
    whole[order[: spare - whole.sum()]] += 1
    return whole + minimum


def _postcode_areas(n: int) -> list[str]:
    letters = [a + b for a in "BCDGHKLMNPSTW" for b in "ABDEFHLNRSTWY"]
    return letters[:n]


def generate_geography(scale: Scale, rng: np.random.Generator) -> Geography:
    """Councils, practices, one registration extract and ONS-style 65+ estimates."""
    la_codes, names, regions, council_size = _council_codes(scale, rng)
    n_la = len(la_codes)
    per_council = _allocate(scale.n_practices, council_size, minimum=min(5, scale.n_practices))
    practice_council = np.repeat(np.arange(n_la), per_council)
    n_pr = scale.n_practices

    # Older populations in counties, younger in London: shifts the 65+ share of lists.
    share_mean = np.array(
        [0.23 if c.startswith("E10") else 0.12 if c.startswith("E09") else 0.19 for c in la_codes]
    )[practice_council]
    concentration = 60.0
    share_65 = rng.beta(share_mean * concentration, (1 - share_mean) * concentration)
    size = rng.lognormal(0.0, 0.5, n_pr)
    list_total = size / (size * share_65).sum() * scale.patients_65_plus
    list_total = np.maximum(np.round(list_total), 1200).astype(np.int64)

    counts = np.zeros((n_pr, len(codes.AGE_BANDS)), dtype=np.int64)
    old_shape = PYRAMID[OLD] / PYRAMID[OLD].sum()
    young_shape = PYRAMID[~OLD] / PYRAMID[~OLD].sum()
    n_old = np.round(list_total * share_65).astype(np.int64)
    counts[:, OLD] = rng.multinomial(n_old, old_shape)
    counts[:, ~OLD] = rng.multinomial(list_total - n_old, young_shape)
    female = rng.binomial(counts, FEMALE_SHARE)
    male = counts - female

    if n_pr > 9000:
        raise ValueError("the generator numbers practices 81000-89999: at most 9,000 practices")
    # Unique numbers across England; the letter is the council's, as real ODS
    # codes share a letter within an area.
    digits = rng.permutation(9000)[:n_pr] + 81000
    letters = string.ascii_uppercase
    council_letter = [letters[(7 + i * 3) % 26] for i in range(n_la)]
    practice_codes = [f"{council_letter[practice_council[i]]}{digits[i]}" for i in range(n_pr)]

    areas = _postcode_areas(n_la)
    district = rng.integers(1, 30, n_pr)
    sector = rng.integers(1, 10, n_pr)
    unit = rng.integers(0, len(_POSTCODE_UNIT), (n_pr, 2))
    postcodes = [
        f"{areas[practice_council[i]]}{district[i]} {sector[i]}{_POSTCODE_UNIT[unit[i, 0]]}{_POSTCODE_UNIT[unit[i, 1]]}"
        for i in range(n_pr)
    ]
    first = rng.integers(0, len(_PRACTICE_START), n_pr)
    last = rng.integers(0, len(_PRACTICE_END), n_pr)
    practice_names = [
        f"{_PRACTICE_START[first[i]]} {_PRACTICE_END[last[i]]}".upper() for i in range(n_pr)
    ]

    practices = pl.DataFrame(
        {
            "practice_code": practice_codes,
            "name": practice_names,
            "postcode": postcodes,
            "la_code": [la_codes[c] for c in practice_council],
            "status": ["A"] * n_pr,
        },
        schema={
            "practice_code": pl.String,
            "name": pl.String,
            "postcode": pl.String,
            "la_code": pl.String,
            "status": pl.String,
        },
    )

    n_icb = max(1, round(n_la * 42 / 153))
    icb_of = (np.arange(n_la) * n_icb) // n_la
    council_health = pl.DataFrame(
        {
            "la_code": la_codes,
            "icb_code": [f"Q{letters[i // 26 % 26]}{letters[i % 26]}" for i in icb_of + 260],
            "icb_ons": [f"E54{i + 900:06d}" for i in icb_of],
            "sub_icb_code": [f"{i // 26:02d}{letters[i % 26]}" for i in range(n_la)],
            "sub_icb_ons": [f"E38{i + 900:06d}" for i in range(n_la)],
            "national_grouping": [NHS_REGION[r] for r in regions],
        }
    )
    open_year = rng.integers(1974, 2015, n_pr)
    open_day = rng.integers(0, 365, n_pr)
    phone = rng.integers(100000, 999999, n_pr)
    practice_detail = pl.DataFrame(
        {
            "practice_code": practice_codes,
            "address_1": [
                f"{street.upper()} ROAD" for street in np.asarray(_PRACTICE_START)[first]
            ],
            "address_2": [names[c].upper() for c in practice_council],
            "open_date": [
                (dt.date(int(y), 1, 1) + dt.timedelta(days=int(d))).strftime("%Y%m%d")
                for y, d in zip(open_year, open_day, strict=True)
            ],
            "telephone": [f"01632 {p}" for p in phone],
        }
    )

    extract = scale.extract_date
    rows = []
    for sex, table in (("ALL", counts), ("FEMALE", female), ("MALE", male)):
        rows.append(
            pl.DataFrame(
                {
                    "practice_code": np.repeat(practice_codes, len(codes.AGE_BANDS)),
                    "sex": sex,
                    "age_band": np.tile(codes.AGE_BANDS, n_pr),
                    "patients": table.reshape(-1),
                }
            )
        )
    registered = (
        pl.concat(rows)
        .with_columns(pl.lit(extract, dtype=pl.Date).alias("extract_date"))
        .select(
            "practice_code", "extract_date", "sex", "age_band", pl.col("patients").cast(pl.Int64)
        )
        .sort("practice_code", maintain_order=True)
    )

    list_65 = counts[:, OLD].sum(axis=1)
    list_18_64 = counts[:, ADULT_UNDER_65].sum(axis=1) + np.round(counts[:, 3] * 0.4).astype(
        np.int64
    )
    council_65 = np.bincount(practice_council, weights=list_65, minlength=n_la)
    years = financial_years(scale)
    pop_rows = []
    for y in years:
        # Lists overcount residents (people who moved away stay registered a while).
        factor = 0.97 * 1.015 ** (y - extract.year)
        pop_rows.append(
            pl.DataFrame(
                {
                    "la_code": la_codes,
                    "year": y,
                    "population_65_plus": np.round(council_65 * factor).astype(np.int64),
                }
            )
        )
    population = pl.concat(pop_rows).select(
        "la_code", pl.col("year").cast(pl.Int64), pl.col("population_65_plus").cast(pl.Int64)
    )
    local_authorities = pl.DataFrame(
        {"la_code": la_codes, "name": names, "region": regions},
        schema={"la_code": pl.String, "name": pl.String, "region": pl.String},
    )
    return Geography(
        local_authorities=local_authorities,
        practices=practices,
        registered_patients=registered,
        population=population,
        council_health_geography=council_health,
        practice_detail=practice_detail,
        practice_council=practice_council,
        list_total=counts.sum(axis=1),
        list_65_plus=list_65,
        list_18_64=list_18_64,
    )
