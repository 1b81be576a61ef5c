"""Section builders: per dashboard area, load frames, run the domain and cache the results.

Presenters (``careties.web.presenters``) call these and only present: they turn
results into rows, cells and figures, under disclosure. One module per area.
"""

# The builders take the presenters' Context, and importing the presenters registers
# every section, some of which import builders: load the presenters first, so that a
# builder imported on its own (by a task, a test) does not meet a half-loaded module.
import careties.web.presenters  # noqa: E402, F401
