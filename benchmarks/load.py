"""Load: the dashboard under gunicorn on loopback, driven from a second process.

One command: ``.venv/bin/python benchmarks/load.py [--database sqlite|postgres]``.

The server process is gunicorn (as ``careties serve`` runs it) on 127.0.0.1
with a synthetic council loaded through the real importers. This process is
the client: it logs in as the council lead and requests the council overview
and practice pages from 20 concurrent clients, then submits survey responses
from 50 concurrent clients through the anonymous survey link, and counts every
stored response afterwards. Bounded in requests and time. Prints p50, p95 and
p99 latency and the submissions stored against those sent.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("CARETIES_LOAD_PORT", 8765))
BASE = f"http://127.0.0.1:{PORT}"


def _env(database: str, var_dir: str) -> dict:
    env = {
        **os.environ,
        "CARETIES_VAR_DIR": var_dir,
        "DJANGO_SETTINGS_MODULE": "careties.web.settings.local",
    }
    if database == "postgres":
        url = subprocess.run(
            [str(ROOT / "scripts" / "postgres.sh"), "start"],
            capture_output=True,
            text=True,
            check=True,
        )
        env["DATABASE_URL"] = url.stdout.strip()
    return env


def _prepare(env: dict) -> None:
    subprocess.run(
        [sys.executable, "-m", "careties.cli", "demo", "--no-serve"],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def _start_server(env: dict, workers: int | None = None) -> subprocess.Popen:
    from careties.commands.serve import gunicorn_argv

    server = subprocess.Popen(
        gunicorn_argv(f"127.0.0.1:{PORT}", workers),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"{BASE}/accounts/login/", timeout=2)
            return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit("load: the server did not start within 60 s")


class Session:
    """A browser-like client: cookies and CSRF tokens."""

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> tuple[int, str]:
        with self.opener.open(BASE + path, timeout=30) as response:
            return response.status, response.read().decode()

    def post(self, path: str, data: dict) -> tuple[int, str]:
        _, page = self.get(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        payload = {**data, "csrfmiddlewaretoken": token.group(1) if token else ""}
        request = urllib.request.Request(
            BASE + path,
            data=urllib.parse.urlencode(payload, doseq=True).encode(),
            headers={"Referer": BASE + path},
        )
        with self.opener.open(request, timeout=30) as response:
            return response.status, response.read().decode()


def _percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    q = statistics.quantiles(ordered, n=100)
    return f"p50 {q[49] * 1000:.0f} ms, p95 {q[94] * 1000:.0f} ms, p99 {q[98] * 1000:.0f} ms"


def page_load(paths: list[str], clients: int, requests_per_client: int) -> list[float]:
    """Each client's page timings; every client logs in before any page is timed.

    A log-in hashes the password (hundreds of milliseconds of CPU by design), so
    clients logging in while others' pages are timed would measure the hashing.
    """

    def log_in(_: int) -> Session:
        session = Session()
        session.post("/accounts/login/", {"username": "lead", "password": "lead-demo-2026"})
        return session

    def client(index: int, session: Session) -> list[float]:
        timings = []
        for n in range(requests_per_client):
            path = paths[(index + n) % len(paths)]
            started = time.perf_counter()
            status, _ = session.get(path)
            timings.append(time.perf_counter() - started)
            if status != 200:
                raise SystemExit(f"load: {path} answered {status}")
        return timings

    with ThreadPoolExecutor(clients) as pool:
        sessions = list(pool.map(log_in, range(clients)))
        timings = pool.map(client, range(clients), sessions)
        return [t for batch in timings for t in batch]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--requests", type=int, default=20, help="requests per page client")
    parser.add_argument("--submissions", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=None, help="default: as careties serve")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="careties-load-") as var_dir:
        env = _env(args.database, var_dir)
        _prepare(env)
        server = _start_server(env, args.workers)
        try:
            from load_paths import council_paths, submit_surveys  # benchmarks/load_paths.py

            paths = council_paths(Session)
            # One pass first, timed apart: the first view of each page computes its
            # sections; later views reuse them until the next import.
            cold = page_load(paths, clients=1, requests_per_client=len(paths))
            print(
                f"[{args.database}] first view of {len(paths)} pages: max {max(cold) * 1000:.0f} ms, mean {statistics.mean(cold) * 1000:.0f} ms"
            )
            timings = page_load(paths, clients=20, requests_per_client=args.requests)
            print(
                f"[{args.database}] pages ({len(timings)} requests, 20 clients): {_percentiles(timings)}"
            )
            sent, stored, timings = submit_surveys(Session, env, args.submissions, clients=50)
            print(f"[{args.database}] survey submissions (50 clients): {_percentiles(timings)}")
            print(
                f"[{args.database}] submissions sent {sent}, stored {stored}, lost {sent - stored}"
            )
        finally:
            server.terminate()
            server.wait(timeout=30)
            if args.database == "postgres":
                subprocess.run([str(ROOT / "scripts" / "postgres.sh"), "stop"], check=False)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    sys.exit(main())
