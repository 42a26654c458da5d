"""Read staff-written YAML without YAML's surprises, keeping a line number for every value.

PyYAML's usual loaders turn ``no`` into ``False`` and ``01234`` into a number. Staff
never mean that, so we read every value as text (``BaseLoader``) and convert it
ourselves, field by field, naming the field and the line when it is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import yaml
    from yaml.nodes import MappingNode, Node, ScalarNode


def _yaml() -> ModuleType:
    """PyYAML, imported when a file is first read rather than when the kiosk starts: a start
    that finds its content index current reads no YAML at all (kiosk.contentcache), and
    importing PyYAML is about 100 M CPU instructions."""
    import yaml

    return yaml


def _loader(yaml: Any) -> Any:
    """libyaml's C parser when PyYAML has it (several times faster), with the same tree."""
    return getattr(yaml, "CBaseLoader", yaml.BaseLoader)


def _nodes() -> Any:
    import yaml.nodes

    return yaml.nodes


class FieldError(Exception):
    """A value in a YAML document is missing or of the wrong kind."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


MAX_DEPTH = 20  # lists and fields inside each other: staff files need 4


def _refuse_anchors(text: str, first_line: int) -> None:
    """Refuse anchors, aliases and deep nesting before building any tree.

    An alias repeats a part of the file; aliases of aliases make a 300-byte file expand to
    gigabytes (the "billion laughs"). Staff files never need them, so they are errors. The
    scan reads libyaml's events one by one, so it uses no memory and no recursion.
    """
    yaml = _yaml()
    depth = 0
    for event in yaml.parse(text, Loader=_loader(yaml)):
        line = first_line + (event.start_mark.line if event.start_mark else 0)
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise FieldError(line, "anchors and aliases (& and *) are not allowed; write the "
                             "value out in full, or put quotes around a value that starts "
                             "with & or *")
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise FieldError(line, f"lists and fields are nested more than {MAX_DEPTH} "
                                 "deep here; check the indentation and the [ ] and { }")
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


def parse(text: str, first_line: int = 1) -> Node | None:
    """Parse YAML into a node tree; ``first_line`` is the file line of the text's first line.

    Anchors and aliases are refused (FieldError), so the tree is never larger than the text.
    """
    yaml = _yaml()
    try:
        _refuse_anchors(text, first_line)
        node: Node | None = yaml.compose(text, Loader=_loader(yaml))
        return node
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + (mark.line if mark else 0)
        what = (exc.problem or "this is not valid YAML").strip()
        lines = text.split("\n")
        row = mark.line if mark else 0
        quote_row = _unclosed_quote(lines, row, exc)
        if quote_row is not None:  # the mistake is where the quote opens, not where YAML gave up
            raise FieldError(first_line + quote_row, "the file cannot be read here: a quote "
                             "opens on this line but does not close on it (end the value with "
                             "the same quote, like  title: \"Back pain\")") from exc
        if (exc.context or "").startswith("while parsing a flow") and exc.context_mark:
            # An unclosed { or [: the mistake is where it opens, not where YAML gave up.
            row = exc.context_mark.line
            raise FieldError(first_line + row, f"the file cannot be read here: {what} (a value "
                             "that starts with { or [ needs quotes around the whole value)"
                             ) from exc
        advice = _explain(what)
        if 0 <= row < len(lines) and "\t" in lines[row]:
            advice = " (use spaces, not tabs, at the start of lines)"
        raise FieldError(line, f"the file cannot be read here: {what}{advice}") from exc
    except yaml.YAMLError as exc:  # pragma: no cover - other YAML errors carry no mark
        raise FieldError(first_line, f"the file cannot be read: {exc}") from exc


_QUOTED_VALUE = re.compile(r"""^\s*(?:-\s+)?(?:[^\s:"'][^:]*:\s+|-\s+|)(["'])(.*)$""")


def _unclosed_quote(lines: list[str], row: int, exc: yaml.MarkedYAMLError) -> int | None:
    """The line of a quoted value that never closes, at or before the error's line."""
    if exc.context == "while scanning a quoted scalar" and exc.context_mark is not None:
        return exc.context_mark.line
    for r in range(min(row, len(lines) - 1), -1, -1):
        match = _QUOTED_VALUE.match(lines[r])
        if match is None:
            continue
        quote, rest = match.groups()
        swallowed = "\n".join([rest, *lines[r + 1:row + 1]])
        if quote == "'":
            swallowed = swallowed.replace("''", "")
        closed = re.search(r'(?<!\\)"' if quote == '"' else "'", swallowed)
        inside = swallowed[:closed.start()] if closed else swallowed
        # A quote that never closes, or closes only after swallowing the next field's line.
        if "\n" in inside and (closed is None or _FIELD_LINE.search(inside)):
            return r
    return None


_FIELD_LINE = re.compile(r"\n\s*(?:-\s|[\w.\-]+:(?:\s|$))")

_EXPLAIN = (
    ("mapping values are not allowed", "a ':' inside a value needs quotes around the whole "
     "value, like  title: \"Pain: what helps\""),
    ("'\\t'", "use spaces, not tabs, at the start of lines"),
    ("expected <block end>", "check the indentation: items of one list line up under "
     "each other"),
    ("did not find expected key", "check the indentation; a value that starts with a quote "
     "or { needs quotes around the whole value"),  # libyaml's words for the same
    ("did not find expected alphabetic or numeric character", "a value starting with '*' or "
     "'&' needs quotes"),
    ("did not find expected comment or line break", "put the value in quotes"),
    ("did not find expected '-' indicator", "check the indentation: the lines of one item "
     "line up under each other, like the example in docs/AUTHORING.md"),
    ("found character", "put the value in quotes"),
    ("expected chomping or indentation", "a value starting with '|' or '>' needs quotes"),
    ("expected a comment or a line break", "put the value in quotes"),
)


def _explain(problem: str) -> str:
    for needle, advice in _EXPLAIN:
        if needle in problem:
            return f" ({advice})"
    return ""


def _line(node: Node, offset: int) -> int:
    return offset + node.start_mark.line


_TRUE = {"true", "yes", "on"}
_FALSE = {"false", "no", "off"}


@dataclass
class Fields:
    """A YAML mapping whose fields are read one by one, with their line numbers."""

    node: MappingNode
    offset: int  # file line of the YAML text's first line
    where: str = ""  # e.g. "question 2, answer 1: " to prefix messages

    @classmethod
    def of(cls, node: Node | None, offset: int, what: str, where: str = "") -> Fields:
        if node is None:
            raise FieldError(offset, f"{where}{what} is empty; it needs some fields")
        if not isinstance(node, _nodes().MappingNode):
            raise FieldError(
                _line(node, offset), f"{where}{what} must be a list of 'name: value' fields"
            )
        return cls(node, offset, where)

    def __post_init__(self) -> None:
        self._items: dict[str, tuple[ScalarNode, Node]] = {}
        self._used: set[str] = set()
        self._duplicates: list[tuple[str, int]] = []
        for key_node, value_node in self.node.value:
            if not isinstance(key_node, _nodes().ScalarNode):
                raise FieldError(_line(key_node, self.offset), f"{self.where}a field name "
                                 "must be plain words before the ':', not a list or a table")
            key = str(key_node.value)
            if key in self._items:
                self._duplicates.append((key, _line(key_node, self.offset)))
            self._items[key] = (key_node, value_node)

    @property
    def line(self) -> int:
        return _line(self.node, self.offset)

    def line_of(self, key: str) -> int:
        if key in self._items:
            return _line(self._items[key][0], self.offset)
        return self.line

    def has(self, key: str) -> bool:
        return key in self._items

    def _value(self, key: str, required: bool) -> Node | None:
        self._used.add(key)
        if key not in self._items:
            if required:
                import difflib  # only when there is a mistake to suggest a fix for

                typo = difflib.get_close_matches(key, [k for k in self._items
                                                       if k not in self._used], n=1)
                hint = f" (is '{typo[0]}' a misspelling of '{key}'?)" if typo else ""
                line = self.line_of(typo[0]) if typo else self.line
                raise FieldError(line, f"{self.where}the field '{key}' is missing{hint}")
            return None
        return self._items[key][1]

    def _scalar(self, key: str, required: bool, kind: str) -> tuple[str, int] | None:
        node = self._value(key, required)
        if node is None:
            return None
        line = _line(node, self.offset)
        if not isinstance(node, _nodes().ScalarNode):
            raise FieldError(line, f"{self.where}'{key}' must be {kind}, on one line")
        return str(node.value), line

    def text(self, key: str, *, required: bool = True, max_len: int | None = None) -> str | None:
        """A field of plain text: any value, kept exactly as written."""
        got = self._scalar(key, required, "text")
        if got is None:
            return None
        value, line = got
        value = value.strip()
        node = self._items[key][1]
        # A value starting with '!' is a YAML "tag": the word after '!' would vanish silently.
        if isinstance(node, _nodes().ScalarNode) and node.tag and node.tag.startswith("!"):
            raise FieldError(line, f"{self.where}'{key}' starts with a character YAML keeps "
                             "for itself; put the value in quotes")
        if required and not value:
            raise FieldError(line, f"{self.where}'{key}' is empty; write some text after the colon")
        if max_len is not None and len(value) > max_len:
            raise FieldError(
                line,
                f"{self.where}'{key}' is {len(value)} characters long; "
                f"keep it to {max_len} so it fits on the screen",
            )
        return value

    def integer(self, key: str, *, required: bool = True) -> int | None:
        got = self._scalar(key, required, "a whole number")
        if got is None:
            return None
        value, line = got
        try:
            return int(value.strip(), 10)
        except ValueError:
            raise FieldError(
                line, f"{self.where}'{key}' must be a whole number like 3, not '{value}'"
            ) from None

    def boolean(self, key: str, *, default: bool = False) -> bool:
        got = self._scalar(key, False, "true or false")
        if got is None:
            return default
        value, line = got
        low = value.strip().lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        raise FieldError(line, f"{self.where}'{key}' must be true or false, not '{value}'")

    def sequence(self, key: str, *, required: bool = True) -> Iterator[tuple[int, Node]]:
        """The items of a list field, numbered from 1."""
        node = self._value(key, required)
        if node is None:
            return iter(())
        if not isinstance(node, _nodes().SequenceNode):
            raise FieldError(
                _line(node, self.offset),
                f"{self.where}'{key}' must be a list, each item on its own line starting with '- '",
            )
        return iter(enumerate(node.value, start=1))

    def mapping(self, key: str) -> Node | None:
        return self._value(key, False)

    def unknown(self) -> list[FieldError]:
        """Fields nobody asked for (usually a typo), and fields written twice."""
        problems = [
            FieldError(line, f"{self.where}'{key}' is written twice; the last one is used")
            for key, line in self._duplicates
        ]
        known = sorted(self._used)
        for key, (key_node, _value) in self._items.items():
            if key in self._used:
                continue
            import difflib  # only when there is a mistake to suggest a fix for

            hint = difflib.get_close_matches(key, known, n=1)
            also = (f" (did you mean '{hint[0]}'?)" if hint
                    else f" (known fields: {', '.join(known)})")
            problems.append(
                FieldError(_line(key_node, self.offset), f"{self.where}unknown field '{key}'{also}")
            )
        return problems
