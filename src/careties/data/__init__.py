"""careties.data."""
