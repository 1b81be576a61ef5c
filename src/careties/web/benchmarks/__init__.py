"""Published figures to compare with: NHS England's ASCOF for all councils and its peer groups.

A small app of its own so its tables migrate apart from the store's.
"""
