"""`kinsight audit verify`: the hash chain names the first entry that was altered."""

import pytest

from kinsight.audit.models import AuditEntry, record_audit
from kinsight.cli import main

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain():
    return [
        record_audit(actor="sam", action="view_person", object_type="person", object_id=str(n))
        for n in range(5)
    ]


def test_an_untouched_chain_verifies(chain, capsys):
    assert main(["audit", "verify"]) == 0
    assert "intact: 5 entries" in capsys.readouterr().out


def test_an_altered_entry_is_named(chain, capsys):
    AuditEntry.objects.filter(pk=chain[2].pk).update(actor="mallory")
    assert main(["audit", "verify"]) == 1
    assert f"audit entry {chain[2].pk} " in capsys.readouterr().err


def test_a_deleted_entry_breaks_the_chain_at_the_next_one(chain, capsys):
    AuditEntry.objects.filter(pk=chain[2].pk).delete()
    assert main(["audit", "verify"]) == 1
    assert f"audit entry {chain[3].pk} " in capsys.readouterr().err


def test_an_inserted_entry_is_named(chain, capsys):
    forged = AuditEntry.objects.create(
        at=chain[4].at, actor="mallory", action="view_person", object_type="person",
        object_id="9", prev_hash=chain[4].hash, hash="0" * 64,
    )  # fmt: skip
    assert main(["audit", "verify"]) == 1
    assert f"audit entry {forged.pk} " in capsys.readouterr().err
