"""The tenancy core: which district a piece of work belongs to, and the walls around it.

Read docs/adr/0001-district-tenancy.md and 0002-row-level-security.md first.
"""
