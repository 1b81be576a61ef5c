"""Section builders: per dashboard area, load frames, run the domain and cache the results.

Presenters (``careties.web.presenters``) call these and only present: they turn
results into rows, cells and figures, under disclosure. One module per area.
"""
