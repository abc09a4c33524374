"""Alert rules: each a small registered class with its id, guidance and condition."""
