"""Users, their roles and the councils, practices and teams they belong to."""
