"""Upload a large care events file in the browser's way, end to end, and time it.

One command: ``.venv/bin/python benchmarks/upload_large.py [--mb 200] [--layout cld] [--cli]``.

``careties serve`` runs (gunicorn and the task worker) on a fresh store holding
one synthetic council; the file is posted as a browser posts the upload form
(multipart, streamed from disk, with the session and CSRF token), then the
benchmark polls the progress partial as the page does, confirms, and polls
again until it is loaded. Prints the time of each step, the rows, and the peak
memory (``VmHWM``) of every server process. The file is the council's
synthetic events repeated (new event and person ids each time) to the size
asked, in Client Level Data's layout (split by person, then checked a part at
a time: ``careties.data.stream_cld``) or careties' own (read in batches). With
``--cli`` the same file is then imported by ``careties import`` into a second
fresh store, and its wall time and peak memory are printed too.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parents[1]
CARETIES = [sys.executable, "-m", "careties.cli"]
CLD_SERVICE = {
    "long_term_residential": ("Long Term Support: Residential Care", "Residential Care: Permanent"),
    "long_term_nursing": ("Long Term Support: Nursing Care", "Nursing Care: Permanent"),
    "home_care": ("Long Term Support: Community", "Home Support"),
    "telecare": ("Long Term Support: Community", "Telecare"),
    "day_services": ("Long Term Support: Community", "Day Care"),
    "direct_payment": ("Long Term Support: Community", "Direct Payment"),
    "reablement": ("Short Term Support: ST-Max", "Reablement"),
}


def big_file(events_csv: Path, out: Path, megabytes: int, layout: str) -> int:
    """The council's events repeated to ``megabytes``; returns the rows written."""
    events = pl.read_csv(events_csv, infer_schema=False)
    if layout == "cld":
        service = pl.col("service_type").replace_strict(
            {k: v[0] for k, v in CLD_SERVICE.items()},
            default="Short Term Support: Other Short Term",
        )
        component = pl.col("service_type").replace_strict(
            {k: v[1] for k, v in CLD_SERVICE.items()}, default="Other"
        )
        events = events.select(
            LA_Code="la_code",
            LA_Person_Unique_Identifier="person_id",
            GP_Practice_Code="practice_code",
            Date_of_Birth="date_of_birth",
            Client_Type=pl.lit("Service User"),
            Event_Type=pl.col("event_type").str.to_titlecase(),
            Event_Reference="event_reference",
            Event_Start_Date="start_date",
            Event_End_Date="end_date",
            Event_Outcome="event_outcome",
            Service_Type=pl.when(pl.col("event_type") == "service").then(service),
            Service_Component=pl.when(pl.col("event_type") == "service").then(component),
        )
    reference = "Event_Reference" if layout == "cld" else "event_reference"
    person = "LA_Person_Unique_Identifier" if layout == "cld" else "person_id"
    rows = 0
    with out.open("wb") as handle:
        copy = 0
        while handle.tell() < megabytes * 1e6:
            block = events.with_columns(pl.col(reference) + f"-{copy}", pl.col(person) + f"-{copy}")
            block.write_csv(handle, include_header=copy == 0)
            rows += block.height
            copy += 1
    return rows


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    """Just enough of a browser: a cookie jar, CSRF tokens from forms, streamed uploads."""

    def __init__(self, port: int, session: str) -> None:
        self.port, self.cookies = port, {"sessionid": session}

    def _send(self, method: str, path: str, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=3600)
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn.putrequest(method, path)
        for name, value in {"Cookie": cookie, **(headers or {})}.items():
            conn.putheader(name, value)
        conn.endheaders()
        for part in body or ():
            conn.send(part)
        response = conn.getresponse()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";")[0]
        return response.status, response.getheader("Location"), response.read().decode()

    def get(self, path: str, **headers):
        return self._send("GET", path, headers=headers)

    def token(self, page: str) -> str:
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    def post(self, path: str, fields: dict, file: Path | None = None):
        boundary = uuid.uuid4().hex
        head = b"".join(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
            for k, v in fields.items()
        )
        tail = f"--{boundary}--\r\n".encode()
        parts: list = [head]
        length = len(head) + len(tail)
        if file is not None:
            opening = (
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                f'filename="{file.name}"\r\nContent-Type: text/csv\r\n\r\n'
            ).encode()
            length += len(opening) + file.stat().st_size + 2
            parts += [opening, _chunks(file), b"\r\n"]
        body = (p for part in [*parts, tail] for p in ([part] if isinstance(part, bytes) else part))
        return self._send(
            "POST",
            path,
            body,
            {
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Content-Length": str(length),
            },
        )


def _chunks(path: Path):
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            yield chunk


