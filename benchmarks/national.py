"""National scale: every page's first view on an England store against a one-council store.

One command: ``.venv/bin/python benchmarks/national.py`` (PostgreSQL when ``DATABASE_URL``
is set: the England store goes in that database and the one-council store in a second
database of the same server named ``<name>_council``).

In one run it writes the synthetic England data (153 councils; cached under
``var/benchmarks/england``) and one synthetic council, imports each into a fresh store
through ``careties import`` (each kind timed: rows/s and the importer's peak memory), and
serves each store with gunicorn as ``careties serve`` does. For the council of the England
store nearest in size to the one-council store, and for the one council, it requests the
council overview, targeting, relationships and a practice page, plus the regional view
(every council) with an empty cache, one page at a time: the first views. It prints each
England first view divided by the same page's first view on the one-council store, then
the cached pages' p95 at 20 clients and the largest gunicorn worker's peak memory.

``--england-store DIR`` (and ``--council-store DIR``, SQLite) reuses a store already imported (its ``CARETIES_VAR_DIR``) instead
of importing England again (about 20 minutes on 2 cores); the admissions counts are rebuilt
if the store predates them. The survey answers are every instrument's, the survey of every
role included (``careties synth --scale england`` writes 10.4 million answers), and their
import recounts each council's survey counts for the regional view inside its transaction;
before the pages are timed the benchmark checks they are current (recounting any that are
not, as the warm-up task would, for a store imported before that), printed, not timed. Across more than 12 councils the
regional linkage models are fitted in the task queue, which this benchmark does not run: the
regional view's first view then shows that section as under way.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
os.environ.setdefault("CARETIES_LOAD_PORT", "8717")  # apart from benchmarks/load.py's default

from load import BASE, Session, page_load  # noqa: E402  (benchmarks/load.py)

ROOT = Path(__file__).resolve().parent.parent
KINDS = (
    ("local_authorities", "local_authorities.csv"),
    ("population", "population.csv"),
    ("practices", "practices.csv"),
    ("registered_patients", "gp-reg-pat-prac-quin-age.csv"),
    ("professionals", "professionals.csv"),
    ("services", "services.csv"),
    ("events", "events.csv"),
    ("contacts", "contacts.csv"),
    ("survey_responses", "survey_responses.csv"),
)
PASSWORD = "national-bench-2026"
PAGES = ("council overview", "targeting", "relationships", "practice page", "regional view")

_SETUP = """
import json, sys
from careties.web import setup_django
setup_django("careties.web.settings.local")
from django.contrib.auth import get_user_model
from django.db.models import Count
from careties.web.accounts.models import Membership, Role
from careties.web.scale import aggregates
from careties.web.scale.models import AdmissionCount
from careties.web.store.models import CareEvent, LocalAuthority, Practice
target = int(sys.argv[1])
councils = sorted(LocalAuthority.objects.values_list("la_code", flat=True))
if not AdmissionCount.objects.exists():
    aggregates.refresh_admissions(councils)
# Each council's survey counts for the regional view: the import of the answers made
# them; a store imported before it did is recounted here, as the warm-up task after an
# import would (careties serve's task worker; none runs here). The practices' linkage
# inputs are made by the queued fit of the region's models when the councils are many
# (builders.regional.INLINE_COUNCILS), inline for one council.
import time
from careties.web.scale import freshness
started = time.perf_counter()
freshness.fresh("surveys", councils)
refreshed = time.perf_counter() - started
sizes = dict(CareEvent.objects.values_list("la_code").annotate(n=Count("id")).order_by())
la_code = min(councils, key=lambda c: abs(sizes.get(c, 0) - target)) if target else councils[0]
practice = Practice.objects.filter(la_code=la_code).order_by("practice_code").first()
User = get_user_model()
for name, role, scope in (("lead", Role.COUNCIL_LEAD, [la_code]), ("regional", Role.REGIONAL, councils)):
    User.objects.filter(username=f"bench-{name}").delete()
    user = User.objects.create_user(username=f"bench-{name}", password=sys.argv[2])
    Membership.objects.create(user=user, role=role, la_codes=scope)
