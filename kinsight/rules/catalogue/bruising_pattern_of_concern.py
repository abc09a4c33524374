from __future__ import annotations

import re

from kinsight.rules.context import ChildContext, Fact
from kinsight.rules.injuries import (
    Injury,
    InjuryRule,
    under_months,
)

# The regions of TEN-4-FACESp (Pierce et al. 2021), as practitioners write them.
REGIONS = {
    "torso": r"\b(?:chest|abdomen|abdominal|tummy|stomach|belly|trunk|torso|flanks?|ribs?|"
    r"rib ?cage|buttocks?|bottom|genitals?|genital area|groin|spine|shoulder blades?|"
    r"(?:on|to|across|over|his|her|their|the|lower|upper|mid|middle) back(?! of\b))\b",
    "ear": r"\b(?:ears?|ear ?lobes?|pinnae?)\b",
    "neck": r"\bneck\b",
    "frenulum": r"\b(?:frenulum|frenum)\b",
    "angle of the jaw": r"\bjaw\b",
    "cheek": r"\bcheeks?\b",
    "eyelid": r"\b(?:eye ?lids?|around (?:the|his|her|both|their) eyes?|black eyes?|"
    r"periorbital)\b",
    "white of the eye": r"\b(?:subconjunctival|whites? of (?:the|his|her|both|their) eyes?|"
    r"sclerae?)\b",
}
PATTERNED = re.compile(
    r"\b(?:patterned|pattern of|finger ?(?:tip|mark|print)s?|fingertip|grip marks?|grab marks?|"
    r"hand ?prints?|slap marks?|loop(?:ed|-shaped)?|belt|buckle|linear|tram ?lines?|imprint|"
    r"in the shape of)\b",
    re.IGNORECASE,
)
BRUISING = ("bruise", "other_injury")
_SENTENCE = re.compile(r"(?<=[.;!?])\s+|\n")


class BruisingPatternOfConcern(InjuryRule):
    """Bruising of the kind the TEN-4-FACESp rule picks out in a young child.

    In a child under 4: bruising on the torso, ears or neck; on the frenulum, the angle of the
    jaw, the cheeks, the eyelids or the whites of the eyes; or patterned bruising (a hand,
    fingertips, a loop or a belt). In a baby under 5 months: any bruise. Read from a coded
    `injury` (its `body_site`) or from the sentence of a note that names the bruise. Mentions on
    the same day are one alert.
    """

    id = "bruising_pattern_of_concern"
    title = "Bruising in a pattern of concern (TEN-4-FACESp)"
    severity = "urgent"
    guidance = (
        "Pierce et al., 'Validation of a clinical decision rule to predict abuse in young "
        "children based on bruising characteristics', JAMA Network Open 2021 (TEN-4-FACESp); "
        "NICE CG89 1.1.2"
    )
    consider = (
        "Consider a paediatric opinion the same day on the bruising and the explanation given, "
        "and a multi-agency discussion."
    )
    defaults = {"region_under_months": 48, "any_bruise_under_months": 5}

    def why(self, child: ChildContext, injury: Injury) -> str | None:
        moment = injury.fact.occurred_at
        if not (injury.kinds and self._bruising(injury)):
            return None
        if under_months(child, moment, int(self.setting("any_bruise_under_months"))):
            return f"any bruise in a baby under {self.setting('any_bruise_under_months')} months"
        if not under_months(child, moment, int(self.setting("region_under_months"))):
            return None
        text = _where(injury)
        regions = [name for name, pattern in REGIONS.items() if re.search(pattern, text, re.I)]
        if regions:
            return f"bruising on the {', '.join(regions)} of a child under 4"
        if PATTERNED.search(text):
            return "patterned bruising in a child under 4"
        return None

    @staticmethod
    def _bruising(injury: Injury) -> bool:
        if "bruise" in injury.kinds:
            return True
        # A torn frenulum is read as another injury; TEN-4-FACESp counts it with bruising.
        return "other_injury" in injury.kinds and bool(
            re.search(REGIONS["frenulum"], _where(injury), re.I)
        )


def _where(injury: Injury) -> str:
    """The words that say where a bruise is: the coded site, and the sentences of the note that
    name a bruise (all of them for a coded bruise with no site and no bruise read in the note)."""
    fact: Fact = injury.fact
    site = str(fact.details.get("body_site") or "") if fact.type == "injury" else ""
    sentences = [s for s in _SENTENCE.split(fact.summary) if s.strip()]
    words = {f.text.lower() for f in injury.findings if f.indicator in BRUISING}
    named = [s for s in sentences if any(w in s.lower() for w in words)]
    if fact.type == "injury" and not site and not named:
        named = sentences
    return " ".join([site, *named])
