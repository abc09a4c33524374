"""`kinsight link train` and `kinsight link run` on a store."""

import copy

import pytest
from django.utils import timezone

from kinsight.people.comparisons import default_model
from kinsight.people.linking import current_model
from kinsight.people.models import LinkModel
from kinsight.testing import AGENCIES, person, run_kinsight, write_feed

pytestmark = pytest.mark.slow


def feed(tmp_path):
    lines = [*AGENCIES]
    for n in range(40):
        family = ["Smith", "Jones", "Khan", "Walsh", "Brown"][n % 5] + str(n // 5)
        born = f"19{60 + n}-0{1 + n % 9}-1{n % 10}"
        lines.append(person("nhs-east", f"H-{n}", given_name="Alex", family_name=family,
                            birth_date=born))  # fmt: skip
        lines.append(person("csc-lancs", f"C-{n}", given_name="Alex", family_name=family,
                            birth_date=born if n % 4 else ""))  # fmt: skip
    return write_feed(tmp_path / "feed.jsonl", lines)


def test_train_then_run_relinks_the_store_with_the_trained_model(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/store.sqlite3"}
    assert run_kinsight("ingest", str(feed(tmp_path)), env=env).returncode == 0
    trained = run_kinsight("link", "train", "--max-pairs", "1e5", env=env)
    assert trained.returncode == 0, trained.stderr
    assert trained.stdout.startswith("trained on 80 records")
    done = run_kinsight("link", "run", env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("80 records linked into persons")


def test_train_on_an_empty_store_says_so_in_one_line(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/store.sqlite3"}
    done = run_kinsight("link", "train", env=env)
    assert done.returncode == 1
    assert done.stderr.strip() == "kinsight: link train: 0 records are too few to estimate a model"


@pytest.mark.django_db
def test_a_model_trained_before_the_comparisons_changed_gives_way_to_the_default():
    stale = copy.deepcopy(default_model().data)
    stale["comparisons"][0]["comparison_levels"].pop()
    LinkModel.objects.create(trained_at=timezone.now(), records=10, model=stale)
    model, name = current_model()
    assert name.startswith("default") and model.weights == default_model().weights
