"""careties.relations."""
