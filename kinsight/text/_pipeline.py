"""Build the medspaCy pipeline and turn a processed note into findings.

The pipeline is a blank English spaCy pipeline with medspaCy's tokenizer, spaCy's rule
``sentencizer`` (PyRuSH is about five times slower and gains nothing here), a small repair step
for case-note punctuation, medspaCy's TargetMatcher and ConText. Nothing is downloaded: every
rule comes from the JSON files beside this module.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kinsight.text._finding import Finding
from kinsight.text._people import PeopleReader
from kinsight.text._rules import (
    ADULTS,
    PrecheckPlan,
    Rules,
    TargetPhrase,
    load_rules,
    precheck_plan,
    rules_for,
)

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

INJURIES = frozenset(
    {"bruise", "fracture", "burn", "bite", "head_injury", "injection_mark", "other_injury"}
)
_REPAIR = "kinsight_sentence_repair"
_RELATIVE = frozenset({"who", "which", "where", "whose", "whom"})
_EXCLUDE = "kinsight_exclusions"
# Each Reader's exclusion step, found by the pipeline component through its config key.
_STEPS: dict[int, Callable[[Doc], Doc]] = {}
# Titles after which a full stop does not end the sentence ("Dr. Khan").
_ABBREVIATIONS = frozenset({"dr", "mr", "mrs", "ms", "st", "approx", "e.g", "i.e", "etc", "no"})


def _silence_pyrush() -> None:
    # Importing medspaCy imports PyRuSH, which logs every token through loguru when it runs.
    # We never run it, but a stray handler would flood stderr; disable just its namespace.
    try:
        from loguru import logger
    except ImportError:
        return
    logger.disable("PyRuSH")


def _register_components() -> None:
    from spacy.language import Language

    if _REPAIR in Language.factories:
        return

    @Language.factory(_EXCLUDE, default_config={"key": 0})
    def make_exclusions(nlp: Any, name: str, key: int) -> Any:
        # Annotated with Any on purpose: spaCy validates factory arguments from their types,
        # and Language is only imported for type checking here.
        return _STEPS[key]

    @Language.component(_REPAIR)
    def repair_sentences(doc: Doc) -> Doc:
        """Fix the sentencizer's guesses for case-note habits.

        "?fracture" is a query, not the end of a question; a line break ends a sentence even
        without a full stop; "Dr. Khan" does not end at the full stop.
        """
        for token in doc[1:]:
            previous = doc[token.i - 1]
            if "\n" in previous.text or previous.text.startswith("\u2022"):
                token.is_sent_start = True
            elif previous.text == "?" and not previous.whitespace_:
                token.is_sent_start = False
            elif (
                previous.text == "."
                and token.i >= 2
                and (doc[token.i - 2].lower_ in _ABBREVIATIONS)
            ):
                token.is_sent_start = False
            elif previous.lower_.rstrip(".") in _ABBREVIATIONS and previous.text.endswith("."):
                token.is_sent_start = False
        return doc


@dataclass
class _Match:
    """A target found in a note, before its context is resolved."""

    span: Span
    target: TargetPhrase


class Reader:
    """One loaded pipeline: call :meth:`read` or :meth:`read_many`."""

    def __init__(self) -> None:
        _silence_pyrush()
        import spacy
        from medspacy.context import ConTextRule
        from medspacy.custom_tokenizer import create_medspacy_tokenizer
        from medspacy.target_matcher import TargetMatcher, TargetRule

        _register_components()
        nlp = spacy.blank("en")
        nlp.tokenizer = create_medspacy_tokenizer(nlp)
        tokenizer = nlp.tokenizer

        def tokenize(text: str) -> list[str]:
            return [token.lower_ for token in tokenizer(text)]

        self.rules: Rules = load_rules(tokenize)
        nlp.add_pipe("sentencizer")
        nlp.add_pipe(_REPAIR)
        matcher: Any = nlp.add_pipe("medspacy_target_matcher")
        matcher.add(
            [rule for target in self.rules.targets for rule in _target_rules(TargetRule, target)]
        )
        self._exclusions = TargetMatcher(
            nlp, name="kinsight_exclusions", result_type=None, prune=False
        )
        self._exclusions.add(
            [rule for target in self.rules.exclusions for rule in _target_rules(TargetRule, target)]
        )
        # Phrases under "not" remove a target before ConText runs, so a target that is not one
        # ("pregnancy test") cannot swallow a modifier ("was negative") that belongs elsewhere.
        _STEPS[id(self)] = self._exclude
        nlp.add_pipe(_EXCLUDE, config={"key": id(self)})
        context: Any = nlp.add_pipe(
            "medspacy_context",
            config={
                "rules": None,
                "span_attrs": None,
                # A negation word inside a target ("was not brought", "no food") belongs to it.
                "prune_on_target_overlap": True,
            },
        )
        context.add(
            [
                rule
                for group in self.rules.modifiers
                for phrase in group.phrases
                for rule in rules_for(
                    ConTextRule,
                    phrase,
                    group.category,
                    {"terminated_by": group.terminated_by},
                    direction=group.direction,
                    max_scope=group.max_scope,
                )
            ]
        )
        self.nlp: Language = nlp
        self.people = PeopleReader(nlp, self.rules.people, self.rules.vocabulary)
        from spacy.lang.en.stop_words import STOP_WORDS

        self.precheck = Precheck(
            precheck_plan(self.rules, tokenize, frozenset(STOP_WORDS)), tokenizer
        )

    def may_hold_finding(self, text: str) -> bool:
        return self.precheck(text)

    def read(self, text: str, subjects: Sequence[Mapping[str, str]] = ()) -> list[Finding]:
        if not self.may_hold_finding(text):
            return []
        return self.findings(self.nlp(text), subjects)

    def read_many(
        self,
        items: Iterable[tuple[str, Sequence[Mapping[str, str]]]],
        batch_size: int = 256,
    ) -> Iterator[list[Finding]]:
        batch: list[tuple[str, Sequence[Mapping[str, str]]]] = []
        for item in items:
            batch.append(item)
            if len(batch) >= batch_size:
                yield from self._read_batch(batch, batch_size)
                batch = []
        if batch:
            yield from self._read_batch(batch, batch_size)

    def _read_batch(
        self, batch: list[tuple[str, Sequence[Mapping[str, str]]]], batch_size: int
    ) -> Iterator[list[Finding]]:
        wanted = [index for index, (text, _) in enumerate(batch) if self.may_hold_finding(text)]
        docs = self.nlp.pipe((batch[index][0] for index in wanted), batch_size=batch_size)
        results: dict[int, list[Finding]] = {
            index: self.findings(doc, batch[index][1])
            for index, doc in zip(wanted, docs, strict=True)
        }
        for index in range(len(batch)):
            yield results.get(index, [])

    def findings(self, doc: Doc, subjects: Sequence[Mapping[str, str]]) -> list[Finding]:
        matches = self._matches(doc)
        if not matches:
            return []
        modifiers = [
            modifier for modifier in doc._.context_graph.modifiers if modifier.category != "PSEUDO"
        ]
        stops = sorted(
            modifier.modifier_span[0] for modifier in modifiers if modifier.direction == "TERMINATE"
        )
        asides = _asides(doc, stops)
        # A new clause ("and mum says") also bounds the search for who a finding is about.
        clauses = sorted(stops + [m.modifier_span[0] for m in modifiers if m.category == "CLAUSE"])
        people = self.people.read(doc, subjects, clauses, asides)
        drafts = []
        for match in matches:
            applied = [
                m for m in modifiers if self._reaches(m, match.span, stops, asides, modifiers)
            ]
            draft = self._draft(doc, match, applied, people)
            if draft is not None:
                drafts.append(draft)
        _spread_allegations(drafts, stops)
        drafts = _drop_generic(drafts)
        drafts = _merge(doc, drafts, stops)
        return [draft.finding(doc) for draft in drafts]

    def _exclude(self, doc: Doc) -> Doc:
        if not doc.ents:
            return doc
        # Read each span's rule before running another matcher: spaCy keeps span extension
        # values by character offsets, so a later span over the same words would overwrite it.
        found = [(span, span._.target_rule) for span in doc.ents]
        # The label, not the rule: two exclusions over the same words share one extension slot.
        excluded = [(span.start, span.end, span.label_) for span in self._exclusions(doc)]
        kept = []
        for span, rule in found:
            span._.target_rule = rule
            indicator = rule.metadata["target"].indicator
            if not any(
                other == indicator and start < span.end and span.start < end
                for start, end, other in excluded
            ):
                kept.append(span)
        doc.ents = kept
        return doc

    def _matches(self, doc: Doc) -> list[_Match]:
        return [_Match(span, span._.target_rule.metadata["target"]) for span in doc.ents]

    def _reaches(
        self,
        modifier: Any,
        span: Span,
        stops: list[int],
        asides: list[tuple[int, int]],
        modifiers: list[Any],
    ) -> bool:
        """Whether a ConText modifier applies to a target.

        ConText's own scoping is not used: medspaCy 1.3.1 misses a terminator whose scope holds
        a modifier's whole scope (``tuple_overlaps`` does not see containment), and it lets two
        modifiers of one category cut each other short ("as a baby in 2019"). The rule here is
        plain: same sentence, right direction, within max_scope words, and no terminator (nor a
        category the rule names in terminated_by) in between.
        """
        if modifier.category not in self.rules.categories:
            return False
        start, end = modifier.modifier_span
        if start <= span.start and span.end <= end and (start, end) != (span.start, span.end):
            # "when she was pregnant with her first child" is about the pregnancy inside it.
            return True
        if start < span.end and span.start < end:
            return False
        sentence = span.sent
        if not sentence.start <= start < sentence.end:
            return False
        direction = modifier.direction
        reach = modifier.rule.max_scope or len(sentence)
        if end <= span.start:
            if direction not in ("FORWARD", "BIDIRECTIONAL") or span.start - end >= reach:
                return False
            gap = (end, span.start)
        else:
            if direction not in ("BACKWARD", "BIDIRECTIONAL") or start - span.end >= reach:
                return False
            gap = (span.end, start)
        if _aside_of(start, asides) != _aside_of(span.start, asides):
            return False
        if any(gap[0] <= stop < gap[1] for stop in _stops_across(stops, asides, gap)):
            return False
        blockers = modifier.rule.metadata["terminated_by"]
        return not any(
            other.category in blockers and gap[0] <= other.modifier_span[0] < gap[1]
            for other in modifiers
        )

    def _draft(self, doc: Doc, match: _Match, modifiers: list[Any], people: Any) -> _Draft | None:
        target = match.target
        flags = set(target.flags)
        evidence: list[str] = [f"{flag}: phrase {target.phrase.text!r}" for flag in target.flags]
        for modifier in sorted(modifiers, key=lambda item: item.modifier_span):
            flag = self.rules.categories[modifier.category]
            flags.add(flag)
            start, end = modifier.modifier_span
            label = flag if modifier.category != "DENIED" else "uncertain (denied)"
            evidence.append(f"{label}: {doc[start:end].text}")
        if target.needs_context and not flags & {"negated", "uncertain", "hypothetical"}:
            return None
        indicator_rules = self.rules.indicators[target.indicator]
        experiencer, subject_ref, why = people.resolve(match.span, target, indicator_rules)
        if why:
            evidence.append(why)
        indicator = target.indicator
        if indicator_rules.never_historical and "historical" in flags:
            flags.discard("historical")
            evidence = [item for item in evidence if not item.startswith("historical")]
        if experiencer in ADULTS | {"family"} and indicator_rules.if_adult:
            if indicator_rules.if_adult == "drop":
                return None
            evidence.append(f"indicator: {indicator} about an adult is {indicator_rules.if_adult}")
            indicator = indicator_rules.if_adult
        if experiencer == "child" and indicator_rules.if_child:
            if indicator_rules.if_child == "drop":
                return None
            indicator = indicator_rules.if_child
        return _Draft(match, indicator, flags, evidence, experiencer, subject_ref, bool(why))


@dataclass
class _Draft:
    """A finding being built: still knows its tokens, so neighbours can be merged."""

    match: _Match
    indicator: str
    flags: set[str]
    evidence: list[str]
    experiencer: str
    subject_ref: str | None
    named: bool  # the experiencer came from words in the text, not from a default
    start: int = -1
    end: int = -1

    def __post_init__(self) -> None:
        self.start, self.end = self.match.span.start, self.match.span.end

    def finding(self, doc: Doc) -> Finding:
        span = doc[self.start : self.end]
        return Finding(
            indicator=self.indicator,
            text=span.text,
            start=span.start_char,
            end=span.end_char,
            negated="negated" in self.flags,
            hypothetical="hypothetical" in self.flags,
            historical="historical" in self.flags,
            uncertain="uncertain" in self.flags,
            experiencer=self.experiencer,
            subject_ref=self.subject_ref,
            modifiers=tuple(dict.fromkeys(self.evidence)),
        )


def _asides(doc: Doc, stops: list[int]) -> list[tuple[int, int]]:
    """Relative clauses and brackets set inside a sentence: ", who she does not trust," and
    "(mum's partner)". What is said inside one does not reach out of it, and the clause around
    it carries on past it."""
    found: list[tuple[int, int]] = []
    for stop in stops:
        token = doc[stop]
        sentence_end = token.sent.end
        if token.text == "(":
            closer = next((t.i for t in doc[stop + 1 : sentence_end] if t.text == ")"), None)
        elif token.text == "," and stop + 1 < len(doc) and doc[stop + 1].lower_ in _RELATIVE:
            closer = next((t.i for t in doc[stop + 1 : sentence_end] if t.text == ","), None)
        else:
            continue
        if closer is not None:
            found.append((stop, closer + 1))
    return found


def _aside_of(index: int, asides: list[tuple[int, int]]) -> tuple[int, int] | None:
    return next(((start, end) for start, end in asides if start <= index < end), None)


def _stops_across(
    stops: list[int], asides: list[tuple[int, int]], gap: tuple[int, int]
) -> list[int]:
    """The stops between two words, leaving out an aside that opens and closes between them."""
    closed = {start for start, end in asides if gap[0] <= start and end <= gap[1]}
    return [
        stop
        for stop in stops
        if stop not in closed
        and not any(start < stop < end for start, end in asides if start in closed)
    ]


def _spread_allegations(drafts: list[_Draft], stops: list[int]) -> None:
    """What follows "alleges that" in its sentence is alleged, so uncertain."""
    for source in drafts:
        if not source.match.target.makes_uncertain:
            continue
        sentence = source.match.span.sent
        for other in drafts:
            if other is source or not source.end <= other.start < sentence.end:
                continue
            if any(source.end <= stop < other.start for stop in stops):
                continue
            other.flags.add("uncertain")
            other.evidence.append(f"uncertain: {source.match.span.text}")


def _merge(doc: Doc, drafts: list[_Draft], stops: list[int]) -> list[_Draft]:
    """One finding per run of words: "charged with possession with intent", "new partner
    stays at weekends" and "cannabis and methadone use" each say one thing once."""
    drafts.sort(key=lambda draft: draft.start)
    merged: list[_Draft] = []
    for draft in drafts:
        last = merged[-1] if merged else None
        if (
            last is not None
            and last.indicator == draft.indicator
            and draft.start - last.end <= 3
            and last.match.span.sent.start == draft.match.span.sent.start
            and not any(token.text in {",", ";", ":", "."} for token in doc[last.end : draft.start])
            and not any(last.end <= stop < draft.start for stop in stops)
        ):
            last.end = max(last.end, draft.end)
            last.flags |= draft.flags
            last.evidence.extend(draft.evidence)
            if not last.named and draft.named:
                last.experiencer, last.subject_ref, last.named = (
                    draft.experiencer,
                    draft.subject_ref,
                    True,
                )
            continue
        merged.append(draft)
    return merged


