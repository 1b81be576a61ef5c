"""Load the synthetic council and the demo users into a fresh var directory (run as a script).

The browser suite serves its own database, apart from pytest-django's, the way
``careties demo`` does: migrate, import the synthetic council, create one user per role.
"""

from __future__ import annotations

import sys


def main(scale: str = "council", seed: int = 0) -> None:
    from careties.commands.serve import prepare

    prepare("careties.web.settings.local")
    from careties.commands.demo import create_demo_users
    from careties.data import synth
    from careties.web.store.services import IMPORT_ORDER, import_frame

    data = synth.generate(scale, seed=seed)
    for kind in IMPORT_ORDER:
        if kind in data.frames:
            import_frame(kind, data.frames[kind], source=f"synthetic-{scale}-{kind}")
    create_demo_users(data.truth)


if __name__ == "__main__":
    main(*sys.argv[1:2])
