"""The published ASCOF file and the peer groups through ``careties import``, into the store.

Each import replaces only what its file covers (a year and measure; a council's
peers), and a file careties cannot read changes nothing and says why.
"""

from __future__ import annotations

import pytest

from careties.cli import main
from careties.web.benchmarks.models import PeerGroup, PublishedAscof
from careties.web.benchmarks.services import peer_groups, published_ascof

pytestmark = pytest.mark.django_db

HEADER = (
    "Reporting_Period,LA_Code,LA_Name,Measure,Description,Group,Numerator,Denominator,Outcome\n"
)


def _write(path, *rows: str):
    path.write_text(HEADER + "".join(r + "\n" for r in rows))
    return path


def test_published_ascof_replaces_only_the_years_its_file_holds(tmp_path, capsys):
    first = _write(
        tmp_path / "a.csv",
        "1 Apr 23 - 31 Mar 24,503,Lincolnshire,ASCOF 2C,d,65+,51,208000,24.5",
        "1 Apr 24 - 31 Mar 25,503,Lincolnshire,ASCOF 2C,d,65+,56,213200,26.3",
        '1 Apr 24 - 31 Mar 25,E92000001,England,ASCOF 2C,d,65+,"58,000","10,300,000",563.1',
    )
    assert main(["import", "published_ascof", str(first)]) == 0
    assert PublishedAscof.objects.count() == 3
    second = _write(tmp_path / "b.csv", "2024-25,E10000019,Lincolnshire,2C,d,65+,60,213200,28.1")
    assert main(["import", "published_ascof", str(second)]) == 0
    out = capsys.readouterr().out
    assert "imported 1 published_ascof rows from b.csv (replacing 2 rows)" in out
    stored = published_ascof().sort("financial_year")
    assert stored.select("financial_year", "outcome").rows() == [
        ("2023-24", 24.5),
        ("2024-25", 28.1),
    ]
    assert stored["la_code"].unique().to_list() == ["E10000019"]  # integer code read as ONS


def test_a_published_file_careties_cannot_read_changes_nothing(tmp_path, capsys):
    good = _write(tmp_path / "a.csv", "2024-25,503,Lincolnshire,ASCOF 2C,d,65+,56,213200,26.3")
    assert main(["import", "published_ascof", str(good)]) == 0
    bad = tmp_path / "bad.csv"
    bad.write_text("Reporting_Period,LA_Code,Measure,Numerator\n2024-25,503,ASCOF 2C,56\n")
    assert main(["import", "published_ascof", str(bad)]) != 0
    err = capsys.readouterr().err
    assert "bad.csv was not imported; nothing changed" in err and "no outcome column" in err
    assert "Traceback" not in err
    assert PublishedAscof.objects.get().outcome == 26.3


def test_peer_groups_stored_nearest_first_and_unknown_names_refused(tmp_path, capsys):
    peers = tmp_path / "peers.csv"
    peers.write_text("UTLA22NM,1,2\nLincolnshire,Nottinghamshire,Norfolk\n")
    assert main(["import", "peer_groups", str(peers)]) == 0
    assert peer_groups().sort("peer_rank").rows() == [
        ("E10000019", "E10000024", 1),
        ("E10000019", "E10000020", 2),
    ]
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("UTLA22NM,1\nLincolnshire,Atlantis\n")
    assert main(["import", "peer_groups", str(wrong)]) != 0
    err = capsys.readouterr().err
    assert "councils careties does not know: Atlantis" in err
    assert PeerGroup.objects.count() == 2  # nothing changed
