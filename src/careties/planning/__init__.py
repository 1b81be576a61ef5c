"""careties.planning."""
