"""Turning an agency's CSV export into feed lines through a declarative YAML mapping.

A mapping names the agency, the date formats its export writes, its code lists, and for each CSV
row the feed lines to make (docs/mappings.md describes the format; examples/mappings/ holds the
shipped ones). Every line a row makes is checked as the ingest would check it; a row that cannot
be mapped, or whose lines would be rejected, is reported with its row, column and value, and none
of its lines are written. The rest of the file is taken.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

import yaml

from kinsight.feeds.lines import KINDS, LineRejected, read_line

DEFAULT_DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"]
TRUE_WORDS = {"y", "yes", "true", "1", "t"}
FALSE_WORDS = {"n", "no", "false", "0", "f"}
LEAF_KEYS = {"column", "value", "template"}
LEAF_OPTIONS = {"column", "value", "template", "as", "codes", "split", "required", "default"}
AS_TYPES = {"text", "date", "moment", "bool", "number", "list"}
_TEMPLATE_NAME = re.compile(r"\{([^{}]+)\}")


class MappingError(Exception):
    """The mapping file (or a CSV's header against it) is unusable; the message names where."""


@dataclass
class RowError:
    """A row that could not be mapped: its row number (the header is row 1), column and value."""

    file: str
    row: int
    column: str
    value: str
    message: str
    raw: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        where = f"column {self.column!r}: value {self.value!r}: " if self.column else ""
        return f"{self.file}: row {self.row}: {where}{self.message}"


class _RowProblem(Exception):
    def __init__(self, column: str, value: str, message: str) -> None:
        super().__init__(message)
        self.column, self.value, self.message = column, value, message


_MISSING = object()


@dataclass
class Mapping:
    """A loaded, checked mapping: build it with `Mapping.load(path)` or `Mapping.parse(...)`."""

    name: str
    agency: dict[str, Any]
    date_formats: list[str]
    codes: dict[str, dict[str, Any]]
    lines: list[dict[str, Any]]
    delimiter: str = ","
    encoding: str = "utf-8-sig"

    # -- loading ---------------------------------------------------------------------------
    @classmethod
    def load(cls, path: Path) -> Mapping:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise MappingError(f"{path}: cannot read: {exc.strerror or exc}") from None
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" (line {mark.line + 1})" if mark is not None else ""
            raise MappingError(f"{path}: not valid YAML{where}") from None
        return cls.parse(data, str(path))

    @classmethod
    def parse(cls, data: Any, name: str) -> Mapping:
        def fail(where: str, message: str) -> MappingError:
            return MappingError(f"{name}: {where}: {message}")

        if not isinstance(data, dict):
            raise MappingError(f"{name}: not a mapping (expected keys agency and lines)")
        unknown = set(data) - {"agency", "dates", "codes", "lines", "csv", "description"}
        if unknown:
            raise fail(sorted(unknown)[0], "unknown key")
        agency = data.get("agency")
        if isinstance(agency, str):
            agency = {"code": agency}
        if not isinstance(agency, dict) or not isinstance(agency.get("code"), str):
            raise fail("agency", "expected an agency code, or {code, name, sector}")
        dates = data.get("dates", DEFAULT_DATE_FORMATS)
        if not isinstance(dates, list) or not all(isinstance(d, str) for d in dates) or not dates:
            raise fail("dates", "expected a list of strptime formats")
        codes = data.get("codes", {})
        if not isinstance(codes, dict) or not all(isinstance(v, dict) for v in codes.values()):
            raise fail("codes", "expected named code lists, each a map of code to value")
        codes = {k: {str(c): v for c, v in table.items()} for k, table in codes.items()}
        lines = data.get("lines")
        if not isinstance(lines, list) or not lines:
            raise fail("lines", "expected a list of the lines each row makes")
        options = data.get("csv", {}) or {}
        mapping = cls(
            name=name,
            agency=agency,
            date_formats=dates,
            codes=codes,
            lines=lines,
            delimiter=str(options.get("delimiter", ",")),
            encoding=str(options.get("encoding", "utf-8-sig")),
        )
        for index, line in enumerate(lines):
            mapping._check_line(line, f"lines[{index}]", fail)
        return mapping

    def _check_line(self, line: Any, where: str, fail: Any) -> None:
        if not isinstance(line, dict) or line.get("kind") not in KINDS:
            raise fail(f"{where}.kind", f"expected one of {', '.join(KINDS)}")
        if set(line) - {"kind", "when", "fields"}:
            raise fail(where, f"unknown key {sorted(set(line) - {'kind', 'when', 'fields'})[0]!r}")
        if not isinstance(line.get("fields", {}), dict):
            raise fail(f"{where}.fields", "expected a map of feed fields")
        for cond in _conditions(line.get("when")):
            if not isinstance(cond, dict) or "column" not in cond:
                raise fail(f"{where}.when", "each condition needs a column")
        self._check_node(line.get("fields", {}), f"{where}.fields", fail)

    def _check_node(self, node: Any, where: str, fail: Any) -> None:
        if isinstance(node, list):
            for index, item in enumerate(node):
                self._check_node(item, f"{where}[{index}]", fail)
        elif isinstance(node, dict) and LEAF_KEYS & set(node):
            extra = set(node) - LEAF_OPTIONS
            if extra:
                raise fail(where, f"unknown option {sorted(extra)[0]!r}")
            if node.get("as", "text") not in AS_TYPES:
                raise fail(f"{where}.as", f"expected one of {', '.join(sorted(AS_TYPES))}")
            table = node.get("codes")
            if isinstance(table, str) and table not in self.codes:
                raise fail(f"{where}.codes", f"no code list named {table!r}")
        elif isinstance(node, dict) and {"as", "codes", "split", "required"} & set(node):
            raise fail(where, "needs a column, value or template")
        elif isinstance(node, dict):
            for key, value in node.items():
                self._check_node(value, f"{where}.{key}", fail)

    def columns(self) -> set[str]:
        """Every CSV column the mapping reads."""
        found: set[str] = set()

        def walk(node: Any) -> None:
            if isinstance(node, list):
                for item in node:
                    walk(item)
            elif isinstance(node, dict):
                if "column" in node and isinstance(node["column"], str):
                    found.add(node["column"])
                if "template" in node and isinstance(node["template"], str):
                    found.update(_TEMPLATE_NAME.findall(node["template"]))
                for key, value in node.items():
                    if key not in ("codes", "value"):
                        walk(value)

        for line in self.lines:
            walk(line.get("fields", {}))
            for cond in _conditions(line.get("when")):
                found.add(str(cond["column"]))
        return found

    # -- mapping rows ----------------------------------------------------------------------
    def preamble(self) -> list[dict[str, Any]]:
        """The agency line the mapping declares, when it names the agency's name or sector."""
        if len(self.agency) == 1:
            return []
        return [{"kind": "agency", **self.agency}]

    def map_row(self, row: dict[str, str]) -> list[dict[str, Any]]:
        """The feed lines one row makes; raise _RowProblem naming the column and value."""
        out = []
        for line in self.lines:
            if not all(_holds(cond, row) for cond in _conditions(line.get("when"))):
                continue
            obj: dict[str, Any] = {"kind": line["kind"]}
            if line["kind"] != "agency":
                obj["agency"] = self.agency["code"]
            columns: dict[str, str] = {}
            built = self._build(_expand(line.get("fields", {})), row, columns, "")
            obj.update(built if isinstance(built, dict) else {})
            raw = json.dumps(obj, ensure_ascii=False)
            try:
                read_line(raw)
            except LineRejected as exc:
                column = _column_for(str(exc), columns)
                raise _RowProblem(column, row.get(column, "") if column else "", str(exc)) from None
            out.append(obj)
        return out

    def _build(self, node: Any, row: dict[str, str], columns: dict[str, str], path: str) -> Any:
        if isinstance(node, list):
            items = [
                self._build(item, row, columns, path)
                for item in node
                # An object in a list (a subject) is left out when a cell it reads is empty.
                if not _is_object(item)
                or all(self._build(v, row, {}, path) is not _MISSING for v in item.values())
            ]
            return [item for item in items if item is not _MISSING]
        if isinstance(node, dict) and LEAF_KEYS & set(node):
            return self._leaf(node, row, columns, path)
        if isinstance(node, dict):
            built = {}
            for key, value in node.items():
                child = self._build(value, row, columns, f"{path}.{key}" if path else key)
                if child is not _MISSING and child != {}:
                    built[key] = child
            return built
        return node

    def _leaf(
        self, spec: dict[str, Any], row: dict[str, str], columns: dict[str, str], path: str
    ) -> Any:
        column = ""
        if "value" in spec:
            return spec["value"]
        if "column" in spec:
            column = str(spec["column"])
            text = (row.get(column) or "").strip()
        else:
            names = _TEMPLATE_NAME.findall(spec["template"])
            column = names[0] if names else ""
            values = {n: (row.get(n) or "").strip() for n in names}
            text = "" if any(not v for v in values.values()) else spec["template"].format(**values)
        if column:
            columns[path] = column
        if not text:
            if spec.get("required"):
                raise _RowProblem(column, "", f"{path}: empty")
            return spec["default"] if "default" in spec else _MISSING
        kind = spec.get("as", "text")
        if kind == "list" or "split" in spec:
            parts = [p.strip() for p in text.split(spec.get("split", ";")) if p.strip()]
            return [self._convert(p, spec, column, path, "text") for p in parts]
        return self._convert(text, spec, column, path, kind)

    def _convert(self, text: str, spec: dict[str, Any], column: str, path: str, kind: str) -> Any:
        table = spec.get("codes")
        if table is not None:
            codes = self.codes[table] if isinstance(table, str) else table
            if text in codes:
                return codes[text]
            folded = {str(k).casefold(): v for k, v in codes.items()}
            if text.casefold() in folded:
                return folded[text.casefold()]
            if "*" in codes:
                return codes["*"]
            raise _RowProblem(column, text, f"{path}: not in code list {table!r}")
        if kind in ("date", "moment"):
            for fmt in self.date_formats:
                try:
                    parsed = datetime.strptime(text, fmt)  # noqa: DTZ007 - UK local, as feeds
                except ValueError:
                    continue
                if kind == "date" and parsed.time() == datetime.min.time():
                    return parsed.date().isoformat()
                return parsed.isoformat(timespec="seconds")
            raise _RowProblem(column, text, f"{path}: not a date in {', '.join(self.date_formats)}")
        if kind == "bool":
            if text.casefold() in TRUE_WORDS:
                return True
            if text.casefold() in FALSE_WORDS:
                return False
            raise _RowProblem(column, text, f"{path}: not yes or no")
        if kind == "number":
            try:
                number = float(text)
            except ValueError:
                raise _RowProblem(column, text, f"{path}: not a number") from None
            return int(number) if number.is_integer() else number
        return text


@dataclass
class MapResult:
    rows: int = 0
    lines: int = 0
    errors: list[RowError] = field(default_factory=list)


def map_csv(mapping: Mapping, csv_path: Path, out: TextIO, name: str | None = None) -> MapResult:
    """Write the feed lines of every row of `csv_path` to `out`, one JSON object a line.

    Rows are read one at a time; a bad row is collected as a RowError and the rest is taken.
    Raises MappingError when the file cannot be read or lacks a column the mapping reads.
    """
    name = name or str(csv_path)
    result = MapResult()
    for obj in mapping.preamble():
        out.write(json.dumps(obj, ensure_ascii=False) + "\n")
        result.lines += 1
    for row_no, row in _rows(mapping, csv_path, name):
        result.rows += 1
        try:
            lines = mapping.map_row(row)
        except _RowProblem as exc:
            result.errors.append(RowError(name, row_no, exc.column, exc.value, exc.message, row))
            continue
        for obj in lines:
            out.write(json.dumps(obj, ensure_ascii=False) + "\n")
        result.lines += len(lines)
    return result


def _rows(mapping: Mapping, csv_path: Path, name: str) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        handle = csv_path.open(encoding=mapping.encoding, newline="")
    except OSError as exc:
        raise MappingError(f"{name}: cannot read: {exc.strerror or exc}") from None
    with handle:
        reader = csv.DictReader(handle, delimiter=mapping.delimiter)
        try:
            header = reader.fieldnames or []
        except (UnicodeDecodeError, csv.Error) as exc:
            raise MappingError(f"{name}: not a CSV file: {exc}") from None
        missing = sorted(mapping.columns() - set(header))
        if missing:
            raise MappingError(f"{name}: no column {missing[0]!r}, which {mapping.name} reads")
        row_no = 1
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except (UnicodeDecodeError, csv.Error) as exc:
                raise MappingError(f"{name}: row {row_no + 1}: not readable: {exc}") from None
            row_no += 1
            yield row_no, {k: v for k, v in row.items() if isinstance(k, str)}


def _is_object(node: Any) -> bool:
    return isinstance(node, dict) and not LEAF_KEYS & set(node)


def _conditions(when: Any) -> list[Any]:
    if when is None:
        return []
    return when if isinstance(when, list) else [when]


def _holds(cond: dict[str, Any], row: dict[str, str]) -> bool:
    value = (row.get(str(cond["column"])) or "").strip()
    if "in" in cond:
        return value in [str(v) for v in cond["in"]]
    if "not_in" in cond:
        return value not in [str(v) for v in cond["not_in"]]
    if cond.get("empty") is True:
        return not value
    return bool(value)  # by default: the column is filled


def _expand(fields: dict[str, Any]) -> dict[str, Any]:
    """`details.concerns: ...` is written as {"details": {"concerns": ...}}."""
    out: dict[str, Any] = {}
    for key, value in fields.items():
        parts = str(key).split(".")
        target = out
        for part in parts[:-1]:
            target = target.setdefault(part, {})
        target[parts[-1]] = value
    return out


def _column_for(message: str, columns: dict[str, str]) -> str:
    """The column that fed the field a rejection names (`event 'X': occurred_at: ...`)."""
    for path, column in sorted(columns.items(), key=lambda item: -len(item[0])):
        if f": {path}:" in message or f": {path.split('.')[-1]}:" in message:
            return column
    return ""
