"""A seeded synthetic population of families, as the feeds of the agencies that know them.

`generate_population` writes one JSON Lines feed per agency and a `truth.json` that says which
records are the same real person and which alerts the injected harm patterns should raise, and
when. The same seed writes the same bytes. Pure Python: nothing here needs Django.
"""

from __future__ import annotations

from kinsight.synth.population import generate_population

__all__ = ["generate_population"]
