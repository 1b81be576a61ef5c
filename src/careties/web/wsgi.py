"""WSGI entry point for gunicorn.

``careties serve`` starts gunicorn with ``--preload``: the master imports the
application and the heavy modules (Polars, SciPy, the presenters) and compiles
the page templates once, before forking, so no worker makes a user wait a
second for its first page. Nothing here opens a database connection, which
must not be shared across the fork.
"""

import os

from django.core.wsgi import get_wsgi_application
from django.template.loader import get_template

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "careties.web.settings.local")
application = get_wsgi_application()


def _warm() -> None:
    import careties.planning.targeting  # noqa: F401
    import careties.referrals.referrers  # noqa: F401
    import careties.relations.network  # noqa: F401
    import careties.relations.surveys  # noqa: F401
    import careties.stats  # noqa: F401
    import careties.web.dashboard.views  # noqa: F401  (registers every presenter)

    for name in ("dashboard/area.jinja", "dashboard/home.jinja", "accounts/login.jinja"):
        get_template(name)


_warm()
