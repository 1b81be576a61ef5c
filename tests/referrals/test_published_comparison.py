"""Published ASCOF and peer-group files, written in their documented layouts, and the comparison."""

from __future__ import annotations

import polars as pl
import pytest

from careties.referrals.published import (
    PublishedFileError,
    agreement_line,
    comparison,
    financial_year_of_period,
    read_peer_groups,
    read_published_ascof,
)

LINCS, NOTTS, DERBYS, LEICS = "E10000019", "E10000024", "E10000007", "E10000018"

# DHSC's ASCOF_measures SQL output columns (Create_ASCOF_2B2C_2425_Onwards.sql).
SQL_LAYOUT = """Reporting_Period,LA_Code,LA_Name,Measure,Description,Group,Numerator,Denominator,Outcome
1 Apr 24 - 31 Mar 25,503,Lincolnshire,ASCOF 2C,d,65 and above,1200,180000,666.7
1 Apr 24 - 31 Mar 25,E10000024,Nottinghamshire,ASCOF 2C,d,65 and above,1000,170000,588.2
1 Apr 24 - 31 Mar 25,E10000007,Derbyshire,ASCOF 2C,d,65 and above,"1,100",175000,628.6
1 Apr 24 - 31 Mar 25,E10000018,Leicestershire,ASCOF 2C,d,65 and above,900,150000,600.0
1 Apr 24 - 31 Mar 25,E92000001,England,ASCOF 2C,d,65 and above,60000,10500000,571.4
1 Apr 24 - 31 Mar 25,503,Lincolnshire,ASCOF 2B,d,18 to 64,150,450000,33.3
"""

PEERS = """UTLA22NM,1,2,3
Lincolnshire,Nottinghamshire,Derbyshire,Leicestershire
Nottinghamshire,Derbyshire,Lincolnshire,Leicestershire
"""


def test_period_labels():
    assert financial_year_of_period("1 Apr 24 - 31 Mar 25") == "2024-25"
    assert financial_year_of_period("2023-24") == "2023-24"
    assert financial_year_of_period("2023/24") == "2023-24"


def test_published_ascof_in_the_sql_layout(tmp_path):
    path = tmp_path / "ascof.csv"
    path.write_text(SQL_LAYOUT)
    frame = read_published_ascof(path)
    lincs = frame.filter((pl.col("la_code") == LINCS) & (pl.col("measure") == "ASCOF 2C"))
    assert lincs.row(0) == (LINCS, "2024-25", "ASCOF 2C", 1200.0, 180000.0, 666.7)
    assert frame.filter(pl.col("la_code") == DERBYS)["numerator"].to_list() == [1100.0]


def test_published_ascof_with_other_header_spellings(tmp_path):
    path = tmp_path / "ascof.csv"
    path.write_text("Year,ONS Code,Measure ID,Value\n2024-25,E10000019,2C,666.7\n")
    assert read_published_ascof(path).row(0) == (LINCS, "2024-25", "ASCOF 2C", None, None, 666.7)


def test_published_ascof_without_a_code_column_says_so(tmp_path):
    path = tmp_path / "ascof.csv"
    path.write_text("Year,Measure,Outcome\n2024-25,2C,1\n")
    with pytest.raises(PublishedFileError, match="no council code column"):
        read_published_ascof(path)


def test_peer_groups_by_name(tmp_path):
    path = tmp_path / "peers.csv"
    path.write_text(PEERS)
    peers = read_peer_groups(path)
    assert peers.filter(pl.col("la_code") == LINCS)["peer_code"].to_list() == [NOTTS, DERBYS, LEICS]


def test_comparison_ranks_council_and_peers_beside_england_and_region(tmp_path):
    (tmp_path / "ascof.csv").write_text(SQL_LAYOUT)
    (tmp_path / "peers.csv").write_text(PEERS)
    table = comparison(
        read_published_ascof(tmp_path / "ascof.csv"),
        LINCS,
        "2024-25",
        peers=read_peer_groups(tmp_path / "peers.csv"),
    )
    by_group = {row["label"]: row for row in table.iter_rows(named=True)}
    assert by_group["Lincolnshire"]["rank"] == 4  # highest of the four: lower is better
    assert by_group["Nottinghamshire"]["rank"] == 1
    assert by_group["England"]["outcome"] == 571.4  # the published England row
    # East Midlands: no published row, so the sum of its councils in the file.
    region = table.filter(pl.col("group") == "region").row(0, named=True)
    assert region["numerator"] == 1200 + 1000 + 1100 + 900
    assert region["outcome"] == round(4200 / 675000 * 100_000, 1)
    assert by_group["Lincolnshire"]["lower_95"] < 666.7 < by_group["Lincolnshire"]["upper_95"]


def test_agreement_line():
    row = {"outcome": 666.7, "numerator": 1200}
    assert "agrees" in agreement_line(666.66, 1200, row)
    assert "admissions 1199 against 1200" in agreement_line(666.1, 1199, row)
    assert "No published figure" in agreement_line(1.0, 1, None)
