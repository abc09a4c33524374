"""What the linker compares: one agency record reduced to normalised, comparable parts.

Everything fuzzy that can be worked out from one record alone (nickname partners, Soundex codes,
the family names a person has gone by, postcode sectors) is worked out here once, so that
comparing two records is equality tests and a few short edit distances, the same in Python (on
ingest) and in SQL (when Splink trains the model).
"""

from __future__ import annotations

import operator
import re
from datetime import date
from hashlib import blake2b
from typing import Any

from kinsight.lib.nhs import is_valid_nhs_number
from kinsight.people.names import NICKNAMES, is_placeholder, normalise, soundex

_UK_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")

# The fields of a PersonRecord a Features is made from, in this order.
RECORD_FIELDS = (
    "pk", "agency_id", "given_name", "family_name", "other_names", "sex", "birth_date", "unborn",
    "expected_birth_date", "nhs_number", "address_text", "postcode",
)  # fmt: skip


def _variants() -> dict[str, frozenset[str]]:
    partners: dict[str, set[str]] = {}
    for formal, shorts in NICKNAMES.items():
        for short in shorts:
            partners.setdefault(formal, set()).add(short)
            partners.setdefault(short, set()).add(formal)
    return {name: frozenset(names) for name, names in partners.items()}


_VARIANTS = _variants()
_NO_VARIANTS: frozenset[str] = frozenset()


class Features:
    """One record, ready to compare. Empty strings and zeros mean "not known"."""

    __slots__ = (
        "id", "agency", "given", "given_full", "given_sx", "variants", "family", "family_sx",
        "families", "sex", "dob", "y", "m", "d", "day", "unborn", "nhs", "postcode", "sector",
        "district", "street", "street_name", "places",
    )  # fmt: skip

    id: int
    agency: int
    given: str
    given_full: str
    given_sx: str
    variants: frozenset[str]
    family: str
    family_sx: str
    families: frozenset[str]
    sex: str
    dob: str
    y: int
    m: int
    d: int
    day: int
    unborn: bool
    nhs: str
    postcode: str
    sector: str
    district: str
    street: str
    street_name: str
    places: frozenset[str]

    @staticmethod
    def as_row_columns() -> tuple[str, ...]:
        return ROW_COLUMNS

    def as_row(self) -> dict[str, Any]:
        """The record as one row of the table Splink reads (None for "not known")."""

        def text(value: str) -> str | None:
            return value or None

        def number(value: int) -> int | None:
            return value or None

        return {
            "unique_id": self.id,
            "agency": self.agency,
            "given": text(self.given),
            "given_sx": text(self.given_sx),
            "given_variants": sorted(self.variants),
            "family": text(self.family),
            "family_sx": text(self.family_sx),
            "family_names": sorted(self.families),
            "sex": text(self.sex),
            "dob": text(self.dob),
            "y": number(self.y),
            "m": number(self.m),
            "d": number(self.d),
            "day": number(self.day),
            "nhs": text(self.nhs),
            "postcode": text(self.postcode),
            "sector": text(self.sector),
            "district": text(self.district),
            "street": text(self.street),
            "street_name": text(self.street_name),
            "places": sorted(self.places),
        }


ROW_COLUMNS = (
    "unique_id", "agency", "given", "given_sx", "given_variants", "family", "family_sx",
    "family_names", "sex", "dob", "y", "m", "d", "day", "nhs", "postcode", "sector", "district",
    "street", "street_name", "places",
)  # fmt: skip


def _family_key(value: str) -> str:
    return normalise(value).replace(" ", "")


def features(values: tuple[Any, ...] | list[Any]) -> Features:
    """Features of one record, from its RECORD_FIELDS values."""
    (pk, agency, given_name, family_name, other_names, sex, birth_date, unborn, expected,
     nhs_number, address_text, postcode) = values  # fmt: skip
    f = Features()
    f.id = pk
    f.agency = agency
    full = normalise(given_name)
    f.given_full = full
    first = full.split(" ")[0] if full else ""
    if first and is_placeholder(full):
        first = ""
    f.given = first
    f.given_sx = soundex(first) if first else ""
    f.variants = _VARIANTS.get(first, _NO_VARIANTS)
    f.family = _family_key(family_name)
    f.family_sx = soundex(f.family) if f.family else ""
    families: set[str] = set()
    if f.family:
        families.add(f.family)
        parts = normalise(family_name).split(" ")
        if len(parts) > 1:
            families.update(part for part in parts if len(part) > 2)
    for other in other_names or ():
        if isinstance(other, str):
            words = normalise(other).split(" ")
            if len(words) > 1 and len(words[-1]) > 1:
                families.add(words[-1])
    f.families = frozenset(families)
    s = (sex or "")[:1].lower()
    f.sex = s if s in ("f", "m") else ""
    f.dob, f.y, f.m, f.d, f.day = "", 0, 0, 0, 0
    f.unborn = bool(unborn)
    if birth_date and not f.unborn:
        parts = birth_date.split("-")
        try:
            f.y = int(parts[0])
            if len(parts) > 1:
                f.m = int(parts[1])
            if len(parts) > 2:
                f.d = int(parts[2])
                f.dob = birth_date
                f.day = date(f.y, f.m, f.d).toordinal()
        except ValueError:
            f.dob, f.y, f.m, f.d, f.day = "", 0, 0, 0, 0
    elif f.unborn and expected:
        f.day = (
            expected if isinstance(expected, date) else date.fromisoformat(expected)
        ).toordinal()
    nhs = nhs_number or ""
    f.nhs = nhs if is_valid_nhs_number(nhs) else ""
    code = "".join(ch for ch in (postcode or "").upper() if ch.isalnum())
    f.postcode = code
    match = _UK_POSTCODE.match(code)
    if match:
        f.district = match.group(1)
        f.sector = match.group(1) + match.group(2)[0]
    elif code:
        f.district, f.sector = code[:2], code[:3]
    else:
        f.district = f.sector = ""
    parts = [normalise(part) for part in (address_text or "").split(",")]
    f.street = parts[0] if parts else ""
    f.street_name = f.street.lstrip("0123456789 ")
    # The town, district or village after the street: a place both records may name.
    f.places = frozenset(part for part in parts[1:] if len(part) > 3)
    return f