print(json.dumps({"la_code": la_code, "practice": practice.practice_code,
                  "events": sizes.get(la_code, 0), "councils": len(councils),
                  "all_events": sum(sizes.values()), "refreshed": refreshed}))
"""


def _run(argv: list[str], env: dict) -> tuple[float, int]:
    """Run a command; its wall seconds and peak resident memory (KiB)."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        raise SystemExit(f"national: {' '.join(argv[2:])} failed ({status})")
    return time.perf_counter() - started, usage.ru_maxrss


def synthetic(scale: str, out: Path, env: dict) -> Path:
    if not (out / "events.csv").is_file():
        print(f"writing synthetic {scale} data to {out} (not timed) ...", flush=True)
        _run(
            [sys.executable, "-m", "careties.cli", "synth", "--scale", scale, "--out", str(out)],
            env,
        )
    return out


def import_store(data: Path, env: dict, label: str) -> None:
    _run([sys.executable, "-m", "careties.cli", "migrate"], env)
    for kind, name in KINDS:
        rows = sum(1 for _ in (data / name).open("rb")) - 1
        seconds, peak = _run(
            [sys.executable, "-m", "careties.cli", "import", "--test-data", kind, str(data / name)],
            env,
        )
        print(
            f"[{label}] import {kind}: {rows:,} rows in {seconds:.1f} s, {rows / seconds:,.0f} rows/s, "
            f"importer peak {peak / 1024:,.0f} MiB",
            flush=True,
        )


