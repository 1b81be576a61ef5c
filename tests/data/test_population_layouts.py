"""ONS mid-year population estimates in ONS's published layouts, and careties' own."""

from __future__ import annotations

import careties.data as data

from .helpers import write_csv


def _myeb_rows() -> str:
    """Lincolnshire and one district (left out), sexes 1 and 2, ages 0..90, two years.

    Each single year of age holds 10 people per sex in 2022 and 11 in 2023.
    """
    lines = ["ladcode21,laname21,country,sex,age,population_2022,population_2023"]
    for code, name in (("E10000019", "Lincolnshire"), ("E07000136", "Boston")):
        for sex in (1, 2):
            for age in range(91):
                lines.append(f"{code},{name},E,{sex},{age},10,11")
    return "\n".join(lines)


def test_myeb_long_layout(tmp_path):
    path = write_csv(tmp_path / "myeb1.csv", _myeb_rows())
    notes: list[str] = []
    frame = data.read("population", path, notes=notes).sort("year")
    # 65..90 is 26 single years, 18..64 is 47; two sexes.
    assert frame["la_code"].to_list() == ["E10000019", "E10000019"]
    assert frame["year"].to_list() == [2022, 2023]
    assert frame["population_65_plus"].to_list() == [26 * 20, 26 * 22]
    assert frame["population_18_64"].to_list() == [47 * 20, 47 * 22]
    assert any("1 area that is not a council" in note for note in notes)


def test_myeb_persons_rows_are_not_double_counted(tmp_path):
    lines = ["code,sex,age,year,population"]
    for sex, count in (("M", 4), ("F", 6), ("Persons", 10)):
        for age in (17, 30, 70, "90+"):
            lines.append(f"E10000019,{sex},{age},2023,{count}")
    frame = data.read("population", write_csv(tmp_path / "p.csv", "\n".join(lines)))
    assert frame["population_65_plus"].to_list() == [20]
    assert frame["population_18_64"].to_list() == [10]


def test_mye2_wide_single_year_table_takes_the_year_from_the_file_name(tmp_path):
    ages = ",".join(str(a) for a in range(90)) + ",90+"
    counts = ",".join("5" for _ in range(91))
    path = write_csv(
        tmp_path / "mye2-persons-mid-2023.csv",
        f"Code,Name,Geography,All ages,{ages}\n"
        f"E10000019,Lincolnshire,County,455,{counts}\n"
        f"E92000001,England,Country,455,{counts}\n",
    )
    frame = data.read("population", path)
    assert frame.rows() == [("E10000019", 2023, 26 * 5, 47 * 5)]


def test_careties_layout_still_works(tmp_path):
    path = write_csv(
        tmp_path / "population.csv", "la_code,year,population_65_plus\nE10000019,2023,180000\n"
    )
    assert data.read("population", path).rows() == [("E10000019", 2023, 180000, None)]