def wait_until_done(browser: Browser, path: str) -> tuple[float, str]:
    started = time.perf_counter()
    while True:
        _, _, page = browser.get(path, **{"HX-Request": "true"})
        if "every 1s" not in page:
            return time.perf_counter() - started, page
        time.sleep(0.5)


def server_memory(root: int) -> dict[str, int]:
    """Peak resident memory (MiB) of the server and every process under it."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, pending = {}, [root]
    while pending:
        pid = pending.pop()
        pending += children.get(pid, [])
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        peak = re.search(r"VmHWM:\s+(\d+)", status)
        if peak:
            found[f"{pid} {cmd[:60]}"] = int(peak.group(1)) // 1024
    return found


def cli_import(store: Path, path: Path, env: dict[str, str]) -> None:
    """``careties import events`` of ``path`` into ``store`` (a copy of the fresh store)."""
    started = time.perf_counter()
    importer = subprocess.Popen(
        [*CARETIES, "import", "events", str(path), "--test-data"],
        env={**env, "CARETIES_VAR_DIR": str(store)},
        stdout=subprocess.DEVNULL,
    )
    # wait4: this process's own peak, not that of every child this benchmark waited for.
    _, status, usage = os.wait4(importer.pid, 0)
    seconds = time.perf_counter() - started
    assert os.waitstatus_to_exitcode(status) == 0, status
    peak = usage.ru_maxrss // 1024
    print(f"careties import (command line): {seconds:.1f} s, peak memory {peak:,} MiB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=200)
    parser.add_argument("--layout", choices=("cld", "careties"), default="cld")
    parser.add_argument("--cli", action="store_true", help="also time careties import")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="careties-upload-"))
    env = {
        **os.environ,
        "CARETIES_VAR_DIR": str(tmp / "var"),
        "CARETIES_TEST_DATA": "1",
        "DJANGO_SETTINGS_MODULE": "careties.web.settings.local",
    }
    os.environ.update(env)
    subprocess.run([*CARETIES, "synth", "--out", str(tmp / "council")], check=True, env=env)
    for kind in ("local_authorities", "practices", "professionals"):
        subprocess.run(
            [*CARETIES, "import", kind, str(tmp / "council" / f"{kind}.csv"), "--test-data"],
            check=True,
            env=env,
        )
    if args.cli:
        shutil.copytree(tmp / "var", tmp / "var-cli")
    path = tmp / f"events-{args.layout}.csv"
    rows = big_file(tmp / "council" / "events.csv", path, args.mb, args.layout)
    la_code = pl.read_csv(tmp / "council" / "local_authorities.csv")["la_code"][0]
    print(f"file: {path.stat().st_size / 1e6:,.0f} MB, {rows:,} rows, {args.layout} layout")

    from careties.web import setup_django

    setup_django()
    sys.path.insert(0, str(ROOT))  # the test suite's account factory
    from django.test import Client
    from tests.web.factories import make_user

    from careties.web.accounts.models import Role

    client = Client()
    client.force_login(make_user("bench-lead", Role.COUNCIL_LEAD, la_codes=[la_code]))
    port = free_port()
    server = subprocess.Popen(
        [*CARETIES, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        env=env,
        start_new_session=True,
    )
    try:
        for _ in range(120):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.5)
        browser = Browser(port, client.cookies["sessionid"].value)
        _, _, form = browser.get(f"/data/?la={la_code}")
        started = time.perf_counter()
        status, location, _ = browser.post(
            f"/data/?la={la_code}",
            {"csrfmiddlewaretoken": browser.token(form), "la": la_code, "kind": "events"},
            path,
        )
        upload_seconds = time.perf_counter() - started
        assert status == 302, status
        check_seconds, page = wait_until_done(browser, location)
        assert "Checked: ready to load" in page, page[:2000]
        started = time.perf_counter()
        status, _, _ = browser.post(
            location.rstrip("/") + "/confirm/", {"csrfmiddlewaretoken": browser.token(page)}
        )
        _, page = wait_until_done(browser, location)
        load_seconds = time.perf_counter() - started
        assert "Loaded" in page, page[:2000]
        print(f"upload (sent and stored): {upload_seconds:.1f} s")
        print(f"check (background task): {check_seconds:.1f} s, {rows / check_seconds:,.0f} rows/s")
        print(f"load (background task): {load_seconds:.1f} s, {rows / load_seconds:,.0f} rows/s")
        total = upload_seconds + check_seconds + load_seconds
        print(f"end to end: {total:.1f} s")
        for process, mib in sorted(server_memory(server.pid).items()):
            print(f"peak memory {mib:,} MiB: {process}")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    if args.cli:
        # After the server has stopped: the two do not share the machine.
        cli_import(tmp / "var-cli", path, env)
    return 0


if __name__ == "__main__":
    sys.exit(main())
