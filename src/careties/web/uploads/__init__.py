"""Data in the browser: upload a file, see what it would change, confirm, watch it load.

The same readers and importers as ``careties import`` (``careties.data.read``
and ``careties.web.store.services.import_file``): all or nothing, the same
errors, the same replacement rules. Validation and loading run as background
tasks (django-tasks, database backend) so a 200 MB Client Level Data file does
not hold a web worker; the page polls the task's progress with htmx.
"""
