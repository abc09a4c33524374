"""The access tests share the pages' cast and signed-in clients (kinsight/web/tests/cast.py)."""

from kinsight.web.tests.conftest import cast, signed_in

__all__ = ["cast", "signed_in"]
