"""Names as agencies write them: normalised, with nicknames and placeholders understood.

"Liz Walsh" at the police station is "Elizabeth Walsh" at the GP; a newborn is "Baby Smith" until
named; twins in a case review are "Child B" and "Child C". The linker must join the first pair
and never read the last two as one name spelt two ways.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Formal name -> the short forms people go by. Kept small and English on purpose: a missing
# nickname costs a missed link (the other fields may still carry it); a wrong one costs nothing
# worse than a weaker "variant" agreement, which the model weighs.
NICKNAMES: dict[str, tuple[str, ...]] = {
    "abigail": ("abbie", "abi", "abby", "gail"),
    "alexander": ("alex", "xander", "sandy", "alec", "lex"),
    "alexandra": ("alex", "lexi", "sandra", "ali", "alexa"),
    "alfred": ("alf", "alfie", "fred"),
    "amanda": ("mandy", "manda"),
    "amelia": ("millie", "amy", "mia"),
    "andrew": ("andy", "drew"),
    "anthony": ("tony", "ant"),
    "archibald": ("archie",),
    "arthur": ("art", "artie"),
    "barbara": ("barb", "babs"),
    "benjamin": ("ben", "benny", "benji"),
    "bradley": ("brad",),
    "callum": ("cal",),
    "catherine": ("cath", "kate", "cathy", "katie", "cat"),
    "charles": ("charlie", "chas", "chuck"),
    "charlotte": ("charlie", "lottie", "lotty"),
    "christian": ("chris",),
    "christina": ("chris", "tina", "chrissie"),
    "christine": ("chris", "chrissie", "tina"),
    "christopher": ("chris", "kit", "topher"),
    "daniel": ("dan", "danny"),
    "danielle": ("dani", "elle"),
    "david": ("dave", "davy", "davey"),
    "deborah": ("debbie", "deb", "debs"),
    "dominic": ("dom",),
    "donald": ("don", "donny"),
    "dorothy": ("dot", "dotty", "dolly"),
    "edward": ("ed", "eddie", "ted", "teddy", "ned"),
    "eleanor": ("ellie", "nell", "nora", "elle"),
    "elizabeth": ("liz", "beth", "lizzie", "libby", "eliza", "betty", "bess", "lisa"),
    "ella": ("elle",),
    "emily": ("em", "emmy", "millie"),
    "emma": ("em", "emmy"),
    "florence": ("flo", "florrie"),
    "frances": ("fran", "frankie"),
    "francis": ("frank", "frankie"),
    "frederick": ("fred", "freddie", "freddy"),
    "gabriel": ("gabe",),
    "gabriella": ("gabby", "ella"),
    "geoffrey": ("geoff",),
    "gerald": ("gerry",),
    "gregory": ("greg",),
    "harold": ("harry", "hal"),
    "harrison": ("harry",),
    "henry": ("harry", "hal", "hank"),
    "isabel": ("izzy", "bel", "bella"),
    "isabella": ("bella", "izzy", "issy"),
    "isabelle": ("bella", "izzy"),
    "jacob": ("jake", "jay"),
    "jacqueline": ("jackie", "jacqui"),
    "james": ("jim", "jamie", "jimmy", "jimbo"),
    "jane": ("janey",),
    "jennifer": ("jen", "jenny", "jenni"),
    "jessica": ("jess", "jessie"),
    "joanne": ("jo", "joanna"),
    "john": ("jack", "johnny", "jon"),
    "jonathan": ("jon", "jonny", "jonty"),
    "joseph": ("joe", "joey"),
    "joshua": ("josh",),
    "judith": ("judy", "jude"),
    "katherine": ("kate", "katie", "kath", "kathy", "kat", "kay"),
    "kathleen": ("kath", "kathy", "kate"),
    "kimberley": ("kim",),
    "kimberly": ("kim",),
    "lawrence": ("larry", "laurie"),
    "leonard": ("len", "lenny", "leo"),
    "louise": ("lou", "lulu"),
    "lucas": ("luke",),
    "margaret": ("maggie", "meg", "peggy", "marge", "madge", "megan"),
    "matilda": ("tilly", "tillie", "mattie"),
    "matthew": ("matt", "matty"),
    "maximilian": ("max",),
    "michael": ("mike", "mick", "micky", "mikey"),
    "mohammed": ("mohammad", "muhammad", "mo", "mohamed", "mohamad"),
    "muhammad": ("mohammed", "mohammad", "mo", "mohamed"),
    "natalie": ("nat",),
    "nathan": ("nate", "nat"),
    "nathaniel": ("nate", "nat", "nathan"),
    "nicholas": ("nick", "nicky", "nico"),
    "nicola": ("nicky", "nic", "nikki"),
    "oliver": ("ollie", "olly"),
    "olivia": ("liv", "livvy", "livia"),
    "patricia": ("pat", "patsy", "trish", "tricia"),
    "patrick": ("pat", "paddy"),
    "peter": ("pete",),
    "philip": ("phil", "pip"),
    "phillip": ("phil",),
    "piotr": ("peter",),
    "rebecca": ("becky", "becca", "becks"),
    "richard": ("rich", "rick", "ricky", "dick", "richie"),
    "robert": ("rob", "bob", "bobby", "robbie", "bert"),
    "ronald": ("ron", "ronnie"),
    "samantha": ("sam", "sammie", "sammy"),
    "samuel": ("sam", "sammy"),
    "sarah": ("sally", "sadie"),
    "sophia": ("sophie",),
    "stephanie": ("steph", "stevie"),
    "stephen": ("steve", "stevie"),
    "steven": ("steve", "stevie"),
    "susan": ("sue", "susie", "suzy"),
    "terence": ("terry",),
    "theodore": ("theo", "ted", "teddy"),
    "thomas": ("tom", "tommy"),
    "timothy": ("tim", "timmy"),
    "tomasz": ("tomek",),
    "jakub": ("kuba",),
    "victoria": ("vicky", "tori", "vikki", "vic"),
    "vincent": ("vince", "vinny"),
    "william": ("bill", "will", "billy", "liam", "willie", "willy"),
    "zachary": ("zach", "zac", "zack"),
    "zuzanna": ("zuza",),
    "reginald": ("reggie", "reg"),
    "frederica": ("freddie",),
    "alfreda": ("alfie",),
    "edith": ("edie",),
    "evelyn": ("evie",),
    "eveline": ("evie",),
    "georgina": ("georgie", "gina"),
    "georgia": ("georgie",),
    "harriet": ("hattie", "harry"),
    "josephine": ("jo", "josie"),
    "madeleine": ("maddie", "maddy"),
    "madison": ("maddie",),
    "mary": ("molly", "polly", "mae"),
    "penelope": ("penny",),
    "rosemary": ("rosie", "rose"),
    "rose": ("rosie",),
    "ruby": ("rubes",),
    "theresa": ("tess", "terri", "tessa"),
    "zoe": ("zo",),
}

# Given names that say nobody has named the person yet, or that hide who they are.
_PLACEHOLDER = re.compile(
    r"^(baby|babe|child|infant|unborn|unknown|unnamed|twin|triplet|boy|girl|male|female|"
    r"newborn|foetus|fetus|not known|nk|tbc|test|anon|anonymous|mother|father|mr|mrs|ms|miss)"
    r"(\s|$)"
)

_NOT_LETTERS = re.compile(r"[^a-z0-9 ]+")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=200_000)
def normalise(value: str) -> str:
    """Lower case, accents and punctuation off, single spaces: "O'Brien-Smith" -> "o brien smith".

    >>> normalise("  Zoë  O'Brien-Smith ")
    'zoe o brien smith'
    """
    if not value:
        return ""
    text = unicodedata.normalize("NFKD", value)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    # An apostrophe joins (O'Brien is obrien); a hyphen or dot separates.
    text = text.replace("'", "").replace("\u2019", "")
    text = _NOT_LETTERS.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def is_placeholder(given: str) -> bool:
    """True for "Baby", "Child B", "Twin 1", "Unknown": a slot for a name, not a name.

    >>> is_placeholder("child b"), is_placeholder("chloe")
    (True, False)
    """
    return bool(_PLACEHOLDER.match(given)) or (len(given) <= 1)


def _build_forms() -> tuple[dict[str, frozenset[str]], frozenset[tuple[str, str]]]:
    formal_of: dict[str, set[str]] = {}
    pairs: set[tuple[str, str]] = set()
    for formal, shorts in NICKNAMES.items():
        for short in shorts:
            formal_of.setdefault(short, set()).add(formal)
            pairs.add((formal, short))
            pairs.add((short, formal))
    return {k: frozenset(v) for k, v in formal_of.items()}, frozenset(pairs)


_FORMAL_OF, _NICK_PAIRS = _build_forms()


def formal_forms(name: str) -> frozenset[str]:
    """The formal names a short form may stand for: "chris" -> christopher, christine, ..."""
    return _FORMAL_OF.get(name, frozenset())


def is_nickname_pair(a: str, b: str) -> bool:
    """One is a short form of the other. Two formal names sharing a short form are not a pair:
    Christopher and Christian are two people even though both are "Chris"."""
    return (a, b) in _NICK_PAIRS


@lru_cache(maxsize=200_000)
def soundex(word: str) -> str:
    """American Soundex: Smith and Smyth are both S530.

    >>> soundex("smith"), soundex("smyth"), soundex("ashcraft")
    ('S530', 'S530', 'A261')
    """
    word = "".join(ch for ch in word if "a" <= ch <= "z")
    if not word:
        return ""
    codes = {
        **dict.fromkeys("bfpv", "1"),
        **dict.fromkeys("cgjkqsxz", "2"),
        **dict.fromkeys("dt", "3"),
        "l": "4",
        **dict.fromkeys("mn", "5"),
        "r": "6",
    }
    out = word[0].upper()
    last = codes.get(word[0], "")
    for ch in word[1:]:
        code = codes.get(ch, "")
        if code and code != last:
            out += code
            if len(out) == 4:
                break
        if ch not in "hw":
            last = code
    return (out + "000")[:4]


def damerau_levenshtein(a: str, b: str) -> int:
    """Edits (insert, delete, substitute, swap two neighbours) turning `a` into `b`."""
    if a == b:
        return 0
    rows = len(a) + 1
    cols = len(b) + 1
    d = [[0] * cols for _ in range(rows)]
    for i in range(rows):
        d[i][0] = i
    for j in range(cols):
        d[0][j] = j
    for i in range(1, rows):
        for j in range(1, cols):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[-1][-1]


def given_names_agree(a: str, b: str) -> bool | None:
    """Do two normalised given names name the same person? None when one of them cannot say.

    This is the twin guard's test, so it is strict: exact, a known nickname, or one slip of the
    keyboard in a name long enough to carry it ("Chloe"/"Cloe"). "Child B" and "Child C" differ
    in the one part that matters and do not agree; "Ella" and "Ellie" are two names.

    >>> given_names_agree("chloe", "cloe"), given_names_agree("child b", "child c")
    (True, False)
    >>> given_names_agree("chris", "christopher"), given_names_agree("ella", "ellie")
    (True, False)
    """
    if not a or not b:
        return None
    placeholder_a, placeholder_b = is_placeholder(a), is_placeholder(b)
    if placeholder_a or placeholder_b:
        # "Baby Smith" and "Ruby Smith" may well be one child; two placeholders that differ
        # ("Twin 1", "Twin 2") are two.
        if placeholder_a and placeholder_b:
            return None if a == b else False
        return None
    if a == b:
        return True
    first_a, first_b = a.split(" ")[0], b.split(" ")[0]
    if first_a == first_b or is_nickname_pair(first_a, first_b):
        return True
    if (
        len(first_a) >= 4
        and len(first_b) >= 4
        and first_a[0] == first_b[0]
        and damerau_levenshtein(first_a, first_b) <= 1
    ):
        return True
    return False
