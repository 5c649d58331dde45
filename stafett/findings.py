"""Findings: problems as values with a place, the way beancount and ruff report them.

A finding carries a `loc` (the path of keys and indexes in the record); the file position is filled in
later, only for files that have findings, from the strict loader's nodes.

Its words: a rule gives `Msg(N_("english {name}"), name=value)`; the finding keeps that (msgid and values) and
its text in the reader's language. The cache stores the Msg, not the text (`to_cache`/`from_cache`), so a
result cached for an English run is shown in nynorsk to a nynorsk reader: the words are made when shown.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import typing
from dataclasses import dataclass, field, replace
from typing import Any, Literal, Optional, Union

from stafett.i18n import N_, _, date_text, time_text

Severity = Literal["error", "warning"]


class Msg:
    """A text not yet in words: its English msgid (marked with N_ where written) and named values. A value
    may be a date (shown as the reader writes dates), a datetime, a number, a string or another Msg."""

    __slots__ = ("msgid", "args")

    def __init__(self, msgid: str, **args: Any) -> None:
        self.msgid = msgid
        self.args = args

    def __str__(self) -> str:
        return render(self)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Msg) and (self.msgid, self.args) == (other.msgid, other.args)

    def __hash__(self) -> int:
        return hash(self.msgid)

    def __repr__(self) -> str:
        return f"Msg({self.msgid!r}, **{self.args!r})"


def _value(v: Any) -> Any:
    if isinstance(v, Msg):
        return render(v)
    if isinstance(v, dt.datetime):
        return f"{date_text(v.date())} {time_text(v)}"
    if isinstance(v, dt.date):
        return date_text(v)
    return v


def render(text: Union[Msg, str, None]) -> Optional[str]:
    """The words of a Msg in the language of the moment (a plain string is already words)."""
    if not isinstance(text, Msg):
        return text
    words = _(text.msgid)
    return words.format(**{k: _value(v) for k, v in text.args.items()}) if text.args else words


def _encode(v: Any) -> Any:
    if isinstance(v, Msg):
        return {"m": v.msgid, "a": {k: _encode(x) for k, x in v.args.items()}}
    if isinstance(v, dt.datetime):
        return {"t": v.isoformat()}
    if isinstance(v, dt.date):
        return {"d": v.isoformat()}
    return v


def _decode(v: Any) -> Any:
    if isinstance(v, dict):
        if "m" in v:
            return Msg(v["m"], **{k: _decode(x) for k, x in (v.get("a") or {}).items()})
        if "t" in v:
            return dt.datetime.fromisoformat(v["t"])
        if "d" in v:
            return dt.date.fromisoformat(v["d"])
    return v


@dataclass(frozen=True)
class Finding:
    """`message` and `hint` are the words shown; give either as a Msg and the finding keeps it (`text`,
    `hint_text`) to say it again in another language (`shown`)."""

    code: str
    message: str
    severity: Severity = "error"
    loc: tuple = ()
    hint: Optional[str] = None
    path: str = ""
    line: int = 0
    col: int = 0
    on_key: bool = field(default=False, compare=False)  # point at the key rather than its value
    text: Optional[Msg] = field(default=None, compare=False, repr=False)
    hint_text: Optional[Msg] = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if isinstance(self.message, Msg):
            object.__setattr__(self, "text", self.message)
            object.__setattr__(self, "message", render(self.message))
        if isinstance(self.hint, Msg):
            object.__setattr__(self, "hint_text", self.hint)
            object.__setattr__(self, "hint", render(self.hint))

    def at(self, path: str, line: int, col: int) -> "Finding":
        return replace(self, path=path, line=line, col=col)

    def shown(self) -> "Finding":
        """The finding in the language of the moment (it may have been made in a worker, or cached)."""
        if self.text is None and self.hint_text is None:
            return self
        return replace(self, message=render(self.text) if self.text is not None else self.message,
                       hint=render(self.hint_text) if self.hint_text is not None else self.hint)

    def to_cache(self) -> dict:
        """What the cache keeps: machine fields, and the Msg rather than its words where there is one."""
        out = self.as_dict()
        if self.text is not None:
            out["message"], out["text"] = None, _encode(self.text)
        if self.hint_text is not None:
            out["hint"], out["hint_text"] = None, _encode(self.hint_text)
        return out

    @classmethod
    def from_cache(cls, d: dict, path: str) -> "Finding":
        """A cached finding, put in words now (in the reader's language)."""
        text, hint_text = _decode(d.get("text")), _decode(d.get("hint_text"))
        return cls(d["code"], text if isinstance(text, Msg) else d["message"], d["severity"], tuple(d["loc"]),
                   hint_text if isinstance(hint_text, Msg) else d["hint"], path, d["line"], d["col"])

    def for_ci(self) -> "Finding":
        """The finding as a CI log may show it: no value from the file that is not a code, id or number."""
        return replace(self, message=ci_safe(self.message), hint=ci_safe(self.hint) if self.hint else self.hint,
                       text=None, hint_text=None)

    def as_dict(self) -> dict:
        return {"path": self.path, "line": self.line, "col": self.col, "code": self.code,
                "severity": self.severity, "message": self.message, "hint": self.hint,
                "loc": [str(p) if isinstance(p, int) or safe_token(str(p)) else "?" for p in self.loc]}


def locate(root: Any, loc: tuple, on_key: bool = False) -> tuple[int, int]:
    """Line and column (1-based) of the deepest node on `loc` that exists in the composed document."""
    if root is None:
        return 1, 1
    node, key_node = root, None
    for step in loc:
        value = getattr(node, "value", None)
        if not isinstance(value, list):
            break
        if isinstance(step, int):
            if value and isinstance(value[0], tuple) or step >= len(value):
                break
            node, key_node = value[step], None
        else:
            for k, v in value:
                if isinstance(k.value, str) and k.value == step:
                    node, key_node = v, k
                    break
            else:
                break
    target = key_node if (on_key and key_node is not None) else node
    return target.start_mark.line + 1, target.start_mark.column + 1


# --- pydantic errors as findings --------------------------------------------------------------------

def _unwrap(annotation: Any) -> Any:
    """The model class inside Optional[...] / list[...] / Annotated[...], if any."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (Union, list, getattr(__import__("types"), "UnionType", Union)):
        for arg in typing.get_args(annotation):
            found = _unwrap(arg)
            if found is not None:
                return found
        return None
    return annotation if isinstance(annotation, type) and hasattr(annotation, "model_fields") else None


def known_keys(model: type, loc: tuple) -> list[str]:
    """Field names of the model reached by `loc` (used to suggest the key a typo meant)."""
    current: Any = model
    for step in loc:
        if isinstance(step, int):
            continue
        info = current.model_fields.get(step)
        if info is None:
            return []
        nxt = _unwrap(info.annotation)
        if nxt is None:
            return []
        current = nxt
    return list(current.model_fields)


def from_validation_error(error: Any, model: type) -> list[Finding]:
    out: list[Finding] = []
    for err in error.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and (p.startswith("function-") or "[" in p)))
        kind = err["type"]
        if kind == "extra_forbidden":
            key = str(loc[-1]) if loc else "?"
            options = known_keys(model, loc[:-1])
            close = difflib.get_close_matches(key, options, n=1, cutoff=0.6)
            hint = Msg(N_("did you mean '{key}'?"), key=close[0]) if close else (
                Msg(N_("known keys here: {keys}"), keys=", ".join(options)) if options else None)
            # A key is echoed only when it looks like one; a name typed as a key stays out of CI logs.
            message = Msg(N_("unknown key '{key}'"), key=key) if safe_token(key) else Msg(N_("unknown key here"))
            out.append(Finding("S002", message, loc=loc, hint=hint, on_key=True))
        elif kind == "missing":
            key = str(loc[-1]) if loc else "?"
            out.append(Finding("S003", Msg(N_("required key '{key}' is missing"), key=key), loc=loc[:-1],
                               hint=Msg(N_("add '{key}:'"), key=key), on_key=True))
        else:
            where = ".".join(str(p) if isinstance(p, int) or safe_token(str(p)) else "?" for p in loc)
            got = _shown_input(kind, err.get("input"), (err.get("ctx") or {}).get("expected", ""))
            if not where:  # a check on the whole record (a model validator at the top)
                message = Msg(N_("record: {problem}"), problem=problem(err))
            elif got is None:
                message = Msg(N_("{where}: {problem}"), where=where, problem=problem(err))
            else:
                message = Msg(N_("{where}: {problem} (got {value})"), where=where, problem=problem(err), value=got)
            out.append(Finding("S001", message, loc=loc))
    return out


class Invalid(ValueError):
    """A model validator's complaint, kept as a Msg: validate shows it in the reader's language."""

    def __init__(self, msgid: str, **args: Any) -> None:
        self.msg = Msg(msgid, **args)
        super().__init__(msgid)

    def __str__(self) -> str:
        return render(self.msg)


# pydantic's own wording (pydantic_core's message templates, word for word in English) by error type.
_PYDANTIC = {
    "missing": N_("Field required"),
    "extra_forbidden": N_("Extra inputs are not permitted"),
    "string_type": N_("Input should be a valid string"),
    "string_pattern_mismatch": N_("String should match pattern '{pattern}'"),
    "string_too_long": N_("String should have at most {max_length} characters"),
    "int_type": N_("Input should be a valid integer"),
    "int_parsing": N_("Input should be a valid integer, unable to parse string as an integer"),
    "int_from_float": N_("Input should be a valid integer, got a number with a fractional part"),
    "float_type": N_("Input should be a valid number"),
    "float_parsing": N_("Input should be a valid number, unable to parse string as a number"),
    "bool_type": N_("Input should be a valid boolean"),
    "bool_parsing": N_("Input should be a valid boolean, unable to interpret input"),
    "dict_type": N_("Input should be a valid dictionary"),
    "list_type": N_("Input should be a valid list"),
    "model_type": N_("Input should be a valid dictionary or instance of {class_name}"),
    "model_attributes_type": N_("Input should be a valid dictionary or object to extract fields from"),
    "none_required": N_("Input should be None"),
    "literal_error": N_("Input should be {expected}"),
    "greater_than": N_("Input should be greater than {gt}"),
    "greater_than_equal": N_("Input should be greater than or equal to {ge}"),
    "less_than": N_("Input should be less than {lt}"),
    "less_than_equal": N_("Input should be less than or equal to {le}"),
    "date_type": N_("Input should be a valid date"),
    "date_parsing": N_("Input should be a valid date in the format YYYY-MM-DD, {error}"),
    "date_from_datetime_parsing": N_("Input should be a valid date or datetime, {error}"),
    "date_from_datetime_inexact": N_("Datetimes provided to dates should have zero time - e.g. be exact dates"),
    "datetime_type": N_("Input should be a valid datetime"),
    "datetime_parsing": N_("Input should be a valid datetime, {error}"),
    "datetime_from_date_parsing": N_("Input should be a valid datetime or date, {error}"),
    "time_type": N_("Input should be a valid time"),
    "time_parsing": N_("Input should be in a valid time format, {error}"),
    "timezone_naive": N_("Input should not have timezone info"),
    "timezone_aware": N_("Input should have timezone info"),
}
# The date and time reader's details (speedate), the common ones; any other stays as pydantic says it.
_DETAIL = {d: d for d in (
    N_("input is too short"),
    N_("input is too long"),
    N_("invalid character in year"),
    N_("invalid character in month"),
    N_("invalid character in day"),
    N_("invalid date separator, expected `-`"),
    N_("month value is outside expected range of 1-12"),
    N_("day value is outside expected range"),
    N_("input contains invalid characters"),
    N_("unexpected extra characters at the end of the input"),
    N_("invalid character in hour"),
    N_("invalid character in minute"),
    N_("invalid time separator, expected `:`"),
    N_("hour value is outside expected range of 0-23"),
    N_("minute value is outside expected range of 0-59"),
    N_("second value is outside expected range of 0-59"),
    N_("invalid timezone sign"),
)}


def problem(err: dict) -> Union[Msg, str]:
    """What pydantic found wrong with a value, as a Msg where the wording is known (else pydantic's English)."""
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if isinstance(ctx.get("error"), Invalid):
        return ctx["error"].msg
    template = _PYDANTIC.get(kind)
    if kind == "string_too_short" and ctx.get("min_length") == 1:
        return Msg(N_("String should have at least 1 character"))
    if kind == "string_too_long" and ctx.get("max_length") == 1:
        template = None
    if template is None:
        return str(err["msg"]).replace("Value error, ", "")
    args = {}
    for name in re.findall(r"\{(\w+)\}", template):
        value = ctx.get(name)
        if name == "error":
            value = Msg(_DETAIL[str(value)]) if str(value) in _DETAIL else str(value)
        elif name == "expected" and isinstance(value, str) and " or " in value:
            items, last = value.rsplit(" or ", 1)
            value = Msg(N_("{items} or {last}"), items=items, last=last)
        elif value is None:
            return str(err["msg"]).replace("Value error, ", "")
        args[name] = value if isinstance(value, (Msg, int, float)) and not isinstance(value, bool) else str(value)
    return Msg(template, **args)


_TOKEN = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")


def safe_token(text: str) -> bool:
    """An id, key or code that can be echoed: no spaces, capitals or digits-only strings (a name, a fnr)."""
    return bool(_TOKEN.fullmatch(text)) and not text.isdigit()


# A quoted value in a message: quotes that open and close at word edges, so "the child's voice" is none.
_QUOTED = re.compile(r"(?<!\w)'([^'\n]*)'(?!\w)|(?<!\w)\"([^\"\n]*)\"(?!\w)")
HIDDEN = "'…'"


def ci_safe(text: str) -> str:
    """Every quoted value that could be a person's data replaced by '…'. Messages quote what they take
    from a file (ids, keys, services, YAML's own excerpts); an id is pattern-checked, but a rule cannot
    know that a digits-only id is not a fødselsnummer, and a YAML error quotes raw characters."""
    def keep(m: re.Match) -> str:
        value = m.group(1) if m.group(1) is not None else m.group(2)
        if safe_token(value) or (value.startswith("^") and value.endswith("$")):  # a code, or a schema pattern
            return m.group(0)
        return HIDDEN

    return _QUOTED.sub(keep, text)


def _shown_input(kind: str, value: Any, expected: str) -> Optional[str]:
    """Echo a wrong value only when it cannot be personal: a small number out of range, or a near miss of
    a code (kategori: barnn). A finding must never copy a name, a story or a fødselsnummer into a log."""
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than") and \
            isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) < 10_000:
        return repr(value)
    if kind == "literal_error" and isinstance(value, str) and safe_token(value):
        options = re.findall(r"'([^']*)'", expected)
        if difflib.get_close_matches(value, options, n=1, cutoff=0.6):
            return repr(value)
    return None
