"""National scale: per-council data versions and aggregates kept at import.

A store holding every council must not make one council's import cost every
other council a cold cache, nor make the regional view load every event in
England. ``versions`` records, per council, the latest import that touched it;
``aggregates`` keeps what the regional figures need, per council, practice and
month, recomputed for the councils an import touched.
"""
