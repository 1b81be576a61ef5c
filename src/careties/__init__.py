"""careties: health and social care integration for councils and GP practices in England."""

__version__ = "0.1.0"
