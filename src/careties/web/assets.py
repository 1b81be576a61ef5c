"""Copy front-end assets from npm packages and the Plotly wheel into static/vendor.

Run by ``make``: nothing is fetched from a CDN at run time, so the dashboard
works offline and behind council firewalls.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import plotly

PACKAGE_DIR = Path(__file__).resolve().parent
VENDOR = PACKAGE_DIR / "static" / "vendor"


def _node_modules() -> Path:
    for parent in [Path.cwd(), *PACKAGE_DIR.parents]:
        candidate = parent / "node_modules"
        if (candidate / "nhsuk-frontend").is_dir():
            return candidate
    raise SystemExit(
        "careties: node_modules/nhsuk-frontend not found; run `npm install` (make does it)"
    )


def collect() -> list[Path]:
    """Copy the vendored assets; returns the files written."""
    modules = _node_modules()
    nhsuk = modules / "nhsuk-frontend" / "dist" / "nhsuk"
    copies = {
        nhsuk / "nhsuk-frontend.min.css": VENDOR / "nhsuk" / "nhsuk-frontend.min.css",
        nhsuk / "nhsuk-frontend.min.js": VENDOR / "nhsuk" / "nhsuk-frontend.min.js",
        modules / "htmx.org" / "dist" / "htmx.min.js": VENDOR / "htmx" / "htmx.min.js",
        modules / "axe-core" / "axe.min.js": VENDOR / "axe" / "axe.min.js",
        Path(plotly.__file__).parent / "package_data" / "plotly.min.js": VENDOR
        / "plotly"
        / "plotly.min.js",
    }
    written = []
    for source, target in copies.items():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        written.append(target)
    assets_target = VENDOR / "nhsuk" / "assets"
    if assets_target.exists():
        shutil.rmtree(assets_target)
    shutil.copytree(nhsuk / "assets", assets_target)
    written.append(assets_target)
    return written


if __name__ == "__main__":
    files = collect()
    print(f"careties: {len(files)} front-end assets in {VENDOR}", file=sys.stderr)
