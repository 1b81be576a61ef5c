"""The programme: pledge, action plans, knowledge-building activities, the service
directory with sign-posting, and the evaluation of whether it worked (issue 8).

Writes go through ``services``, reads through ``selectors``, display through
``presenters``; the domain rules live in ``careties.planning``.
"""
