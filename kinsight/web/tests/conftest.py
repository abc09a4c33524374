"""Fixtures shared by the page tests: the cast of `cast.py`, and a client signed in as each user."""

from collections.abc import Callable

import pytest
from django.test import Client

from kinsight.access.models import User
from kinsight.web.tests.cast import Cast, build_cast, make_user


@pytest.fixture
def cast(db, tmp_path) -> Cast:
    return build_cast(tmp_path)


@pytest.fixture
def signed_in(db) -> Callable[[str], Client]:
    """signed_in("sam") is a client signed in as sam (see cast.py for who sees what)."""

    def sign_in(name: str) -> Client:
        client = Client()
        user = User.objects.filter(username=name).first() or make_user(name)
        client.force_login(user)
        return client

    return sign_in
