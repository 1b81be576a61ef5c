"""``careties import`` and ``careties demo`` as a user runs them: real processes, real files."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import polars as pl
import pytest

from careties.data import synth

pytestmark = pytest.mark.slow


def _careties(var_dir: Path, *args: str, **kwargs) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "CARETIES_VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "careties.web.settings.local",
        "CARETIES_TEST_DATA": "1",  # synthetic files: the development key may hash them
    }
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "careties.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        **kwargs,
    )


def _count(var_dir: Path, table: str) -> int:
    with sqlite3.connect(var_dir / "careties.sqlite3") as db:
        return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


@pytest.fixture(scope="module")
def tiny_files(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("tiny")
    synth.write(synth.generate("tiny", seed=1), out)
    return out


def test_import_reports_every_error_and_changes_nothing(tmp_path, tiny_files):
    assert (
        _careties(
            tmp_path, "import", "local_authorities", str(tiny_files / "local_authorities.csv")
        ).returncode
        == 0
    )
    assert (
        _careties(tmp_path, "import", "practices", str(tiny_files / "practices.csv")).returncode
        == 0
    )
    before = _count(tmp_path, "careties_practices")
    la_code = pl.read_csv(tiny_files / "local_authorities.csv")["la_code"][0]
    bad = tmp_path / "practices-bad.csv"
    bad.write_text(
        "practice_code,name,postcode,la_code,status\n"
        f"A81001,Good Practice,TS1 1AA,{la_code},A\n"
        f"81001X,Bad Code,TS1 1AA,{la_code},A\n"
        "A81003,Unknown Council,TS1 1AA,E06999999,A\n"
    )
    errors_csv = tmp_path / "errors.csv"
    result = _careties(tmp_path, "import", "practices", str(bad), "--errors", str(errors_csv))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "nothing changed" in result.stderr
    assert "practices-bad.csv" in result.stderr
    report = pl.read_csv(errors_csv)
    assert set(report["row"].to_list()) == {3, 4}
    assert set(report["column"].to_list()) >= {"practice_code", "la_code"}
    assert _count(tmp_path, "careties_practices") == before


def test_missing_file_is_a_clear_error(tmp_path):
    result = _careties(tmp_path, "import", "events", str(tmp_path / "nope.csv"))
    assert result.returncode == 1
    assert "no such file" in result.stderr and "Traceback" not in result.stderr


def test_importing_twice_changes_nothing(tmp_path, tiny_files):
    _careties(tmp_path, "import", "local_authorities", str(tiny_files / "local_authorities.csv"))
    _careties(tmp_path, "import", "practices", str(tiny_files / "practices.csv"))
    _careties(tmp_path, "import", "professionals", str(tiny_files / "professionals.csv"))
    first = _careties(tmp_path, "import", "events", str(tiny_files / "events.csv"))
    assert first.returncode == 0, first.stderr
    count = _count(tmp_path, "careties_events")
    with sqlite3.connect(tmp_path / "careties.sqlite3") as db:
        snapshot = db.execute(
            "SELECT event_reference, person_key, age, start_date FROM careties_events ORDER BY 1"
        ).fetchall()
    again = _careties(tmp_path, "import", "events", str(tiny_files / "events.csv"))
    assert again.returncode == 0
    assert _count(tmp_path, "careties_events") == count
    with sqlite3.connect(tmp_path / "careties.sqlite3") as db:
        assert (
            db.execute(
                "SELECT event_reference, person_key, age, start_date FROM careties_events ORDER BY 1"
            ).fetchall()
            == snapshot
        )
        raw_ids = set(pl.read_csv(tiny_files / "events.csv")["person_id"].to_list())
        stored = {row[1] for row in snapshot}
        assert not raw_ids & stored, "a raw person id reached the database"


def test_an_import_killed_midway_leaves_the_database_as_it_was(tmp_path):
    big = synth.generate("council", seed=2)
    out = tmp_path / "files"
    synth.write(big, out)
    for kind, name in [
        ("local_authorities", "local_authorities.csv"),
        ("practices", "practices.csv"),
        ("professionals", "professionals.csv"),
    ]:
        assert _careties(tmp_path, "import", kind, str(out / name)).returncode == 0
    # Make the events file large enough that the kill lands inside the write.
    events = pl.read_csv(out / "events.csv", infer_schema=False)
    copies = [events.with_columns(pl.col("event_reference") + f"-{i}") for i in range(12)]
    pl.concat(copies).write_csv(out / "events-big.csv")
    env = {
        **os.environ,
        "CARETIES_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "careties.web.settings.local",
        "CARETIES_TEST_DATA": "1",  # synthetic files: the development key may hash them
    }
    env.pop("DATABASE_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "careties.cli", "import", "events", str(out / "events-big.csv")],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wal = tmp_path / "careties.sqlite3-wal"
    deadline = time.time() + 120
    start_size = wal.stat().st_size if wal.exists() else 0
    while time.time() < deadline and process.poll() is None:
        if wal.exists() and wal.stat().st_size > start_size + 1_000_000:
            break
        time.sleep(0.05)
    assert process.poll() is None, "the import finished before it could be interrupted"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert _count(tmp_path, "careties_events") == 0
    assert _count(tmp_path, "careties_practices") == big.frames["practices"].height


def test_demo_loads_the_synthetic_council_and_creates_a_user_per_role(tmp_path):
    result = _careties(tmp_path, "demo", "--no-serve", timeout=600)
    assert result.returncode == 0, result.stderr
    for username in ("admin", "lead", "analyst", "regional", "practice", "socialworker"):
        assert f"{username}-demo-2026" in result.stdout
    assert _count(tmp_path, "careties_events") > 30_000
    assert _count(tmp_path, "careties_memberships") == 6
