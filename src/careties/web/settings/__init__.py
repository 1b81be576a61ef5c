"""Settings split by environment: base, local (demo), test and production."""
