"""People: each agency's records of a person, the linked person index, and relationships."""