def _setup(env: dict, target: int) -> dict:
    found = subprocess.run(
        [sys.executable, "-c", _SETUP, str(target), PASSWORD],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(found.stdout.strip().splitlines()[-1])


def _paths(facts: dict) -> dict[str, str]:
    la, practice = facts["la_code"], facts["practice"]
    return {
        "council overview": f"/council/{la}/",
        "targeting": f"/council/{la}/targeting/",
        "relationships": f"/council/{la}/relationships/",
        "practice page": f"/council/{la}/practices/{practice}/",
        "regional view": "/regional/",
    }


def _login(username: str) -> Session:
    session = Session()
    session.post("/accounts/login/", {"username": username, "password": PASSWORD})
    return session


def _workers_peak_mib(server: subprocess.Popen) -> float:
    """The largest peak resident memory (VmHWM) among the gunicorn workers."""
    peak = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(
                line.split(":", 1) for line in status.read_text().splitlines() if ":" in line
            )
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(server.pid) and "VmHWM" in fields:
            peak = max(peak, int(fields["VmHWM"].split()[0]))
    return peak / 1024


def _load() -> str:
    """When, and how busy the machine is (``uptime``'s load averages), for the record."""
    one, five, fifteen = os.getloadavg()
    return f"{time.strftime('%Y-%m-%d %H:%M:%S %Z')}, load average {one:.2f}, {five:.2f}, {fifteen:.2f}"


def measure(env: dict, facts: dict, label: str, clients: int, requests: int) -> dict:
    """First views with an empty cache, then cached p95 at ``clients`` clients."""
    from load import _start_server

    print(f"[{label}] measuring at {_load()}", flush=True)
    shutil.rmtree(Path(env["CARETIES_VAR_DIR"]) / "cache", ignore_errors=True)
    server = _start_server(env)
    try:
        lead, regional = _login("bench-lead"), _login("bench-regional")
        first = {}
        for page, path in _paths(facts).items():
            session = regional if page == "regional view" else lead
            first[page], outcome = _first_view(session, path)
            print(f"[{label}] first view, {page}: {first[page]:.2f} s{outcome}", flush=True)
        council_paths = [p for k, p in _paths(facts).items() if k != "regional view"]
        timings = page_load_as(council_paths, clients, requests)
        q = statistics.quantiles(sorted(timings), n=100)
        worker = _workers_peak_mib(server)
        print(
            f"[{label}] cached pages, {len(timings)} requests from {clients} clients: "
            f"p50 {q[49] * 1000:.0f} ms, p95 {q[94] * 1000:.0f} ms; largest worker {worker:,.0f} MiB"
            f" (ended {_load()})",
            flush=True,
        )
        return {"first": first, "p95": q[94], "worker": worker}
    finally:
        server.terminate()
        server.wait(timeout=60)


def _first_view(session: Session, path: str) -> tuple[float, str]:
    """Seconds to the whole page, and what went wrong if it did not come (the worker's
    60 s limit, an error page): the time is still reported, marked."""
    started = time.perf_counter()
    try:
        with session.opener.open(BASE + path, timeout=180) as response:
            response.read()
            status = response.status
    except OSError as error:  # HTTPError, a reset connection, a timeout
        return time.perf_counter() - started, f" (FAILED: {error})"
    seconds = time.perf_counter() - started
    return seconds, "" if status == 200 else f" (FAILED: status {status})"


def page_load_as(paths: list[str], clients: int, requests: int) -> list[float]:
    import load

    original = load.Session.post

    def post(self, path, data):  # log in as the benchmark's council lead
        if path == "/accounts/login/":
            data = {"username": "bench-lead", "password": PASSWORD}
        return original(self, path, data)

    load.Session.post = post
    try:
        return page_load(paths, clients=clients, requests_per_client=requests)
    finally:
        load.Session.post = original


def _environment(var_dir: str, database_url: str | None) -> dict:
    env = {
        **os.environ,
        "CARETIES_VAR_DIR": var_dir,
        "DJANGO_SETTINGS_MODULE": "careties.web.settings.local",
        "CARETIES_TEST_DATA": "1",
    }
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _second_database(url: str) -> str:
    """``<name>_council`` on the same PostgreSQL server, created empty."""
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}_council"')
        connection.execute(f'CREATE DATABASE "{name}_council"')
    return f"{base}/{name}_council"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "var" / "benchmarks" / "england")
    parser.add_argument("--england-store", type=Path, default=None)
    parser.add_argument(
        "--council-store", type=Path, default=None, help="reuse a one-council store (its var dir)"
    )
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=10, help="requests per client")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL")
    label = "postgresql" if url else "sqlite"
    with tempfile.TemporaryDirectory(prefix="careties-national-") as tmp:
        if args.council_store:
            council_env = _environment(str(args.council_store), None)
        else:
            council_env = _environment(f"{tmp}/council", _second_database(url) if url else None)
            council_data = synthetic("council", Path(tmp) / "council-data", council_env)
            import_store(council_data, council_env, f"{label}, one council")
        council_facts = _setup(council_env, 0)
        if args.england_store:
            england_env = _environment(str(args.england_store), url)
            subprocess.run(
                [sys.executable, "-m", "careties.cli", "migrate"],
                env=england_env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
        else:
            england_env = _environment(f"{tmp}/england", url)
            import_store(
                synthetic("england", args.data, england_env), england_env, f"{label}, England"
            )
        england_facts = _setup(england_env, council_facts["events"])
        print(
            f"[{label}] England store: {england_facts['councils']} councils, "
            f"{england_facts['all_events']:,} events; measured council {england_facts['la_code']} "
            f"({england_facts['events']:,} events) against the one council "
            f"({council_facts['events']:,} events); the survey counts of every council "
            f"checked current in {england_facts['refreshed']:.0f} s (not timed)",
            flush=True,
        )
        one = measure(
            council_env, council_facts, f"{label}, one council", args.clients, args.requests
        )
        england = measure(
            england_env, england_facts, f"{label}, England", args.clients, args.requests
        )
    print(f"\n[{label}] first view, England / one council (target: at most 1.5; regional 3 s):")
    for page in PAGES:
        ratio = england["first"][page] / one["first"][page]
        print(
            f"  {page:<18} {england['first'][page]:6.2f} s / {one['first'][page]:5.2f} s = {ratio:4.1f}x"
        )
    print(
        f"[{label}] cached p95 at {args.clients} clients: England {england['p95'] * 1000:.0f} ms, "
        f"one council {one['p95'] * 1000:.0f} ms (target 150 ms); largest worker: England "
        f"{england['worker']:,.0f} MiB, one council {one['worker']:,.0f} MiB (target 1,024 MiB)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
