"""Reading YAML safely: byte checks, a strict loader (ruamel.yaml) and a fast loader (yaml-rs).

The strict loader is the reference: it sees tags, anchors, aliases, depth and duplicate keys, and gives
node positions. The fast loader is used only for documents a cheap screen proves it reads exactly as
the strict loader does (YAML 1.2, the Norway problem included); everything else goes the strict way.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from stafett.errors import CaseFileError

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 32
MAX_NODES = 50_000  # a rich case has ~2,000 values; 50k keeps the slow strict reader under a few seconds


@dataclass(frozen=True)
class Text:
    """Decoded file text with newlines normalised to \\n, and what to restore on write."""

    text: str
    newline: str = "\n"
    bom: bool = False

    def encode(self, text: str | None = None) -> bytes:
        body = self.text if text is None else text
        if self.newline != "\n":
            body = body.replace("\n", self.newline)
        return (b"\xef\xbb\xbf" if self.bom else b"") + body.encode("utf-8")


def decode(raw: bytes, path: str = "") -> Text:
    if len(raw) > MAX_BYTES:
        raise CaseFileError(f"file is {len(raw) // 1024} KiB, more than the {MAX_BYTES // 1024 // 1024} MiB a case may be",
                            "split old material out or check that this is a case file", path=path, line=1, col=1, code="Y005")
    nul = raw.find(b"\x00")
    if nul >= 0:
        line = raw.count(b"\n", 0, nul) + 1
        raise CaseFileError("file contains a NUL byte; it is binary or damaged", "restore it from git (git checkout -- FILE)",
                            path=path, line=line, col=1, code="Y004")
    bom = raw.startswith(b"\xef\xbb\xbf")
    try:
        text = raw[3:].decode("utf-8") if bom else raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        raise CaseFileError("file is not UTF-8", "save it as UTF-8 in your editor", path=path, line=line,
                            col=e.start - (raw.rfind(b"\n", 0, e.start) + 1) + 1, code="Y004") from None
    newline = "\r\n" if "\r\n" in text[: text.find("\n") + 1 or len(text)] else "\n"
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    return Text(text, newline, bom)


# --- the screen ------------------------------------------------------------------------------------
# yaml-rs differs from YAML 1.2 (as ruamel reads it) only around timestamps and a few exotic features;
# a document showing any of these goes to the strict loader. The screen must cost far less than a parse,
# so it uses str.find (memchr speed) for the few indicator characters and judges each hit's context.
# Control characters, NEL and the Unicode line separators are refused outright: YAML parsers disagree
# on them as line breaks.
_ODD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\t]")
_UNDERSCORE_DIGIT = re.compile(r"_[0-9]")
_NODE_BEFORE = frozenset(" \t\n[{,")
_VALUE_KEY_AFTER = frozenset(("", " ", "\n", ",", "]", "}", "#", ":"))


def _hits(text: str, ch: str):
    at = text.find(ch)
    while at >= 0:
        yield at
        at = text.find(ch, at + 1)


def _suspect(text: str) -> bool:
    if text.startswith(("%", "---")) or "<<" in text or "\n%" in text or "\n---" in text or "\n..." in text:
        return True  # merge keys, directives, several documents
    if _ODD_CHARS.search(text):
        return True
    for quote in "'\"":
        for at in _hits(text, quote):
            if text[at + 1:at + 5].isdigit() and text[at + 5:at + 6] == "-":
                return True  # quoted date-like text: yaml-rs would read a date
    for ch in "!&*":
        for at in _hits(text, ch):
            before = text[at - 1] if at else "\n"
            after = text[at + 1:at + 2]
            if before in _NODE_BEFORE and after and not after.isspace() and not (ch == "*" and after == "*"):
                return True  # a tag, anchor or alias where a node can start (Markdown's **bold** is none)
    for m in _UNDERSCORE_DIGIT.finditer(text):
        at = m.start()
        before = text[at - 1] if at else "\n"
        if not before.isalnum() or (before in "eE" and at > 1 and text[at - 2].isdigit()):
            return True  # _0, 1e_3: numbers to yaml-rs (YAML 1.1 underscores), strings to YAML 1.2
    for at in _hits(text, "="):
        before = text[at - 1] if at else "\n"
        if (before in _NODE_BEFORE or before in ":-") and text[at + 1:at + 2] in _VALUE_KEY_AFTER:
            return True  # the YAML 1.1 value key
    return False


# Timestamps yaml-rs reads differently: minutes without seconds, impossible months or days, 29-31 in a
# month too short for them (Feb 29 included: rare enough to always take the strict path). The pattern
# starts with a literal '-' the regex engine scans for fast; a false alarm only costs a strict parse.
_ODD_STAMP = re.compile(
    r"-(?:\d\d?-\d\d?(?:[Tt]|[ \t]+)\d\d?:\d\d(?!:\d)"
    r"|(?:0?0|1[3-9]|[2-9]\d)-\d"
    r"|\d\d?-(?:0?0|3[2-9]|[4-9]\d)(?!\d)"
    r"|(?:0?2-(?:29|30|31)|0?[469]-31|11-31)(?!\d))")


def fast_path_safe(text: str) -> bool:
    return not (_suspect(text) or _ODD_STAMP.search(text))


def load_fast(text: str) -> Any:
    """yaml-rs, or None when the document is not one it reads exactly like the strict loader."""
    if not fast_path_safe(text):
        return None
    import yaml_rs

    try:
        return yaml_rs.loads(text)
    except Exception:  # the strict loader gives the real message with a line and column
        return None


# --- the strict loader -----------------------------------------------------------------------------

def _yaml():
    from ruamel.yaml import YAML

    y = YAML(typ="rt")
    y.allow_duplicate_keys = False
    return y


def _mark_error(e: Exception, path: str, code: str, message: str, hint: str) -> CaseFileError:
    mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
    line = (mark.line + 1) if mark is not None else 1
    col = (mark.column + 1) if mark is not None else 1
    return CaseFileError(message, hint, path=path, line=line, col=col, code=code)


def _check_events(text: str, path: str) -> None:
    """Refuse what a case file never needs and an attacker would use: tags, anchors, aliases, depth."""
    from ruamel.yaml import events as ev

    depth = nodes = docs = 0
    for event in _yaml().parse(text):
        kind = type(event)
        if kind in (ev.MappingStartEvent, ev.SequenceStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise _at(event, path, "Y005", f"nesting is deeper than {MAX_DEPTH} levels", "a case file is never this deep; check the indentation")
        elif kind in (ev.MappingEndEvent, ev.SequenceEndEvent):
            depth -= 1
        elif kind is ev.DocumentStartEvent:
            docs += 1
            if docs > 1:
                raise _at(event, path, "Y003", "file holds more than one YAML document", "keep one case per file; remove the extra '---'")
        if kind is ev.AliasEvent:
            raise _at(event, path, "Y006", "aliases (*name) are not allowed in case files", "write the value out in full")
        if kind in (ev.ScalarEvent, ev.MappingStartEvent, ev.SequenceStartEvent):
            nodes += 1
            if nodes > MAX_NODES:
                raise _at(event, path, "Y005", "file has too many values", "split the case or check the file")
            if getattr(event, "anchor", None):
                raise _at(event, path, "Y006", "anchors (&name) are not allowed in case files", "remove the anchor")
            tag = getattr(event, "tag", None)
            if tag not in (None, "!"):
                raise _at(event, path, "Y006", "YAML tags (!name, !!type) are not allowed in case files",
                          "remove the tag; stafett reads only plain values")


def _at(event: Any, path: str, code: str, message: str, hint: str) -> CaseFileError:
    mark = event.start_mark
    return CaseFileError(message, hint, path=path, line=mark.line + 1, col=mark.column + 1, code=code)


def compose_strict(text: str, path: str = ""):
    """Check and compose: returns (plain data, root node) or raises CaseFileError with a position."""
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        _check_events(text, path)
        y = _yaml()
        node = y.compose(text)
        data = y.constructor.construct_document(node) if node is not None else None
    except CaseFileError:
        raise
    except MarkedYAMLError as e:
        if type(e).__name__ == "DuplicateKeyError":
            raise _mark_error(e, path, "Y002", f"duplicate key: {_dup_key(e)}", "a key may appear only once in a mapping; merge the two") from None
        raise _mark_error(e, path, "Y001", f"YAML syntax error: {e.problem or e.context}", "check indentation, colons and quotes on that line") from None
    except (YAMLError, ValueError, OverflowError) as e:
        raise CaseFileError(f"YAML value cannot be read: {str(e).splitlines()[0][:120]}", "check dates and numbers",
                            path=path, line=1, col=1, code="Y001") from None
    except RecursionError:
        raise CaseFileError(f"nesting is deeper than {MAX_DEPTH} levels", "check the indentation", path=path, line=1, col=1, code="Y005") from None
    return plain(data), node


def _dup_key(e: Exception) -> str:
    m = re.search(r'found duplicate key "([^"]*)"', str(e))
    return m.group(1) if m else "?"


def load_strict(text: str, path: str = "") -> Any:
    return compose_strict(text, path)[0]


def plain(value: Any) -> Any:
    """ruamel's round-trip types as plain Python values (what yaml-rs gives)."""
    if isinstance(value, dict):
        return {plain(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, dt.datetime):
        tz = value.tzinfo
        return dt.datetime(value.year, value.month, value.day, value.hour, value.minute, value.second,
                           value.microsecond, tzinfo=tz)
    if value is not None and not isinstance(value, dt.date):
        # TaggedScalar and friends: never produced once _check_events passed, but never leak them.
        return str(value)
    return value


def load_mapping(raw: bytes, path: str = "", *, fast: bool = True) -> tuple[dict, Text]:
    """Decode and load a document whose top level must be a mapping."""
    text = decode(raw, path)
    data = load_fast(text.text) if fast else None
    if data is None:
        data = load_strict(text.text, path)
    if not isinstance(data, dict):
        kind = "empty" if data is None else type(data).__name__
        raise CaseFileError(f"top level is {kind}, not a mapping of keys", "a stafett file starts with keys like 'id:' or 'kommune:'",
                            path=path, line=1, col=1, code="Y003")
    return data, text
