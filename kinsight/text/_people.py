"""Who a finding is about.

medspaCy's ConText only knows one FAMILY flag, and in a case note nearly every finding sits
next to "mum", "dad" or "the baby". So the experiencer is resolved here, from the people words
of context.json, in the order a practitioner's sentence usually names them:

* the nearest person named before the finding in its clause ("mum has relapsed"); a person who
  is only the object of a preposition ("attended with the children") gives way to one who is not;
* failing that, the nearest person named just after it ("bruise on Ava's arm");
* "she"/"he" point back to the last person of that kind named in the note;
* a capitalised name is the person it was introduced as ("mum's partner, Dean") and otherwise a
  child's: case notes name children and call adults by their role.

Injuries need more care: the person who says how it happened ("mum says he fell") or who caused
it ("dad grabbed him") is not the one injured.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kinsight.text._rules import IndicatorRules, PeopleRules, TargetPhrase, rules_for

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

_DETERMINERS = frozenset({"the", "a", "an", "his", "her", "their", "my", "our", "your", "both"})
_PREPOSITIONS = frozenset(
    {
        "with",
        "to",
        "for",
        "about",
        "of",
        "at",
        "from",
        "by",
        "towards",
        "toward",
        "on",
        "in",
        "into",
        "around",
        "near",
        "behind",
        "without",
        "against",
        "like",
        "than",
        "after",
        "before",
        "between",
        "regarding",
        "re",
        "via",
        "and",
    }
)
_LOCATIONS = frozenset(
    {"on", "to", "of", "over", "across", "around", "above", "below", "under", "behind", "in"}
)
_POSSESSIVE = frozenset({"'s", "'", "’s"})
_BETWEEN_NAME_AND_VERB = frozenset(
    {"has", "had", "have", "also", "then", "later", "initially", "was", "were", "is", "been"}
)
_PASSIVE = frozenset({"was", "were", "been", "be", "being", "got", "get", "is", "are"})
_PLURAL_WORDS = frozenset(
    {
        "children",
        "siblings",
        "kids",
        "twins",
        "babies",
        "parents",
        "adults",
        "grandparents",
        "carers",
        "relatives",
        "neighbours",
        "friends",
        "the children's",
        "both parents",
        "the parents",
        "the adults",
        "both adults",
        "parents'",
    }
)
_CHILD = "child"
_SIBLINGS = frozenset({"brother", "sister", "brothers", "sisters", "sibling", "siblings"})
_ADULT_PEOPLE = frozenset({"mother", "father", "partner", "other_adult"})


@dataclass
class Cue:
    """Words in the note that name a person."""

    start: int
    end: int
    text: str
    kind: str  # "word", "pronoun", "name" or "subject"
    person: str | None
    gender: str | None = None
    plural: bool = False
    ref: str | None = None
    antecedent: Cue | None = field(default=None, repr=False)


class PeopleReader:
    def __init__(self, nlp: Language, rules: PeopleRules, vocabulary: frozenset[str]) -> None:
        from medspacy.target_matcher import TargetMatcher, TargetRule
        from spacy.lang.en.stop_words import STOP_WORDS

        self.rules = rules
        self._stop = frozenset(STOP_WORDS) | vocabulary | rules.not_names
        self._matcher = TargetMatcher(nlp, name="kinsight_people", result_type=None)
        matcher_rules = []
        for cue in rules.cues:
            meta = {"person": cue.person, "gender": cue.gender}
            matcher_rules.extend(_rules_for(TargetRule, cue.phrase, "PERSON", meta))
        for phrase in rules.not_people:
            matcher_rules.extend(_rules_for(TargetRule, phrase, "PERSON", {"person": None}))
        # One token pattern that never matches: with fixed phrases only, spaCy's Matcher inside
        # medspaCy would warn on every note that it has nothing to do.
        matcher_rules.append(
            TargetRule(
                literal="(none)",
                category="PERSON",
                pattern=[{"ORTH": "\x00"}],
                metadata={"person": None},
            )
        )
        self._matcher.add(matcher_rules)

    def read(
        self,
        doc: Doc,
        subjects: Sequence[Mapping[str, str]],
        boundaries: Sequence[int],
        asides: Sequence[tuple[int, int]] = (),
    ) -> NotePeople:
        cues: list[Cue] = []
        for span in self._matcher(doc):
            meta = span._.target_rule.metadata
            if meta["person"] is None:
                continue
            text = span.text
            cues.append(
                Cue(
                    span.start,
                    span.end,
                    text,
                    "word",
                    meta["person"],
                    meta["gender"],
                    plural=text.lower() in _PLURAL_WORDS or meta["person"] == "family",
                )
            )
        taken = {index for cue in cues for index in range(cue.start, cue.end)}
        subject_names = self._subject_names(subjects)
        for token in doc:
            if token.i in taken:
                continue
            gender = self.rules.pronouns.get(token.lower_)
            if gender is not None:
                cues.append(
                    Cue(
                        token.i,
                        token.i + 1,
                        token.text,
                        "pronoun",
                        None,
                        None if gender == "plural" else gender,
                        plural=gender == "plural",
                    )
                )
                continue
            subject = subject_names.get(token.text)
            if subject is not None:
                ref, person = subject
                cues.append(Cue(token.i, token.i + 1, token.text, "subject", person, ref=ref))
            elif self._is_name(doc, token.i):
                cues.append(Cue(token.i, token.i + 1, token.text, "name", None))
        cues.sort(key=lambda cue: cue.start)
        _bind_names(doc, cues)
        _resolve_pronouns(cues)
        _adult_siblings(cues)
        return NotePeople(doc, cues, list(boundaries), self.rules, subjects, list(asides))

    def _subject_names(self, subjects: Sequence[Mapping[str, str]]) -> dict[str, tuple[str, str]]:
        found: dict[str, tuple[str, str]] = {}
        for subject in subjects:
            name = subject.get("name")
            person = self.rules.roles.get(str(subject.get("role", "")).lower())
            if name and person and subject.get("ref"):
                for part in name.split():
                    found[part] = (subject["ref"], person)
        return found

    def _is_name(self, doc: Doc, index: int) -> bool:
        token = doc[index]
        text = token.text
        if len(text) < 2 or not token.is_alpha or not text[0].isupper() or not text[1:].islower():
            return False
        if token.lower_ in self._stop or token.lower_ in self.rules.pronouns:
            return False
        if index > 0 and doc[index - 1].lower_.rstrip(".") in self.rules.titles:
            return False
        previous = doc[index - 1] if index > 0 else None
        starts = (
            token.is_sent_start
            or previous is None
            or previous.is_space
            or previous.text in {":", "(", "-", '"', "\u201c", ";", "."}
        )
        if starts:
            # A capitalised first word is a name only when a verb-like word follows it:
            # "Jack told", "Lily swallowed", "Chloe says" (but not "Discussed safety").
            following = doc[index + 1] if index + 1 < len(doc) else None
            if following is None:
                return False
            word = following.lower_
            return word in self.rules.name_followers or (
                following.is_lower
                and len(word) > 3
                and word.endswith(("ed", "es"))
                and word not in self._stop
            )
        return True


def _rules_for(rule_class: Any, phrase: Any, category: str, meta: dict[str, Any]) -> list[Any]:
    return rules_for(rule_class, phrase, category, meta)


def _bind_names(doc: Doc, cues: list[Cue]) -> None:
    """Give a name the role it was introduced with: "mum's partner, Dean", "Dean (partner)"."""
    bound: dict[str, tuple[str, str | None]] = {}
    for position, cue in enumerate(cues):
        if cue.kind != "name":
            continue
        if cue.text in bound:
            cue.person, cue.gender = bound[cue.text]
            continue
        introducer = None
        if position > 0:
            before = cues[position - 1]
            gap = [token.lower_ for token in doc[before.end : cue.start]]
            if (
                before.kind == "word"
                and not before.plural
                and all(word in {",", "called", "named", "-", "new", "('"} for word in gap)
                and len(gap) <= 2
            ):
                introducer = before
        if introducer is None and position + 1 < len(cues):
            after = cues[position + 1]
            gap = [token.lower_ for token in doc[cue.end : after.start]]
            if (
                after.kind == "word"
                and not after.plural
                and gap
                and all(word in {",", "(", "-", "the", "is", "was"} for word in gap)
                and len(gap) <= 2
                and gap[0] in {",", "(", "-"}
            ):
                introducer = after
        if introducer is not None and introducer.person is not None:
            cue.person, cue.gender = introducer.person, introducer.gender
        else:
            cue.person = _CHILD
        bound[cue.text] = (cue.person, cue.gender)


def _adult_siblings(cues: list[Cue]) -> None:
    """ "Mum says her brother drinks": the brother or sister of an adult is an adult."""
    for before, cue in zip(cues, cues[1:], strict=False):
        if (
            cue.person == _CHILD
            and cue.text.lower() in _SIBLINGS
            and before.kind == "pronoun"
            and before.end == cue.start
            and before.person in _ADULT_PEOPLE
        ):
            cue.person = "other_adult"


def _resolve_pronouns(cues: list[Cue]) -> None:
    for position, cue in enumerate(cues):
        if cue.kind == "pronoun":
            cue.antecedent = _antecedent(cues, position)
            cue.person = cue.antecedent.person if cue.antecedent is not None else None


def _antecedent(cues: list[Cue], position: int, skip: frozenset[int] = frozenset()) -> Cue | None:
    """The person a pronoun points back to.

    A role word of either sex ("partner", "adult") only wins when no person of the pronoun's
    sex, and no name, was mentioned before it: "mum says her ex-partner pushed her when she
    was pregnant" is about mum.
    """
    pronoun = cues[position]
    fallback = None
    for earlier in reversed(cues[:position]):
        candidate = earlier.antecedent if earlier.kind == "pronoun" else earlier
        if candidate is None or candidate.person is None or candidate.start in skip:
            continue
        if pronoun.plural != candidate.plural:
            continue
        if pronoun.gender and candidate.gender and pronoun.gender != candidate.gender:
            continue
        if pronoun.gender and candidate.gender is None and candidate.kind == "word":
            fallback = fallback or candidate
            continue
        return candidate
    return fallback


@dataclass
class NotePeople:
    """The people of one note, ready to say who each finding is about."""

    doc: Doc
    cues: list[Cue]
    boundaries: list[int]
    rules: PeopleRules
    subjects: Sequence[Mapping[str, str]]
    asides: list[tuple[int, int]] = field(default_factory=list)

    def resolve(
        self, span: Span, target: TargetPhrase, indicator: IndicatorRules
    ) -> tuple[str, str | None, str]:
        default = target.experiencer or indicator.default
        if target.fixed or indicator.resolve == "fixed":
            return default, self._ref(default, None), ""
        low, high = self._clause(span)
        if indicator.resolve == "injury":
            cue = self._injury_cue(span, low, high)
        elif indicator.resolve == "household":
            cue = self._household_cue(span, low, high)
        else:
            cue = self._nearest_cue(span, low, high, indicator)
        if cue is None or cue.person is None:
            return default, self._ref(default, None), ""
        person = cue.person
        if indicator.allowed is not None and person not in indicator.allowed:
            return default, self._ref(default, None), ""
        if indicator.resolve == "household":
            person = "other_adult" if person == "other_adult" else "family"
        shown = cue.text if cue.antecedent is None else f"{cue.text} ({cue.antecedent.text})"
        return person, self._ref(person, cue), f"experiencer {person}: {shown}"

    # -- clause and candidates ------------------------------------------------------------

    def _inside_other_aside(self, cue: Cue, span: Span) -> bool:
        return any(
            start <= cue.start < end and not start <= span.start < end for start, end in self.asides
        )

    def _clause(self, span: Span) -> tuple[int, int]:
        sentence = span.sent
        low, high = sentence.start, sentence.end
        closed = {start for start, end in self.asides if end <= span.start}
        for boundary in self.boundaries:
            if boundary in closed or any(
                start < boundary < end for start, end in self.asides if start in closed
            ):
                continue
            if low <= boundary < span.start:
                low = boundary
            elif span.end <= boundary < high:
                high = boundary
                break
        return low, high

    def _left(self, span: Span, low: int) -> list[Cue]:
        return [
            cue
            for cue in reversed(self.cues)
            if cue.end <= span.start
            and cue.start >= low
            and cue.person is not None
            and not self._inside_other_aside(cue, span)
        ]

    def _right(self, span: Span, high: int, reach: int, pronouns: bool = False) -> list[Cue]:
        found = []
        for cue in self.cues:
            if cue.start < span.end or cue.end > high or cue.start - span.end > reach:
                continue
            between = self.doc[span.end : cue.start]
            if any(token.text in {",", ";", "(", ")"} for token in between):
                break
            if self._inside_other_aside(cue, span):
                continue
            if cue.person is not None or (pronouns and cue.kind == "pronoun"):
                found.append(cue)
        return found

    def _word_before(self, cue: Cue) -> str | None:
        index = cue.start - 1
        while index >= 0 and self.doc[index].lower_ in _DETERMINERS:
            index -= 1
        return self.doc[index].lower_ if index >= 0 else None

    def _possessive(self, cue: Cue) -> bool:
        return cue.end < len(self.doc) and self.doc[cue.end].lower_ in _POSSESSIVE

    def _prepositional(self, cue: Cue, span: Span) -> bool:
        """A person only mentioned as the object of a preposition ("with the children")."""
        if self._possessive(cue) or cue.end == span.start:
            return False
        return self._word_before(cue) in _PREPOSITIONS

    def _reports(self, cue: Cue) -> bool:
        """The person says or sees something: "mum says he fell", "nursery noticed"."""
        for token in self.doc[cue.end : cue.end + 3]:
            if token.lower_ in self.rules.reporting_verbs:
                return True
            if token.lower_ not in _BETWEEN_NAME_AND_VERB:
                return False
        return False

    def _agent(self, cue: Cue) -> bool:
        return self._word_before(cue) in self.rules.agent_markers

    # -- the three ways of choosing -------------------------------------------------------

    def _nearest_cue(
        self, span: Span, low: int, high: int, indicator: IndicatorRules
    ) -> Cue | None:
        allowed = indicator.allowed

        def fits(cue: Cue) -> bool:
            return allowed is None or cue.person in allowed

        left = [cue for cue in self._left(span, low) if fits(cue)]
        direct = [cue for cue in left if not self._prepositional(cue, span)]
        for group in (direct, left):
            if indicator.prefer_adults:
                group = sorted(group, key=lambda cue: cue.person == "child")
            if group:
                return group[0]
        if indicator.look_after:
            for cue in self._right(span, high, reach=6):
                # "disclosed to her teacher", "attended with mum": not the one it is about.
                if fits(cue) and self._word_before(cue) not in {"to", "with", "towards"}:
                    return cue
        # Nobody in the clause: the subject of the sentence, its first person named.
        sentence = span.sent
        earlier = [
            cue
            for cue in self._left(span, sentence.start)
            if fits(cue) and not self._prepositional(cue, span)
        ]
        if earlier:
            return earlier[-1]
        if indicator.carry:
            return self._carried(
                span, fits, adults_only=indicator.default != "child" or indicator.if_adult == "drop"
            )
        return None

    def _carried(self, span: Span, fits: Any, adults_only: bool) -> Cue | None:
        """The subject of the last sentence that named someone: "Mum was seen. Low in mood."
        A child carried forward is not taken for an adult's finding."""
        sentence_start = span.sent.start
        previous = [cue for cue in self.cues if cue.end <= sentence_start and cue.person]
        if not previous:
            return None
        last_sentence = self.doc[previous[-1].start].sent
        in_sentence = [cue for cue in previous if cue.start >= last_sentence.start]
        subjects = [cue for cue in in_sentence if not self._prepositional(cue, span)] or in_sentence
        cue = subjects[0]
        if adults_only and cue.person == "child":
            return None
        return cue if fits(cue) else None

    def _household_cue(self, span: Span, low: int, high: int) -> Cue | None:
        # Children are usually there as witnesses ("in front of the children"): they do not
        # make abuse or a house anyone else's.
        # Nor do "her" and "his", which here mostly say whose ("towards her sister").
        named = [
            cue
            for cue in [*self._left(span, low), *self._right(span, high, reach=8)]
            if cue.person != "child"
            and cue.kind != "pronoun"
            and not self._reports(cue)
            and not self._agent(cue)
        ]
        if named and all(cue.person == "other_adult" for cue in named):
            return named[0]
        return None

    def _injury_cue(self, span: Span, low: int, high: int) -> Cue | None:
        # "bruise on Ava's arm", "burn to her hand": the place of the injury names its bearer.
        if span.end < len(self.doc) and self.doc[span.end].lower_ in _LOCATIONS:
            for cue in self._right(span, high, reach=6, pronouns=True):
                return self._bearer(cue)
        # "mum burnt him": the one named before an active verb of harm did it.
        before = self.doc[span.start - 1].lower_ if span.start else ""
        if span[0].lower_ in self.rules.harm_verbs and before not in _PASSIVE:
            for cue in self._right(span, high, reach=3, pronouns=True):
                return self._bearer(cue)
            return None
        fallback = None
        for cue in self._left(span, low):
            between = {token.lower_ for token in self.doc[cue.end : span.start]}
            if between & self.rules.harm_verbs:
                break
            if self._reports(cue) or self._agent(cue):
                continue
            if self._prepositional(cue, span):
                fallback = fallback or cue
                continue
            return self._bearer(cue)
        if fallback is not None:
            return self._bearer(fallback)
        for cue in self._right(span, high, reach=6, pronouns=True):
            # Only a person the injury is on or of: "... noted on the baby", not "than mum's".
            if self._reports(cue) or self._word_before(cue) not in _LOCATIONS:
                continue
            return self._bearer(cue)
        return None

    def _bearer(self, cue: Cue) -> Cue:
        """For "his" or "her" on an injury, never the one who caused it ("hit by his father")."""
        if cue.kind != "pronoun":
            return cue
        # Nor the one telling how it happened: in "mum says she banged her head", she is the
        # child, not mum (but in "mum says ...; she has bruising", she is mum).
        skip = frozenset(
            other.start
            for other in self.cues
            if self._agent(other) or (self._reports(other) and 0 < cue.start - other.end <= 3)
        )
        antecedent = _antecedent(self.cues, self.cues.index(cue), skip)
        return Cue(
            cue.start,
            cue.end,
            cue.text,
            cue.kind,
            antecedent.person if antecedent else None,
            cue.gender,
            cue.plural,
            antecedent=antecedent,
        )

    def _ref(self, person: str, cue: Cue | None) -> str | None:
        """The event subject this person is, when the text and the subjects allow one answer."""
        if cue is not None:
            source = cue.antecedent or cue
            if source.ref is not None:
                return source.ref
        matching = [
            subject.get("ref")
            for subject in self.subjects
            if self.rules.roles.get(str(subject.get("role", "")).lower()) == person
            and subject.get("ref")
        ]
        return matching[0] if len(matching) == 1 else None