def _target_rules(rule_class: Any, target: TargetPhrase) -> list[Any]:
    return rules_for(rule_class, target.phrase, target.indicator, {"target": target})


def _drop_generic(drafts: list[_Draft]) -> list[_Draft]:
    """Drop "the injury" when the note names the injury: it refers back to it.

    Not when the named injury is absent ("fracture ruled out; soft tissue injury") or listed
    beside it ("no marks or injuries").
    """
    specific = [
        draft
        for draft in drafts
        if draft.indicator in INJURIES
        and not draft.match.target.generic
        and "negated" not in draft.flags
    ]

    def refers_back(draft: _Draft) -> bool:
        return any(other.start - draft.end > 2 or draft.start - other.end > 2 for other in specific)

    return [
        draft
        for draft in drafts
        if not (draft.match.target.generic and "negated" not in draft.flags and refers_back(draft))
    ]


def _mid_word(keys: Iterable[str], tokenizer: Any) -> tuple[frozenset[str], frozenset[str]]:
    """Keys a token can start, or end, with in the middle of a written word.

    The pre-check looks for keys as whole words, which is what makes short keys like "low"
    selective. That is only sound where no token starts or ends inside a written word: the
    pieces of a tokenizer exception ("cannot" -> "can", "not"; "don't" -> "do", "n't") and a
    unit split off a number ("10kg"). Those keys lose the word boundary on that side.
    """
    # Pieces of an exception that meet another piece inside a written word: "can"|"not" in
    # "cannot" do, "let"|"'s" in "let's" do not (the apostrophe is a word boundary).
    after_join: set[str] = set()
    before_join: set[str] = set()
    for split in getattr(tokenizer, "rules", {}).values():
        parts = [str(piece.get(65, "")).lower() for piece in split]
        for left, right in zip(parts, parts[1:], strict=False):
            if left and right and (left[-1].isalnum() and right[0].isalnum()):
                before_join.add(left)
                after_join.add(right)
    starts_inside, ends_inside = set(), set()
    for key in keys:
        stem = key.rstrip("*")
        if any(part.startswith(stem) for part in after_join):
            starts_inside.add(key)
        if stem in before_join:
            ends_inside.add(key)
        for before in ("1", "10", "a", "x"):
            tokens = [token.lower_ for token in tokenizer(before + stem)]
            if len(tokens) > 1 and tokens[-1].startswith(stem):
                starts_inside.add(key)
        for after in ("s", "kg", "1", "x"):
            tokens = [token.lower_ for token in tokenizer(stem + after)]
            if len(tokens) > 1 and tokens[0] == stem:
                ends_inside.add(key)
    return frozenset(starts_inside), frozenset(ends_inside)


