"""Kinsight: a multi-agency child-safeguarding record."""

__version__ = "0.1.0"
