"""careties.bcf: the Better Care Fund loop, as domain arithmetic (no Django).

``metrics`` computes the three headline metrics per financial quarter and the
on-track rule; ``relationships`` the relationship metrics a council writes into
its BCF plan; ``inequalities`` who is admitted (rates by group, SII and RII).
Definitions and sources: docs/bcf.md.
"""
