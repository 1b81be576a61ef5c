"""The shared performance dashboard: pages, charts, tables and exports."""
