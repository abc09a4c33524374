"""Read the rule files and turn their phrases into spaCy token patterns.

The files are written for a safeguarding lead, not a programmer, so the phrase syntax is small
(see targets.json "syntax" and docs/adding-a-phrase.md). Everything here is pure Python: reading
the rules and computing RULES_VERSION must not need spaCy.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from itertools import product
from pathlib import Path
from typing import Any

RULES_DIR = Path(__file__).resolve().parent / "rules"
TARGETS_FILE = RULES_DIR / "targets.json"
CONTEXT_FILE = RULES_DIR / "context.json"

# Bumped when the code that interprets the rules changes what it finds, so that the store
# recomputes indicators even though neither rules file changed.
ENGINE_VERSION = "1"

INDICATOR_IDS: tuple[str, ...] = (
    "substance_misuse",
    "domestic_abuse",
    "mental_ill_health",
    "bruise",
    "fracture",
    "burn",
    "bite",
    "head_injury",
    "injection_mark",
    "other_injury",
    "neonatal_abstinence",
    "positive_toxicology",
    "pregnancy",
    "missed_appointment",
    "non_engagement",
    "new_adult",
    "neglect_home",
    "neglect_care",
    "school_absence",
    "allegation",
    "disclosure",
    "criminal_behaviour",
    "learning_disability",
    "delayed_care",
)
EXPERIENCERS: tuple[str, ...] = (
    "child",
    "mother",
    "father",
    "partner",
    "other_adult",
    "family",
    "unknown",
)
ADULTS = frozenset({"mother", "father", "partner", "other_adult"})
RESOLVE_MODES = frozenset({"nearest", "injury", "household", "fixed"})
PHRASE_FLAGS = ("negated", "historical", "hypothetical", "uncertain")

# A spaCy token pattern: one dict of token attributes per token.
TokenSpec = dict[str, Any]
Pattern = list[TokenSpec]

_SPECIAL: dict[str, TokenSpec] = {
    "<number>": {"LIKE_NUM": True},
    "<year>": {"TEXT": {"REGEX": r"^(?:19|20)\d\d$"}},
    "<years>": {"LOWER": {"REGEX": r"^(?:19|20)\d\ds$"}},
    "<under90>": {"TEXT": {"REGEX": r"^(?:[0-9]|[1-8][0-9])(?:\.\d+)?$"}},
    "<any>": {},
}
_CLITICS = frozenset({"n't", "'s", "'d", "'ll", "'re", "'ve", "'m", "’s"})
# Fixed spellings are cheap (one hash look-up per word whatever their number); token patterns
# are not, so a phrase may expand to many more of the first than of the second.
_MAX_SPELLINGS = 4000
# Products of alternatives beyond this many patterns are a sign of a phrase that needs splitting.
_MAX_VARIANTS = 256


class RulesError(ValueError):
    """A rules file that cannot be used; the message names the file and the phrase."""


@dataclass(frozen=True)
class CompiledPhrase:
    """One phrase of a rules file as the matcher needs it.

    Every spelling made only of fixed words becomes a ``literal`` (matched with spaCy's
    PhraseMatcher, a hash look-up per word: the fast path); the rest (wildcards, numbers, "any
    word") are token ``patterns`` for spaCy's Matcher, which costs far more per note.
    """

    text: str
    literals: tuple[str, ...]
    patterns: tuple[Pattern, ...]


@dataclass(frozen=True)
class TargetPhrase:
    indicator: str
    phrase: CompiledPhrase
    experiencer: str | None = None
    fixed: bool = False
    needs_context: bool = False
    generic: bool = False
    makes_uncertain: bool = False
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class IndicatorRules:
    indicator: str
    resolve: str
    default: str
    allowed: frozenset[str] | None
    if_adult: str | None
    if_child: str | None
    prefer_adults: bool = False
    look_after: bool = True
    carry: bool = False
    never_historical: bool = False


@dataclass(frozen=True)
class ModifierGroup:
    category: str
    direction: str
    max_scope: int | None
    phrases: tuple[CompiledPhrase, ...]
    terminated_by: frozenset[str] = frozenset()


@dataclass(frozen=True)
class PersonCue:
    person: str
    gender: str | None
    phrase: CompiledPhrase


@dataclass(frozen=True)
class PeopleRules:
    cues: tuple[PersonCue, ...]
    not_people: tuple[CompiledPhrase, ...]
    pronouns: Mapping[str, str]
    reporting_verbs: frozenset[str]
    harm_verbs: frozenset[str]
    agent_markers: frozenset[str]
    titles: frozenset[str]
    name_followers: frozenset[str]
    not_names: frozenset[str]
    roles: Mapping[str, str]


@dataclass(frozen=True)
class Rules:
    targets: tuple[TargetPhrase, ...]
    exclusions: tuple[TargetPhrase, ...]
    indicators: Mapping[str, IndicatorRules]
    modifiers: tuple[ModifierGroup, ...]
    categories: Mapping[str, str]
    people: PeopleRules
    vocabulary: frozenset[str] = field(default_factory=frozenset)


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise RulesError(f"{path.name}: not valid JSON: {error}") from None
    if not isinstance(data, dict) or not isinstance(data.get("version"), str):
        raise RulesError(f'{path.name}: needs a top-level object with a "version" string')
    return data


@cache
def rules_version() -> str:
    """A string that changes whenever either rules file (or the engine) changes."""
    targets_bytes = TARGETS_FILE.read_bytes()
    context_bytes = CONTEXT_FILE.read_bytes()
    targets_version = json.loads(targets_bytes)["version"]
    context_version = json.loads(context_bytes)["version"]
    digest = hashlib.sha256()
    for part in (ENGINE_VERSION.encode(), targets_bytes, context_bytes):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return f"targets-{targets_version}+context-{context_version}+{digest.hexdigest()[:10]}"


def compile_phrase(text: str, tokenize: Callable[[str], list[str]]) -> CompiledPhrase:
    """Turn one phrase of the rule syntax into a literal or into spaCy token patterns."""
    slots = _slots(text)
    if not slots:
        raise RulesError("empty phrase")
    plain = all(
        not (set(slot) & set("|[]*<>"))
        and not (slot.startswith("(") and len(slot) > 1)
        and slot.lower() not in _CLITICS
        for slot in slots
    )
    if plain:
        return CompiledPhrase(text=text, literals=(text.lower(),), patterns=())
    expanded = _expand(slots, tokenize)
    if expanded is not None:
        return CompiledPhrase(text=text, literals=expanded, patterns=())
    slot_options: list[list[Pattern]] = []
    for slot in slots:
        optional = slot.startswith("[") and slot.endswith("]")
        grouped = slot.startswith("(") and slot.endswith(")") and len(slot) > 2
        inner = slot[1:-1] if optional or grouped else slot
        if not inner or "[" in inner or "]" in inner:
            raise RulesError(f"phrase {text!r}: cannot read {slot!r}")
        options = [_alternative(word.strip(), text, tokenize) for word in inner.split("|")]
        merged = _merge_single_tokens(options)
        if merged is not None:
            if optional:
                merged = {**merged, "OP": "?"}
            slot_options.append([[merged]])
        else:
            if optional:
                options.append([])
            slot_options.append(options)
    patterns: list[Pattern] = []
    for combination in product(*slot_options):
        pattern = [spec for part in combination for spec in part]
        if pattern and any(spec.get("OP") != "?" for spec in pattern):
            patterns.append(pattern)
        if len(patterns) > _MAX_VARIANTS:
            raise RulesError(f"phrase {text!r} has too many spellings; split it into several")
    if not patterns:
        raise RulesError(f"phrase {text!r} can match nothing")
    return CompiledPhrase(text=text, literals=(), patterns=tuple(patterns))


def rules_for(
    rule_class: Any,
    phrase: CompiledPhrase,
    category: str,
    metadata: dict[str, Any],
    **options: Any,
) -> list[Any]:
    """medspaCy rules (TargetRule or ConTextRule) for every spelling of a phrase."""
    rules = [
        rule_class(literal=literal, category=category, metadata=metadata, **options)
        for literal in phrase.literals
    ]
    rules.extend(
        rule_class(
            literal=phrase.text, category=category, pattern=pattern, metadata=metadata, **options
        )
        for pattern in phrase.patterns
    )
    return rules


def _expand(slots: list[str], tokenize: Callable[[str], list[str]]) -> tuple[str, ...] | None:
    """Every spelling of a phrase made only of fixed words, or None when it has a wildcard,
    a placeholder or too many spellings."""
    choices: list[list[str]] = []
    for slot in slots:
        optional = slot.startswith("[") and slot.endswith("]")
        grouped = slot.startswith("(") and slot.endswith(")") and len(slot) > 2
        inner = slot[1:-1] if optional or grouped else slot
        words = [word.strip() for word in inner.split("|")]
        if any(
            not word or word.startswith("<") or word.endswith("*") or word.lower() in _CLITICS
            for word in words
        ):
            return None
        options = []
        for word in words:
            tokens = tokenize(word.lower())
            # Only spellings the PhraseMatcher will tokenize back the same way: "didn't" is
            # "did" + "n't" in a note, but "did n't" written out is "did", "n", "'", "t".
            if tokenize(" ".join(tokens)) != tokens:
                return None
            options.append(" ".join(tokens))
        choices.append(options + [""] if optional else options)
    spellings: list[str] = []
    for combination in product(*choices):
        spelling = " ".join(part for part in combination if part)
        if spelling and spelling not in spellings:
            spellings.append(spelling)
        if len(spellings) > _MAX_SPELLINGS:
            return None
    return tuple(spellings)


def _slots(text: str) -> list[str]:
    """Split a phrase into word positions.

    "[a few|several]" (optional) and "(her mum|his mum)" (required) are one position each,
    spaces and all.
    """
    slots: list[str] = []
    position = 0
    while position < len(text):
        if text[position].isspace():
            position += 1
            continue
        lone = position + 1 == len(text) or text[position + 1].isspace()
        if text[position] in "[(" and not lone:
            closer = "]" if text[position] == "[" else ")"
            close = text.find(closer, position)
            if close == -1:
                raise RulesError(f"phrase {text!r}: a {text[position]} is never closed")
            slots.append(text[position : close + 1])
            position = close + 1
            continue
        end = position
        while end < len(text) and not text[end].isspace():
            end += 1
        slots.append(text[position:end])
        position = end
    return slots


def _alternative(word: str, phrase: str, tokenize: Callable[[str], list[str]]) -> Pattern:
    if not word:
        raise RulesError(f"phrase {phrase!r}: empty alternative")
    if word in _SPECIAL:
        return [dict(_SPECIAL[word])]
    if word.startswith("<"):
        raise RulesError(f"phrase {phrase!r}: unknown placeholder {word!r}")
    if " " in word:
        return [spec for part in word.split() for spec in _alternative(part, phrase, tokenize)]
    if word.lower() in _CLITICS:
        # "n't" on its own is not how the tokenizer sees it ("n", "'", "t"); in text it is
        # split off a word ("didn't" -> "did", "n't"), so match it as that one token.
        return [{"LOWER": word.lower()}]
    if word.endswith("*") and len(word) > 1:
        stem = word[:-1].lower()
        if len(tokenize(stem)) != 1:
            raise RulesError(f"phrase {phrase!r}: {word!r} must be a single word before the *")
        return [{"LOWER": {"REGEX": "^" + re.escape(stem)}}]
    return [{"LOWER": token} for token in tokenize(word.lower())]


def _merge_single_tokens(options: list[Pattern]) -> TokenSpec | None:
    """Fold single-token alternatives into one token spec; None when they cannot be folded."""
    if len(options) == 1 and len(options[0]) == 1:
        return dict(options[0][0])
    if any(len(option) != 1 for option in options):
        return None
    specs = [option[0] for option in options]
    if all(isinstance(spec.get("LOWER"), str) and len(spec) == 1 for spec in specs):
        return {"LOWER": {"IN": [spec["LOWER"] for spec in specs]}}
    pieces: list[str] = []
    for spec in specs:
        lower = spec.get("LOWER")
        if len(spec) == 1 and isinstance(lower, str):
            pieces.append(re.escape(lower))
        elif len(spec) == 1 and isinstance(lower, dict) and set(lower) == {"REGEX"}:
            pieces.append(lower["REGEX"].lstrip("^") + ".*")
        else:
            return None
    return {"LOWER": {"REGEX": "^(?:" + "|".join(pieces) + ")$"}}


def _phrase_entries(raw: Any, where: str) -> Iterator[dict[str, Any]]:
    if not isinstance(raw, list):
        raise RulesError(f"{where}: expected a list of phrases")
    for entry in raw:
        if isinstance(entry, str):
            yield {"phrase": entry}
        elif isinstance(entry, dict) and isinstance(entry.get("phrase"), str):
            yield entry
        else:
            raise RulesError(f"{where}: cannot read phrase {entry!r}")


def load_rules(tokenize: Callable[[str], list[str]]) -> Rules:
    """Read both rule files; ``tokenize`` must be the tokenizer the pipeline runs."""
    targets_data = _read_json(TARGETS_FILE)
    context_data = _read_json(CONTEXT_FILE)
    indicators_raw = targets_data.get("indicators")
    if not isinstance(indicators_raw, dict):
        raise RulesError('targets.json: needs an "indicators" object')
    unknown = set(indicators_raw) - set(INDICATOR_IDS)
    missing = set(INDICATOR_IDS) - set(indicators_raw)
    if unknown or missing:
        raise RulesError(
            f"targets.json: indicators must be exactly those of indicators.md "
            f"(unknown: {sorted(unknown)}, missing: {sorted(missing)})"
        )
    vocabulary: set[str] = set()

    def compiled(text: str, where: str) -> CompiledPhrase:
        try:
            phrase = compile_phrase(text, tokenize)
        except RulesError as error:
            raise RulesError(f"{where}: {error}") from None
        vocabulary.update(_words(phrase))
        return phrase

    targets: list[TargetPhrase] = []
    exclusions: list[TargetPhrase] = []
    indicators: dict[str, IndicatorRules] = {}
    for indicator in INDICATOR_IDS:
        spec = indicators_raw[indicator]
        where = f"targets.json: {indicator}"
        indicators[indicator] = _indicator_rules(
            indicator, spec.get("experiencer", {}), where, bool(spec.get("never_historical"))
        )
        for entry in _phrase_entries(spec.get("phrases", []), where):
            experiencer = entry.get("experiencer")
            if experiencer is not None and experiencer not in EXPERIENCERS:
                raise RulesError(f"{where}: unknown experiencer {experiencer!r}")
            targets.append(
                TargetPhrase(
                    indicator=indicator,
                    phrase=compiled(entry["phrase"], where),
                    experiencer=experiencer,
                    fixed=bool(entry.get("fixed", False)),
                    needs_context=bool(entry.get("needs_context", False)),
                    generic=bool(entry.get("generic", False)),
                    makes_uncertain=bool(entry.get("makes_uncertain", False)),
                    flags=tuple(flag for flag in PHRASE_FLAGS if entry.get(flag)),
                )
            )
        for entry in _phrase_entries(spec.get("not", []), where + " (not)"):
            exclusions.append(
                TargetPhrase(indicator=indicator, phrase=compiled(entry["phrase"], where))
            )

    categories = context_data.get("categories")
    if not isinstance(categories, dict) or not all(
        flag in PHRASE_FLAGS for flag in categories.values()
    ):
        raise RulesError('context.json: "categories" must map categories to flags')
    silent = {str(name).upper() for name in context_data.get("categories_without_flag", [])}
    modifiers: list[ModifierGroup] = []
    for number, group in enumerate(context_data.get("modifiers", []), 1):
        where = f"context.json: modifiers group {number}"
        category = str(group.get("category", "")).upper()
        direction = str(group.get("direction", "")).upper()
        if category not in categories and category not in {"TERMINATE", "PSEUDO", *silent}:
            raise RulesError(f"{where}: unknown category {category!r}")
        if direction not in ("FORWARD", "BACKWARD", "BIDIRECTIONAL", "TERMINATE", "PSEUDO"):
            raise RulesError(f"{where}: unknown direction {direction!r}")
        max_scope = group.get("max_scope")
        if max_scope is not None and (not isinstance(max_scope, int) or max_scope < 1):
            raise RulesError(f"{where}: max_scope must be a positive whole number")
        phrases = tuple(
            compiled(entry["phrase"], where)
            for entry in _phrase_entries(group.get("phrases", []), where)
        )
        terminated_by = frozenset(str(name).upper() for name in group.get("terminated_by", []))
        modifiers.append(ModifierGroup(category, direction, max_scope, phrases, terminated_by))

    people = _people_rules(context_data.get("people"), compiled)
    return Rules(
        targets=tuple(targets),
        exclusions=tuple(exclusions),
        indicators=indicators,
        modifiers=tuple(modifiers),
        categories=dict(categories),
        people=people,
        vocabulary=frozenset(vocabulary),
    )


def _indicator_rules(
    indicator: str, raw: Any, where: str, never_historical: bool
) -> IndicatorRules:
    if not isinstance(raw, dict):
        raise RulesError(f'{where}: "experiencer" must be an object')
    resolve = raw.get("resolve", "nearest")
    default = raw.get("default", "unknown")
    if resolve not in RESOLVE_MODES:
        raise RulesError(f"{where}: resolve must be one of {sorted(RESOLVE_MODES)}")
    if default not in EXPERIENCERS:
        raise RulesError(f"{where}: unknown default experiencer {default!r}")
    allowed = raw.get("allowed")
    if allowed is not None and not set(allowed) <= set(EXPERIENCERS):
        raise RulesError(f"{where}: unknown experiencer in allowed")
    for key in ("if_adult", "if_child"):
        value = raw.get(key)
        if value is not None and value != "drop" and value not in INDICATOR_IDS:
            raise RulesError(f'{where}: {key} must be "drop" or an indicator id')
    return IndicatorRules(
        indicator=indicator,
        resolve=resolve,
        default=default,
        allowed=frozenset(allowed) if allowed is not None else None,
        if_adult=raw.get("if_adult"),
        if_child=raw.get("if_child"),
        prefer_adults=bool(raw.get("prefer_adults", False)),
        look_after=bool(raw.get("look_after", True)),
        carry=bool(raw.get("carry", False)),
        never_historical=never_historical,
    )


def _people_rules(raw: Any, compiled: Callable[[str, str], CompiledPhrase]) -> PeopleRules:
    if not isinstance(raw, dict):
        raise RulesError('context.json: needs a "people" object')
    cues: list[PersonCue] = []
    for group in raw.get("cues", []):
        person = group.get("person")
        if person not in EXPERIENCERS or person == "unknown":
            raise RulesError(f"context.json: people: unknown person {person!r}")
        gender = group.get("gender")
        for entry in _phrase_entries(group.get("phrases", []), f"context.json: people {person}"):
            cues.append(PersonCue(person, gender, compiled(entry["phrase"], "people")))
    pronouns: dict[str, str] = {}
    for gender, listed in raw.get("pronouns", {}).items():
        for word in listed:
            pronouns[word.lower()] = gender

    def words(key: str) -> frozenset[str]:
        return frozenset(word.lower() for word in raw.get(key, []))

    roles: dict[str, str] = {}
    for person, names in raw.get("roles", {}).items():
        if person not in EXPERIENCERS:
            raise RulesError(f"context.json: roles: unknown person {person!r}")
        for name in names:
            roles[name.lower()] = person
    return PeopleRules(
        roles=roles,
        cues=tuple(cues),
        not_people=tuple(
            compiled(entry["phrase"], "people")
            for entry in _phrase_entries(raw.get("not_people", []), "context.json: not_people")
        ),
        pronouns=pronouns,
        reporting_verbs=words("reporting_verbs"),
        harm_verbs=words("harm_verbs"),
        agent_markers=words("agent_markers"),
        titles=words("titles"),
        name_followers=words("name_followers"),
        not_names=words("not_names"),
    )


def _words(phrase: CompiledPhrase) -> Iterable[str]:
    for literal in phrase.literals:
        yield from literal.split()
    for pattern in phrase.patterns:
        for spec in pattern:
            lower = spec.get("LOWER")
            if isinstance(lower, str):
                yield lower
            elif isinstance(lower, dict) and "IN" in lower:
                yield from lower["IN"]


# ---- the pre-check -------------------------------------------------------------------------

# Words too common in routine case notes to be worth pre-checking on; any position of a pattern
# that avoids them is chosen instead. Only speed depends on this list, never correctness.
CASE_NOTE_COMMON = frozenset(
    """visit visited visits appointment appointments brought appeared appears attended attend
    attending home house school nursery seen mum dad baby child children arms arm access
    door contact care health review plan week weeks days day old made taken told said says
    reports reported well good new also today again time room family support work staff hand
    hands head face back side front left right top under over police officer officers meeting
    called call phone letter booked advised advice discussed spoke noted observed report
    present presented engaged engaging weight mother father track working behaviour teacher
    known worker foster supervision supervised bedroom bedrooms college class treatment needs
    closed asking nurse community took going delayed conditions food attendance cupboards
    cat dog bed hospital carer service legal clinic check weekends nights living moved move
    friends friend money phone messages small tight immunisations vaccinations session sessions
    follow scan dentist review
    """.split()
)


# What else a note needs beside an anchor word: ("phrase", tokens) - those tokens in a row,
# or ("words", positions) - for each position one of its words somewhere in the note.
Requirement = tuple[str, tuple[Any, ...]]


@dataclass(frozen=True)
class PrecheckPlan:
    """What a text must contain to be worth reading.

    ``words``: any one of them is enough. ``groups``: an anchor word, and for each anchor the
    other words a phrase needs beside it ("did not attend school" needs "attend" *and* "school"),
    for phrases made only of common words. A word ending in "*" is a stem ("bruis*").
    """

    words: frozenset[str]
    groups: Mapping[str, tuple[Requirement, ...]]


def precheck_plan(
    rules: Rules, tokenize: Callable[[str], list[str]], stop_words: frozenset[str] = frozenset()
) -> PrecheckPlan:
    """Build the pre-check from the target phrases.

    Sound by construction: every word chosen fills a position that every match of its phrase
    must fill, so a note holding a match contains it (lower-cased, as a token of the note).
    """
    words: set[str] = set()
    groups: dict[str, set[Requirement]] = {}

    def plan(slots: list[set[str]], tokens: tuple[str, ...] | None = None) -> None:
        ranked = sorted(slots, key=lambda slot: _rank(slot, stop_words))
        best = ranked[0]
        rare = _rank(best, stop_words)[:3] == (0, 0, 0)
        if rare or len(ranked) == 1:
            words.update(best)
            return
        need: Requirement = (
            ("phrase", tokens)
            if tokens is not None
            else ("words", tuple(tuple(sorted(slot)) for slot in ranked[1:3]))
        )
        for word in best:
            groups.setdefault(word, set()).add(need)

    for target in rules.targets:
        phrase = target.phrase
        for literal in phrase.literals:
            tokens = tuple(tokenize(literal))
            plan([{token} for token in tokens], tokens)
        for pattern in phrase.patterns:
            slots = [
                found
                for spec in pattern
                if spec.get("OP") != "?"
                for found in [_spec_keys(spec)]
                if found
            ]
            if not slots:
                raise RulesError(f"phrase {phrase.text!r}: no fixed word to pre-check on")
            plan(slots)
    return PrecheckPlan(
        frozenset(words),
        {word: tuple(sorted(found)) for word, found in groups.items() if word not in words},
    )


def _rank(words: set[str], stop_words: frozenset[str]) -> tuple[int, int, int, int, int]:
    """How common a position's words are: stop words, then short words (which turn up inside
    other words), then words common in case notes; fewer and longer words break ties."""
    stems = [word.rstrip("*") for word in words]
    return (
        max(1 if stem in stop_words else 0 for stem in stems),
        max(1 if len(stem) < 3 else 0 for stem in stems),
        max(1 if stem in CASE_NOTE_COMMON else 0 for stem in stems),
        len(words),
        -min(len(stem) for stem in stems),
    )


def _spec_keys(spec: TokenSpec) -> set[str] | None:
    lower = spec.get("LOWER")
    if isinstance(lower, str):
        return {lower}
    if isinstance(lower, dict) and "IN" in lower:
        return set(lower["IN"])
    if isinstance(lower, dict) and "REGEX" in lower:
        body = lower["REGEX"]
        if body.startswith("^(?:") and body.endswith(")$"):
            parts = body[4:-2].split("|")
        else:
            # A lone "word*" is compiled to "^word": a prefix, like "word.*" in a list.
            parts = [body.lstrip("^") + ".*"]
        found: set[str] = set()
        for part in parts:
            wildcard = part.endswith(".*")
            stem = part[:-2] if wildcard else part
            stem = re.sub(r"\\(.)", r"\1", stem)
            if not stem or re.search(r"[\\\[\]()?*+{}.^$]", stem):
                return None
            # A stem ends in "*": it may be followed by more letters ("bruis" in "bruising").
            found.add(stem + "*" if wildcard else stem)
        return found
    return None
