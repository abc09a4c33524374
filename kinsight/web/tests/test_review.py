"""A review's page: its period and child, and the pack made, downloaded and audited there."""

from datetime import date
from pathlib import Path

import pytest

from kinsight.access.models import User
from kinsight.audit.models import AuditEntry
from kinsight.reviews.actions import do_close_review, do_commission_review
from kinsight.reviews.tests.helpers import pack_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def keys(settings, tmp_path):
    settings.KINSIGHT_REVIEW_KEYS_DIR = tmp_path / "keys"
    return tmp_path / "keys"


@pytest.fixture
def review(cast):
    rita = User.objects.filter(username="rita").first() or User.objects.create_user(
        "rita", role="reviewer"
    )
    return do_commission_review(
        reviewer=rita, child=cast.chloe, period_from=date(2018, 1, 1),
        period_to=date(2018, 12, 31), title="CSPR 2024/3", acting="ada",
    )  # fmt: skip


def download(response, path: Path) -> Path:
    path.write_bytes(b"".join(response.streaming_content))
    return path


def test_the_page_shows_the_period_the_child_and_a_form_anonymising_by_default(
    review, signed_in, keys
):
    response = signed_in("rita").get(f"/reviews/{review.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "1 January 2018 to 31 December 2018" in page
    assert "Chloe Walsh" in page
    assert 'id="anonymise-yes" name="anonymise" type="radio" value="yes" checked' in page
    assert str(keys) in page


def test_the_pack_downloads_as_an_attachment_holding_the_chronology(
    review, signed_in, keys, tmp_path
):
    response = signed_in("rita").post(
        f"/reviews/{review.pk}/", {"format": "docx", "anonymise": "no", "reason": "CSPR 2024/3"}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert f'filename="review-{review.pk}-' in response["Content-Disposition"]
    text = pack_text(download(response, tmp_path / "pack.docx"))
    assert "Referral from maternity" in text
    assert "Bruising to the left cheek of the baby." in text
    assert "Chloe" in text


def test_the_download_is_audited_with_the_review_the_reason_and_the_format(review, signed_in, keys):
    signed_in("rita").post(
        f"/reviews/{review.pk}/", {"format": "json", "anonymise": "yes", "reason": "CSPR 2024/3"}
    )
    entry = AuditEntry.objects.get(action="review_pack")
    assert (entry.actor, entry.reason) == ("rita", "CSPR 2024/3")
    assert entry.detail["review"] == review.pk
    assert entry.detail["format"] == "json"
    assert entry.detail["anonymised"] is True
    assert entry.detail["from"] == "2018-01-01"
    assert AuditEntry.objects.filter(
        action="read_export", actor="rita", object_id=review.child.public_id
    ).exists()


def test_the_key_of_an_anonymised_pack_is_kept_on_the_server_and_not_in_the_download(
    review, signed_in, keys, tmp_path
):
    response = signed_in("rita").post(
        f"/reviews/{review.pk}/", {"format": "json", "anonymise": "yes", "reason": "CSPR 2024/3"}
    )
    text = download(response, tmp_path / "pack.json").read_text(encoding="utf-8")
    assert "Walsh" not in text
    kept = sorted(p.name for p in keys.iterdir())
    filename = AuditEntry.objects.get(action="review_pack").detail["file"]
    # The key alone stays: the pack itself is not kept on the server.
    assert kept == [f"{filename}.key.json"]
    assert "Walsh" in (keys / kept[0]).read_text(encoding="utf-8")
    assert (keys / kept[0]).stat().st_mode & 0o077 == 0


def test_a_pack_without_a_reason_is_refused_and_nothing_is_made(review, signed_in, keys):
    response = signed_in("rita").post(
        f"/reviews/{review.pk}/", {"format": "pdf", "anonymise": "yes", "reason": "  "}
    )
    assert response.status_code == 400
    assert "Say why the pack is being made" in response.content.decode()
    assert not AuditEntry.objects.filter(action="review_pack").exists()


def test_it_is_404_for_a_review_commissioned_from_another_reviewer(review, signed_in, keys):
    User.objects.create_user("rex", role="reviewer")
    client = signed_in("rex")
    assert client.get(f"/reviews/{review.pk}/").status_code == 404
    made = {"format": "json", "anonymise": "no", "reason": "curious"}
    assert client.post(f"/reviews/{review.pk}/", made).status_code == 404
    assert not AuditEntry.objects.filter(action="review_pack").exists()
    assert AuditEntry.objects.filter(
        action="read_export", actor="rex", object_type="review", detail__refused=True
    ).exists()


def test_it_is_404_for_a_closed_review_and_for_one_that_does_not_exist(review, signed_in, keys):
    do_close_review(review, acting="ada", reason="published")
    client = signed_in("rita")
    assert client.get(f"/reviews/{review.pk}/").status_code == 404
    assert client.get("/reviews/999999/").status_code == 404
