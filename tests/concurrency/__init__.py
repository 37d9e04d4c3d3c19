"""Races against a real server, on SQLite and PostgreSQL."""
