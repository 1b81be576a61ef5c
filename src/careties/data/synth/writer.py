"""``write``: the files a council would hold, in their published layouts.

careties' own CSV layouts for what has no national publication, NHS Digital's
layouts (``epraccur.csv``, ``gp-reg-pat-prac-quin-age.csv``) for practices and
registrations, so that the importer is exercised on the files users really
have. Raw person ids appear only in ``events.csv``, as in a council's own
extract; the importer pseudonymises them.
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl

from careties.data import codes
from careties.data.contracts.events import EVENT_DETAILS
from careties.data.synth.bcf import fingertips_layout
from careties.data.synth.model import SyntheticData

FILES = (
    "local_authorities.csv",
    "practices.csv",
    "epraccur.csv",
    "gp-reg-pat-prac-quin-age.csv",
    "population.csv",
    "professionals.csv",
    "events.csv",
    "contacts.csv",
    "survey_responses.csv",
    "services.csv",
    "emergency_admissions.csv",
    "discharges.csv",
    "practice_deprivation.csv",
    "truth.json",
)
#: The file to import for each kind of data (epraccur.csv carries no council,
#: so practices come from practices.csv).
FILE_FOR_KIND = {
    "local_authorities": "local_authorities.csv",
    "population": "population.csv",
    "practices": "practices.csv",
    "registered_patients": "gp-reg-pat-prac-quin-age.csv",
    "professionals": "professionals.csv",
    "services": "services.csv",
    "events": "events.csv",
    "contacts": "contacts.csv",
    "survey_responses": "survey_responses.csv",
    "emergency_admissions": "emergency_admissions.csv",
    "discharges": "discharges.csv",
    "practice_deprivation": "practice_deprivation.csv",
}
EPRACCUR_COLUMNS = 27
#: epraccur's organisation sub-type for a GP practice, and prescribing setting 4 (GP practice).
PRACTICE_SUB_TYPE = "B"
PRESCRIBING_SETTING_GP = "4"


def epraccur(data: SyntheticData) -> pl.DataFrame:
    """NHS Digital's ``epraccur`` layout: 27 positional columns, no header, dates YYYYMMDD."""
    practices = data.frames["practices"]
    detail = data.published["practice_detail"]
    health = data.published["council_health_geography"]
    joined = practices.join(detail, on="practice_code", how="left").join(
        health, on="la_code", how="left"
    )
    empty = pl.lit(None, dtype=pl.String)  # written as an empty field, unquoted
    columns = [
        pl.col("practice_code"),
        pl.col("name"),
        pl.col("national_grouping"),
        pl.col("icb_code"),
        pl.col("address_1"),
        pl.col("address_2"),
        empty,
        empty,
        empty,
        pl.col("postcode"),
        pl.col("open_date"),
        empty,  # close date
        pl.col("status"),
        pl.lit(PRACTICE_SUB_TYPE),
        pl.col("sub_icb_code"),  # commissioner
        pl.col("open_date"),  # join provider/purchaser date
        empty,  # left provider/purchaser date
        pl.col("telephone"),
        empty,
        empty,
        empty,
        pl.lit("0"),  # amended record indicator
        empty,
        pl.col("sub_icb_code"),  # provider/purchaser
        empty,
        pl.lit(PRESCRIBING_SETTING_GP),
        empty,
    ]
    assert len(columns) == EPRACCUR_COLUMNS
    return joined.select([c.cast(pl.String).alias(f"c{i + 1:02d}") for i, c in enumerate(columns)])


