"""careties.referrals."""
