"""One vocabulary for the YAML newsgen reads: front matter, ``newsgen.yaml`` and
``data/authors.yaml``.

Each key is described once by a ``FieldSpec``: its name, the ``Converter`` that checks
and reads its value, whether it is required, its default, and whether cards and teasers
show it. A ``FieldTable`` reads a whole mapping with its specs and words every problem
the same way in every file::

    'title' must be text, not a list
    missing required field 'title'
    unknown key 'per_pgae' (did you mean 'per_page'?)

A table's ``layout()`` names its keys, converters and flags: the build state is keyed
on it, so adding a field (or changing one) makes the next build read the sources again.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timezone, tzinfo
from typing import Any

from .dates import parse_date

_HINTED_KNOWN = 8  # a table this small lists its keys when an unknown one resembles none
KeyPath = tuple["str | int", ...]  # keys and list positions (from 0) down to a value
Problem = tuple[KeyPath, str]  # where a problem is, from the top of the mapping read, and what


class Invalid(ValueError):
    """A value a converter refuses. Without a message, the field's uniform wording is
    used (``'<name>' must be <expected>, not <value>``); ``hint`` is added after it."""

    def __init__(self, message: str = "", hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


@dataclass
class ReadContext:
    """What converters may need while a table is read: the zone of dates without an
    offset, the dotted name of the field being read, and a place for further problems
    (a converter of a mapping can report several at once, each at its ``path`` below
    the field)."""

    tz: tzinfo = timezone.utc
    name: str = ""
    problems: list[Problem] = field(default_factory=list)

    def problem(self, message: str, path: KeyPath = ()) -> None:
        self.problems.append((path, message))

    def problems_below(self, problems: Iterable[Problem], *parent: str | int) -> None:
        """Problems of a table read inside this field, at ``parent`` below it."""
        self.problems += [((*parent, *path), message) for path, message in problems]


@dataclass(frozen=True)
class Converter:
    """Checks one YAML value and reads it into what newsgen uses.

    ``expected`` completes "must be …"; ``key`` names the converter in the build state's
    layout (two converters with one key must read values alike)."""

    expected: str
    read: Callable[[Any, ReadContext], Any]
    key: str = ""

    def layout(self) -> str:
        return self.key or f"{self.read.__module__}.{self.read.__qualname__}"


@dataclass(frozen=True)
class FieldSpec:
    """One key of a YAML mapping. ``teaser``: cards and teasers (listings, sidebars, feed
    entries) show it, so a page listing the article depends on it."""

    name: str
    convert: Converter
    required: bool = False
    default: Any = None
    teaser: bool = False


def shown(value: object) -> str:
    """``value`` as an error message quotes it: short, and as YAML would write it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "nothing"
    if isinstance(value, str):
        return repr(value if len(value) <= 60 else value[:57] + "...")
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (date, datetime)):
        return "a date"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def must_be(name: str, expected: str, value: object, hint: str = "") -> str:
    return f"'{name}' must be {expected}, not {shown(value)}{hint}"


def missing(name: str) -> str:
    return f"missing required field '{name}'"


def did_you_mean(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str:
    """`` (did you mean 'x'?)`` for the choice closest to ``word``, or ""."""
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=cutoff)
    return f" (did you mean {close[0]!r}?)" if close else ""


def unknown_key(name: str, known: Iterable[str], prefix: str = "") -> str:
    """The wording for a key no table row describes; a small table lists its keys."""
    names = sorted(known)
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    hint = f" (did you mean {prefix + close[0]!r}?)" if close else ""
    if not close and len(names) <= _HINTED_KNOWN:
        hint = f" (known: {', '.join(names)})"
    return f"unknown key {prefix + name!r}{hint}"


