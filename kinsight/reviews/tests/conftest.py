"""The reviews tests that need a family use the pages' cast (kinsight/web/tests/cast.py)."""

from kinsight.web.tests.conftest import cast, signed_in

__all__ = ["cast", "signed_in"]