class Precheck:
    """The cheap test run before the pipeline: can this note hold a finding at all?

    One regex looks for the words that are enough on their own, as whole words where that is
    sound (see :func:`_mid_word`). A second finds anchor words; at each place one occurs, every
    anchor spelled there has its other words checked ("attend" and "school" for "did not attend
    school"). Checking an anchor that is not quite there only makes the test more generous, so
    it can let a note through for nothing but never turn one away that holds a finding.
    """

    def __init__(self, plan: PrecheckPlan, tokenizer: Any) -> None:
        self.plan = plan
        inside = _mid_word(set(plan.words) | set(plan.groups), tokenizer)
        self.enough = _compile_precheck(plan.words, inside)
        self.anchors = re.compile(f"(?=(?:{_compile_precheck(plan.groups, inside).pattern}))")
        self._needs: dict[str, list[Callable[[str], bool]]] = {}
        for anchor, requirements in plan.groups.items():
            checks = self._needs.setdefault(anchor.rstrip("*"), [])
            phrases = [tokens for kind, tokens in requirements if kind == "phrase"]
            if phrases:
                # The phrase's tokens in a row, with at most whitespace between them: a
                # PhraseMatcher match leaves exactly that in the text.
                pattern = re.compile(
                    "|".join(
                        r"\s*".join(re.escape(token) for token in tokens) for tokens in phrases
                    )
                )
                checks.append(_found_by(pattern))
            for kind, slots in requirements:
                if kind == "words":
                    checks.append(_all_present(slots))
        self._by_first: dict[str, list[str]] = {}
        for stem in self._needs:
            self._by_first.setdefault(stem[0], []).append(stem)

    def __call__(self, text: str) -> bool:
        lowered = text.lower()
        if self.enough.search(lowered):
            return True
        for match in self.anchors.finditer(lowered):
            place = match.start()
            for stem in self._by_first.get(lowered[place], ()):
                if lowered.startswith(stem, place) and any(
                    check(lowered) for check in self._needs[stem]
                ):
                    return True
        return False