class FieldTable:
    """The fields of one kind of YAML mapping, read together.

    ``open``: keys the table does not describe are allowed (front matter keeps them for
    templates); otherwise each is an "unknown key" problem with a "did you mean".
    """

    def __init__(self, specs: Iterable[FieldSpec], open: bool = False) -> None:
        self._specs: dict[str, FieldSpec] = {}
        self.open = open
        for spec in specs:
            self.add(spec)

    def add(self, spec: FieldSpec) -> None:
        if spec.name in self._specs:
            raise ValueError(f"the field {spec.name!r} is described twice")
        self._specs[spec.name] = spec

    def remove(self, name: str) -> None:
        del self._specs[name]

    def __contains__(self, name: object) -> bool:
        return name in self._specs

    def __iter__(self) -> Iterator[FieldSpec]:
        return iter(self._specs.values())

    @property
    def names(self) -> frozenset[str]:
        return frozenset(self._specs)

    def layout(self) -> str:
        """Every row as the build state is keyed on it."""
        return repr(
            [
                (s.name, s.convert.layout(), s.required, repr(s.default), s.teaser)
                for s in self._specs.values()
            ]
        )

    def read(
        self,
        raw: Mapping[Any, Any],
        tz: tzinfo = timezone.utc,
        only: Iterable[str] | None = None,
        prefix: str = "",
    ) -> tuple[dict[str, Any], list[Problem]]:
        """Every field's value (its default when absent or wrong) and the problems, each
        as (the path of keys to what it is about, message). ``only`` reads some fields
        alone; ``prefix`` goes before names in messages (``feeds.``)."""
        values: dict[str, Any] = {}
        problems: list[Problem] = []
        wanted = self._specs if only is None else {n: self._specs[n] for n in only}
        for name, spec in wanted.items():
            value = raw.get(name)
            values[name] = spec.default
            if value is None:
                if spec.required:
                    problems.append(((name,), missing(prefix + name)))
                continue
            context = ReadContext(tz=tz, name=prefix + name)
            try:
                values[name] = spec.convert.read(value, context)
            except Invalid as exc:
                wording = must_be(prefix + name, spec.convert.expected, value, exc.hint)
                problems.append(((name,), exc.message or wording))
            problems += [((name, *path), message) for path, message in context.problems]
            if spec.required and values[name] == "":
                problems.append(((name,), f"'{prefix + name}' must not be empty"))
        if not self.open:
            for key in raw:
                if key not in self._specs:
                    problems.append(((key,), unknown_key(str(key), self._specs, prefix)))
        return values, problems


# The converters every table uses.


def _text(value: Any, context: ReadContext) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise Invalid
    return str(value).strip()


def _flag(value: Any, context: ReadContext) -> bool:
    if not isinstance(value, bool):
        raise Invalid
    return value


def _date(value: Any, context: ReadContext) -> datetime:
    try:
        return parse_date(value, context.tz)
    except ValueError:
        raise Invalid from None


def _names(value: Any, context: ReadContext) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    if not all(isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in items):
        raise Invalid
    return tuple(dict.fromkeys(text for v in items if (text := str(v).strip())))


def _labelled_text(value: Any, context: ReadContext) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise Invalid
    return tuple(value.items())


TEXT = Converter("text", _text, "text")
FLAG = Converter("true or false", _flag, "flag")
DATE = Converter(
    "a date like 2026-01-28T09:30:00+01:00 or 2026-01-28 09:30:00 +0100", _date, "date"
)
NAMES = Converter("a name or a list of names", _names, "names")
LINKS = Converter("a mapping of labels to addresses", _labelled_text, "links")


def whole(minimum: int | None = None) -> Converter:
    """A whole number, at least ``minimum`` when given."""
    expected = "a whole number" + (f" of at least {minimum}" if minimum is not None else "")

    def read(value: Any, context: ReadContext) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise Invalid
        if minimum is not None and value < minimum:
            raise Invalid
        return value

    return Converter(expected, read, f"whole({minimum})")


def choice(values: Iterable[str], empty: str = "") -> Converter:
    """One of ``values`` (as text); ``empty`` is the value it reads as nothing."""
    allowed = tuple(values)

    def read(value: Any, context: ReadContext) -> str:
        text = _text(value, context)
        if text and text not in allowed:
            raise Invalid(hint=did_you_mean(text, allowed))
        return "" if text == empty else text

    return Converter(f"one of {', '.join(allowed)}", read, f"choice{allowed!r}/{empty}")


def checked(base: Converter, test: Callable[[Any], bool], expected: str, key: str) -> Converter:
    """``base``, then ``test`` on what it read: ``expected`` words both."""

    def read(value: Any, context: ReadContext) -> Any:
        result = base.read(value, context)
        if not test(result):
            raise Invalid
        return result

    return Converter(expected, read, f"{base.layout()}|{key}")


def table(fields: FieldTable, expected: str) -> Converter:
    """A mapping read with its own table; its problems are named ``parent.key``."""

    def read(value: Any, context: ReadContext) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise Invalid
        values, problems = fields.read(value, context.tz, prefix=context.name + ".")
        context.problems_below(problems)
        return values

    return Converter(expected, read, f"table{fields.layout()}")


def plain(function: Callable[[Any], Any], expected: str = "") -> Converter:
    """A converter from a function of the value alone (a plugin's, say). A ``ValueError``
    or ``TypeError`` it raises is the field's error: worded as every other when
    ``expected`` is given, else ``'<name>': <the exception's text>``."""

    def read(value: Any, context: ReadContext) -> Any:
        try:
            return function(value)
        except (ValueError, TypeError) as exc:
            raise Invalid("" if expected else f"'{context.name}': {exc}") from None

    key = f"plain:{function.__module__}.{function.__qualname__}"
    return Converter(expected or "what its reader accepts", read, key)