def as_values(f: Features) -> tuple[Any, ...]:
    """A Features as a plain tuple, in __slots__ order: what a worker process sends back
    (pickling a tuple costs a third of pickling the object it came from)."""
    return _VALUES(f)


_VALUES = operator.attrgetter(*Features.__slots__)


def from_values(values: tuple[Any, ...]) -> Features:
    """The Features that as_values() gave."""
    f = _NEW(Features)
    (f.id, f.agency, f.given, f.given_full, f.given_sx, f.variants, f.family, f.family_sx,
     f.families, f.sex, f.dob, f.y, f.m, f.d, f.day, f.unborn, f.nhs, f.postcode, f.sector,
     f.district, f.street, f.street_name, f.places) = values  # fmt: skip
    return f


_NEW = object.__new__


def house_number(street: str) -> str:
    """The number a street address starts with ("12a mill lane" -> "12a"), or ""."""
    first = street.split(" ", 1)[0]
    return first if first[:1].isdigit() else ""


def blocking_keys(f: Features) -> list[str]:
    """The blocking values of a record: two records sharing one are compared.

    Each key joins an agreement that a true pair rarely loses all of at once (a name and a
    birth date, a birth date and a postcode district, sounds-alike names and a birth year, ...),
    so that a pair is missed only when it disagrees on nearly everything.
    """
    keys: list[str] = []
    g, dob, y = f.given, f.dob, f.y
    for family in f.families:
        if g:
            keys.append("n|" + "|".join(sorted((g, family))))
        if dob:
            keys.append(f"fd|{family}|{dob}")
        if f.postcode:
            keys.append(f"fp|{family}|{f.postcode}")
        if f.day and not dob:
            # An unborn child's expected month, or a partial date: met by the born record.
            keys.append(f"fm|{family}|{date.fromordinal(f.day).isoformat()[:7]}")
        elif dob:
            keys.append(f"fm|{family}|{dob[:7]}")
    if g and dob:
        keys.append(f"gd|{g}|{dob}")
    if dob and f.district:
        keys.append(f"dd|{dob}|{f.district}")
    if y and f.given_sx and f.family_sx:
        keys.append(f"sy|{f.given_sx}|{f.family_sx}|{y}")
    if f.nhs:
        keys.append(f"nhs|{f.nhs}")
    if f.street:
        if f.family_sx:
            keys.append(f"sf|{f.street}|{f.family_sx}")
        if g:
            keys.append(f"sg|{f.street}|{g}")
        if dob:
            keys.append(f"sd|{f.street}|{dob}")
    number = house_number(f.street)
    if f.postcode:
        if g:
            keys.append(f"gp|{g}|{f.postcode}")
        if f.street:
            keys.append(f"ps|{f.postcode}|{f.street}")
        # Either name, so that given and family names written the wrong way round still meet.
        for sx in {f.family_sx, f.given_sx} - {""}:
            keys.append(f"px|{f.postcode}|{sx}")
        if number:
            # One dwelling, however its street is spelt.
            keys.append(f"pn|{f.postcode}|{number}")
    # The town or village named: met by a record whose postcode, street or names are mistyped.
    for place in f.places:
        if g and f.family:
            keys.append(f"lg|{place}|{g}|{f.family[0]}")
        if number:
            for family in f.families:
                keys.append(f"lf|{place}|{family}|{number}")
        if dob:
            keys.append(f"ld|{place}|{dob}")
        if f.postcode:
            keys.append(f"lp|{place}|{f.postcode}")
        if f.street:
            keys.append(f"ls|{place}|{f.street}")
    if f.given_sx and f.family_sx:
        keys.append("ss|" + "|".join(sorted((f.given_sx, f.family_sx))))
    if dob and f.postcode:
        keys.append(f"pd|{f.postcode}|{dob}")
    return keys


def key_hash(key: str) -> int:
    """A signed 64-bit hash of a blocking key, as stored in LinkKey."""
    return int.from_bytes(blake2b(key.encode(), digest_size=8).digest(), "big", signed=True)


__all__ = ["RECORD_FIELDS", "Features", "blocking_keys", "features", "key_hash"]