def _found_by(pattern: re.Pattern[str]) -> Callable[[str], bool]:
    def check(lowered: str) -> bool:
        return pattern.search(lowered) is not None

    return check


def _all_present(slots: tuple[tuple[str, ...], ...]) -> Callable[[str], bool]:
    parts = [tuple(word.rstrip("*") for word in slot) for slot in slots]

    def check(lowered: str) -> bool:
        return all(any(part in lowered for part in slot) for slot in parts)

    return check


def _compile_precheck(
    keys: Iterable[str], inside: tuple[frozenset[str], frozenset[str]]
) -> re.Pattern[str]:
    """One regex of all keys. Keys that share a boundary rule are built into one trie, so a
    note is scanned once, not once per key."""
    starts_inside, ends_inside = inside
    groups: dict[tuple[bool, bool], list[str]] = {}
    for key in keys:
        stem = key.rstrip("*")
        left = key not in starts_inside
        right = not key.endswith("*") and key not in ends_inside
        groups.setdefault((left, right), []).append(stem)
    parts = []
    for (left, right), stems in sorted(groups.items()):
        body = _trie(stems)
        parts.append(("\\b" if left else "") + f"(?:{body})" + ("\\b" if right else ""))
    return re.compile("|".join(parts) or r"(?!)")


def _trie(keys: Iterable[str]) -> str:
    trie: dict[str, Any] = {}
    for key in keys:
        node = trie
        for char in key:
            node = node.setdefault(char, {})
        node[""] = {}

    def render(node: dict[str, Any]) -> str:
        branches = [re.escape(char) + render(child) for char, child in sorted(node.items()) if char]
        if "" in node:
            # A key ends here; longer keys go on ("nurse", "nursery"), so try them first.
            return "(?:" + "|".join(branches) + ")?" if branches else ""
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return render(trie) if trie else ""
