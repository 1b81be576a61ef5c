"""The store: one table per data contract, written only by ``services``."""
