"""Views: ``respond`` for the anonymous survey, ``council`` and ``mappings`` for council roles."""
