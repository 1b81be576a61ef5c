"""Survey collection: waves, anonymous links, web forms, CSV imports and wave results.

The scoring of surveys lives in ``careties.relations.surveys``; this app only
collects answers and stores them as canonical ``survey_responses`` rows, with
free text kept apart from anything that could identify its author.
"""
