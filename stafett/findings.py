"""Findings: problems as values with a place, the way beancount and ruff report them.

A finding carries a `loc` (the path of keys and indexes in the record); the file position is filled in
later, only for files that have findings, from the strict loader's nodes.
"""

from __future__ import annotations

import difflib
import re
import typing
from dataclasses import dataclass, field, replace
from typing import Any, Literal, Optional, Union

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    code: str
    message: str
    severity: Severity = "error"
    loc: tuple = ()
    hint: Optional[str] = None
    path: str = ""
    line: int = 0
    col: int = 0
    on_key: bool = field(default=False, compare=False)  # point at the key rather than its value

    def at(self, path: str, line: int, col: int) -> "Finding":
        return replace(self, path=path, line=line, col=col)

    def for_ci(self) -> "Finding":
        """The finding as a CI log may show it: no value from the file that is not a code, id or number."""
        return replace(self, message=ci_safe(self.message), hint=ci_safe(self.hint) if self.hint else self.hint)

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
            hint = f"did you mean '{close[0]}'?" if close else (f"known keys here: {', '.join(options)}" if options else None)
            # A key is echoed only when it looks like one; a name typed as a key stays out of CI logs.
            shown = f"'{key}'" if safe_token(key) else "here"
            out.append(Finding("S002", f"unknown key {shown}", loc=loc, hint=hint, on_key=True))
        elif kind == "missing":
            key = str(loc[-1]) if loc else "?"
            out.append(Finding("S003", f"required key '{key}' is missing", loc=loc[:-1], hint=f"add '{key}:'", on_key=True))
        else:
            where = ".".join(str(p) if isinstance(p, int) or safe_token(str(p)) else "?" for p in loc) or "record"
            msg = err["msg"].replace("Value error, ", "")
            shown = _shown_input(kind, err.get("input"), (err.get("ctx") or {}).get("expected", ""))
            out.append(Finding("S001", f"{where}: {msg}{shown}", loc=loc))
    return out


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


def _shown_input(kind: str, value: Any, expected: str) -> str:
    """Echo a wrong value only when it cannot be personal: a small number out of range, or a near miss of
    a code (kategori: barnn). A finding must never copy a name, a story or a fødselsnummer into a log."""
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than") and \
            isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) < 10_000:
        return f" (got {value!r})"
    if kind == "literal_error" and isinstance(value, str) and safe_token(value):
        options = re.findall(r"'([^']*)'", expected)
        if difflib.get_close_matches(value, options, n=1, cutoff=0.6):
            return f" (got {value!r})"
    return ""
