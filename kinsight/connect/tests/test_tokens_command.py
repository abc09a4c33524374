"""`kinsight tokens add AGENCY`, `tokens list` and `tokens revoke PREFIX`."""

import pytest

from kinsight.audit.models import AuditEntry
from kinsight.cli import main
from kinsight.connect.models import ApiToken, hash_token

pytestmark = pytest.mark.django_db


def test_add_prints_the_token_once_and_keeps_only_its_hash(capsys):
    assert main(["tokens", "add", "csc-lancs", "--label", "Liquidlogic nightly"]) == 0
    out, err = capsys.readouterr()
    secret = out.strip()
    assert secret.startswith("ks_") and len(secret) > 40
    assert "shown once" in err
    token = ApiToken.objects.get()
    assert token.agency_code == "csc-lancs"
    assert token.token_hash == hash_token(secret)
    assert secret not in str(list(ApiToken.objects.values()))
    assert ApiToken.find(secret) == token
    entry = AuditEntry.objects.get(action="add_api_token")
    assert secret not in str(entry.detail)


def test_add_refuses_a_code_that_is_not_an_agency_code(capsys):
    assert main(["tokens", "add", "Not An Agency"]) == 2
    assert "not an agency code" in capsys.readouterr().err


def test_list_shows_prefixes_and_revoke_ends_a_token(capsys):
    main(["tokens", "add", "csc-lancs"])
    secret = capsys.readouterr().out.strip()
    main(["tokens", "list"])
    assert secret[:10] in capsys.readouterr().out
    assert main(["tokens", "revoke", secret[:10]]) == 0
    assert ApiToken.find(secret) is None
    assert main(["tokens", "revoke", secret[:10]]) == 1
    assert "no live token" in capsys.readouterr().err
