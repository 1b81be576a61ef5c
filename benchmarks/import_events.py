"""Import one million care events: careties' importer against a naive ORM loop.

One command: ``.venv/bin/python benchmarks/import_events.py [--rows N]``.

All runs use the same machine, process and fresh database (SQLite in WAL, or
PostgreSQL when ``DATABASE_URL`` is set). Two baselines validate nothing: the
naive one saves a 20,000-row sample one ``Model.save()`` at a time, the way a
first attempt would; Django's ``bulk_create`` (batches of 5,000, one
transaction) stores the same sample the way a careful Django developer would.
Both rates are per row.
careties' path is the real one a user takes: decode the CSV, validate every
cell against the contract, pseudonymise person ids, and store in one
transaction. Prints rows per second and the ratio.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import polars as pl

os.environ.setdefault("CARETIES_VAR_DIR", tempfile.mkdtemp(prefix="careties-bench-"))
os.environ["DJANGO_SETTINGS_MODULE"] = "careties.web.settings.local"
os.environ.setdefault("CARETIES_TEST_DATA", "1")  # synthetic rows: the development key is fine

LA_CODE = "E06000099"
SERVICE_TYPES = [
    "long_term_residential",
    "long_term_nursing",
    "home_care",
    "reablement",
    "telecare",
]


def write_events_csv(path: Path, rows: int, practices: list[str], seed: int = 0) -> None:
    """A realistic events file in the careties layout (docs/data.md)."""
    rng = np.random.default_rng(seed)
    start = np.datetime64("2023-04-01") + rng.integers(0, 1000, rows).astype("timedelta64[D]")
    birth = start - (rng.integers(65, 100, rows) * 365.25).astype("timedelta64[D]")
    event_type = rng.choice(["request", "assessment", "service"], rows)
    service = np.where(event_type == "service", rng.choice(SERVICE_TYPES, rows), "")
    frame = pl.DataFrame(
        {
            "event_reference": [f"EV{i:08d}" for i in range(rows)],
            "person_id": [f"P{n:07d}" for n in rng.integers(0, rows // 3, rows)],
            "date_of_birth": birth.astype(str),
            "la_code": LA_CODE,
            "event_type": event_type,
            "start_date": start.astype(str),
            "end_date": (start + rng.integers(1, 300, rows).astype("timedelta64[D]")).astype(str),
            "service_type": service,
            "route_of_access": rng.choice(["community", "discharge_from_hospital", "other"], rows),
            "practice_code": rng.choice(practices, rows),
            "professional_id": "",
            "event_outcome": "",
        }
    )
    frame.write_csv(path)


def setup_database(practices: list[str]) -> None:
    from careties.web import setup_django

    setup_django()
    from django.core.management import call_command

    from careties.web.store.services import import_frame

    call_command("migrate", verbosity=0, interactive=False)
    import_frame(
        kind="local_authorities",
        frame=pl.DataFrame({"la_code": [LA_CODE], "name": ["Bench"], "region": ["North East"]}),
        source="la.csv",
    )
    import_frame(
        kind="practices",
        frame=pl.DataFrame(
            {
                "practice_code": practices,
                "name": [f"Practice {p}" for p in practices],
                "postcode": ["TS1 1AA"] * len(practices),
                "la_code": [LA_CODE] * len(practices),
                "status": ["A"] * len(practices),
            }
        ),
        source="practices.csv",
    )


def naive_rate(frame: pl.DataFrame) -> float:
    """Rows per wall and per CPU second saving one ORM object at a time (no validation at all)."""
    from careties.web.store.models import CareEvent

    started, cpu = time.perf_counter(), time.process_time()
    for row in frame.iter_rows(named=True):
        CareEvent(**row, source="naive.csv").save()
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    CareEvent.objects.filter(source="naive.csv").delete()
    return frame.height / elapsed, frame.height / cpu


def bulk_create_rate(frame: pl.DataFrame) -> tuple[float, float]:
    """Rows per wall and per CPU second with Django's bulk_create in one transaction."""
    from django.db import transaction

    from careties.web.store.models import CareEvent

    started, cpu = time.perf_counter(), time.process_time()
    with transaction.atomic():
        CareEvent.objects.bulk_create(
            (CareEvent(**row, source="bulk.csv") for row in frame.iter_rows(named=True)),
            batch_size=5_000,
        )
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    CareEvent.objects.filter(source="bulk.csv").delete()
    return frame.height / elapsed, frame.height / cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=20_000)
    args = parser.parse_args()
    practices = [f"A{81000 + i:05d}" for i in range(40)]
    setup_database(practices)
    from careties.web.store.services import import_file

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "events.csv"
        write_events_csv(path, args.rows, practices)
        size_mb = path.stat().st_size / 1e6
        started, cpu = time.perf_counter(), time.process_time()
        result = import_file(kind="events", path=path)
        careties_seconds, careties_cpu = time.perf_counter() - started, time.process_time() - cpu
    careties_rate = result.rows / careties_seconds

    from careties.web.selectors import load_frame

    sample = (
        load_frame("events").head(args.sample).with_columns(pl.col("event_reference") + "-naive")
    )
    baseline_rate, baseline_cpu_rate = naive_rate(sample)
    bulk = sample.with_columns(pl.col("event_reference") + "-bulk")
    bulk_rate, bulk_cpu_rate = bulk_create_rate(bulk)
    print(f"file: {args.rows:,} events, {size_mb:.0f} MB CSV")
    print(
        f"machine load (1-minute average) at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    print(
        f"careties import (read, validate, pseudonymise, store): {careties_seconds:.1f} s wall, "
        f"{careties_cpu:.1f} s CPU, {careties_rate:,.0f} rows/s"
    )
    print(f"naive per-row ORM save ({sample.height:,}-row sample): {baseline_rate:,.0f} rows/s")
    print(
        f"Django bulk_create ({bulk.height:,}-row sample, one transaction): {bulk_rate:,.0f} rows/s"
    )
    print(f"ratio: {careties_rate / baseline_rate:.1f}x the naive rate (wall clock)")
    print(f"ratio: {careties_rate / bulk_rate:.2f}x the bulk_create rate (wall clock)")
    print(
        f"ratio: {(result.rows / careties_cpu) / baseline_cpu_rate:.1f}x per CPU second "
        "(steadier when the machine is shared)"
    )
    print(f"ratio: {(result.rows / careties_cpu) / bulk_cpu_rate:.2f}x bulk_create per CPU second")
    return 0


if __name__ == "__main__":
    sys.exit(main())
