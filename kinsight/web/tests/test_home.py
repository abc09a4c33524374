import pytest

from kinsight.access.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def sam(client):
    user = User.objects.create_user("sam", password="correct horse battery", role="social_worker")
    client.force_login(user)
    return user


def test_the_home_page_asks_a_stranger_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_the_sign_in_page_has_labelled_fields_and_a_skip_link(client):
    html = client.get("/sign-in/").content.decode()
    assert 'for="id_username">Username</label>' in html
    assert 'href="#main-content"' in html


def test_a_user_signs_in_with_their_password(client):
    User.objects.create_user("sam", password="correct horse battery")
    response = client.post("/sign-in/", {"username": "sam", "password": "correct horse battery"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_the_home_page_says_what_the_store_holds(client, sam):
    assert "The store holds 0 people" in client.get("/").content.decode()
