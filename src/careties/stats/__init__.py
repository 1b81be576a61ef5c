"""careties.stats."""
