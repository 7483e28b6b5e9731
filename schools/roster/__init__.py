"""Roster import: read a OneRoster bundle or a students spreadsheet into plain tables
(pandas, pure functions), then apply them to a district in one set-based transaction."""
