"""Who may see what: users, roles, and the one access check per object type."""
