"""The Better Care Fund area: BCF inputs' tables, the plan (goals), the quarterly return."""
