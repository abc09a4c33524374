import re

from kinsight.lib.textscan import may_contain
from kinsight.rules.catalogue.pre_birth_referral_missing import (
    _CARE_LEAVER_WORDS,
    _REMOVED_WORDS,
    CARE_LEAVER,
    REMOVED,
)
from kinsight.rules.catalogue.serious_incident_notification_overdue import (
    _SERIOUS_WORDS,
    SERIOUS,
)
from kinsight.rules.gaps import _ORDER, _ORDER_WORDS

TEXTS = [
    "Mother is a CARE-LEAVER and left care at 18.",
    "Her son was REMOVED and later adopted; the baby was taken into care.",
    "Police served a DVPN; a non-molestation order and an SHPO are in place.",
    "Child Arrangements Order restricting contact. Domestic abuse protection notice served.",
    "Admitted to PICU in a critical condition, life-threatening injuries, seriously harmed.",
    "Seen at home. Small bruise to the left cheek, no explanation given.",
    # Characters a case-insensitive search takes for ASCII letters: the Kelvin sign, the long
    # s and the dotless i.
    "\u212aelvin: ſhpo issued; the child was taken ınto care; a non-molestation order ıs made.",
]


def test_a_word_list_never_rules_out_text_its_search_would_find():
    for pattern, words in [
        (CARE_LEAVER, _CARE_LEAVER_WORDS),
        (REMOVED, _REMOVED_WORDS),
        (_ORDER, _ORDER_WORDS),
        (SERIOUS, _SERIOUS_WORDS),
    ]:
        for text in TEXTS:
            if pattern.search(text):
                assert may_contain(text, words), (pattern.pattern, text)


def test_text_without_any_of_the_words_is_ruled_out():
    assert not may_contain("Seen at home, all well.", ("order", "dvp"))
    assert may_contain("A ſhpo was made.", ("shpo",))
    assert may_contain("Taken ınto care.", ("taken into care",))
    assert re.search("taken into care", "Taken ınto care.", re.IGNORECASE)