def quin_age(data: SyntheticData) -> pl.DataFrame:
    """NHS Digital's ``gp-reg-pat-prac-quin-age`` layout, organisation levels stacked.

    GP rows carry the practice postcode and no ONS code; SUB_ICB_LOC and ICB rows
    carry ONS codes and no postcode, as published. ``ALL`` age rows are totals.
    """
    registered = data.frames["registered_patients"]
    practices = data.frames["practices"].select("practice_code", "postcode", "la_code")
    health = data.published["council_health_geography"]
    extract = registered["extract_date"].min()
    extract_text = extract.strftime("%d%b%Y").upper() if extract else ""
    with_all = pl.concat(
        [
            registered,
            registered.group_by("practice_code", "extract_date", "sex", maintain_order=True)
            .agg(pl.col("patients").sum())
            .with_columns(age_band=pl.lit("ALL"))
            .select(registered.columns),
        ]
    )
    gp = with_all.join(practices, on="practice_code", how="left").join(
        health, on="la_code", how="left"
    )
    levels = [
        gp.select(
            ORG_TYPE=pl.lit("GP"),
            ORG_CODE="practice_code",
            ONS_CODE=pl.lit(None, dtype=pl.String),
            POSTCODE="postcode",
            SEX="sex",
            AGE_GROUP_5="age_band",
            NUMBER_OF_PATIENTS="patients",
        ),  # fmt: skip
    ]
    for org_type, code, ons in (
        ("SUB_ICB_LOC", "sub_icb_code", "sub_icb_ons"),
        ("ICB", "icb_code", "icb_ons"),
    ):
        levels.append(
            gp.group_by(code, ons, "sex", "age_band", maintain_order=True)
            .agg(pl.col("patients").sum())
            .sort(code, maintain_order=True)
            .select(
                ORG_TYPE=pl.lit(org_type),
                ORG_CODE=code,
                ONS_CODE=ons,
                POSTCODE=pl.lit(None, dtype=pl.String),
                SEX="sex",
                AGE_GROUP_5="age_band",
                NUMBER_OF_PATIENTS="patients",
            )  # fmt: skip
        )
    order = {band: i for i, band in enumerate((*codes.AGE_BANDS, "ALL"))}
    stacked = pl.concat(levels)
    stacked = stacked.with_columns(
        _band=pl.col("AGE_GROUP_5").replace_strict(order, return_dtype=pl.Int64),
        _level=pl.col("ORG_TYPE").replace_strict(
            {"ICB": 0, "SUB_ICB_LOC": 1, "GP": 2}, return_dtype=pl.Int64
        ),
    ).sort("_level", "ORG_CODE", "SEX", "_band")
    return stacked.select(
        PUBLICATION=pl.lit("GP_PRAC_PAT_LIST"),
        EXTRACT_DATE=pl.lit(extract_text),
        ORG_TYPE="ORG_TYPE",
        ORG_CODE="ORG_CODE",
        ONS_CODE="ONS_CODE",
        POSTCODE="POSTCODE",
        SEX="SEX",
        AGE_GROUP_5="AGE_GROUP_5",
        NUMBER_OF_PATIENTS="NUMBER_OF_PATIENTS",
    )


def events_csv(data: SyntheticData) -> pl.DataFrame:
    """careties' events layout: raw person id and date of birth instead of key and age."""
    events = data.frames["events"]
    people = data.published["event_people"]
    return pl.concat([events, people], how="horizontal").select(
        "event_reference",
        "person_id",
        "date_of_birth",
        "la_code",
        "event_type",
        "start_date",
        *EVENT_DETAILS,
    )


def write(data: SyntheticData, out_dir: str | Path) -> dict[str, Path]:
    """Write every file into ``out_dir`` (created if needed); returns name -> path."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    frames = data.frames
    tables: dict[str, tuple[pl.DataFrame, bool]] = {
        "local_authorities.csv": (frames["local_authorities"], True),
        "practices.csv": (frames["practices"], True),
        "epraccur.csv": (epraccur(data), False),
        "gp-reg-pat-prac-quin-age.csv": (quin_age(data), True),
        "population.csv": (frames["population"], True),
        "professionals.csv": (frames["professionals"], True),
        "events.csv": (events_csv(data), True),
        "contacts.csv": (frames["contacts"], True),
        "survey_responses.csv": (frames["survey_responses"], True),
        "services.csv": (frames["services"], True),
        "emergency_admissions.csv": (frames["emergency_admissions"], True),
        "discharges.csv": (frames["discharges"], True),
        # OHID's Fingertips export layout, as a council downloads it.
        "practice_deprivation.csv": (fingertips_layout(frames["practice_deprivation"]), True),
    }
    written: dict[str, Path] = {}
    for name, (table, header) in tables.items():
        path = out / name
        table.write_csv(path, include_header=header, date_format="%Y-%m-%d", line_terminator="\n")
        written[name] = path
    truth_path = out / "truth.json"
    truth_path.write_text(
        json.dumps(data.truth, indent=2, sort_keys=False) + "\n", encoding="utf-8"
    )
    written["truth.json"] = truth_path
    return written


def row_counts(data: SyntheticData) -> dict[str, int]:
    """Data rows per file as written (header excluded), for the CLI's summary."""
    frames = data.frames
    return {
        "local_authorities.csv": frames["local_authorities"].height,
        "practices.csv": frames["practices"].height,
        "epraccur.csv": frames["practices"].height,
        "gp-reg-pat-prac-quin-age.csv": quin_age(data).height,
        "population.csv": frames["population"].height,
        "professionals.csv": frames["professionals"].height,
        "events.csv": frames["events"].height,
        "contacts.csv": frames["contacts"].height,
        "survey_responses.csv": frames["survey_responses"].height,
        "services.csv": frames["services"].height,
        "emergency_admissions.csv": frames["emergency_admissions"].height,
        "discharges.csv": frames["discharges"].height,
        "practice_deprivation.csv": frames["practice_deprivation"].height,
    }
