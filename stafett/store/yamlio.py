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
from stafett.i18n import N_, _
from stafett.findings import safe_token

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
        raise CaseFileError(_("file is {size} KiB, more than the {limit} MiB a case may be").format(
                                size=len(raw) // 1024, limit=MAX_BYTES // 1024 // 1024),
                            _("split old material out or check that this is a case file"), path=path, line=1, col=1, code="Y005")
    nul = raw.find(b"\x00")
    if nul >= 0:
        line = raw.count(b"\n", 0, nul) + 1
        raise CaseFileError(_("file contains a NUL byte; it is binary or damaged"), _("restore it from git (git checkout -- FILE)"),
                            path=path, line=line, col=1, code="Y004")
    bom = raw.startswith(b"\xef\xbb\xbf")
    try:
        text = raw[3:].decode("utf-8") if bom else raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        raise CaseFileError(_("file is not UTF-8"), _("save it as UTF-8 in your editor"), path=path, line=line,
                            col=e.start - (raw.rfind(b"\n", 0, e.start) + 1) + 1, code="Y004") from None
    newline = "\r\n" if "\r\n" in text[: text.find("\n") + 1 or len(text)] else "\n"
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    return Text(text, newline, bom)


# --- the screen ------------------------------------------------------------------------------------
# yaml-rs and ruamel (the reference) read structure alike but type scalars differently: yaml-rs reads
# `.6e2`, `0X1F`, `12:30:00` (even quoted), minutes without seconds and impossible dates its own way. So
# the screen does not list known differences; it lets through only plain scalars in forms both readers
# are proven to type alike (tests/test_one_reader.py) and sends every other number-, date- or time-like
# scalar to the strict loader. It must cost far less than a parse: str.find for the rare indicators,
# and one regex for the scalars. Control characters, NEL and the Unicode line separators are refused
# outright: YAML parsers disagree on them as line breaks.
_ODD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\t]")
_NODE_BEFORE = frozenset(" \t\n[{,")

# Plain scalars both readers type alike: decimal numbers, .inf/.nan, ~, valid dates (29 February in leap
# years: a birthday people write), datetimes with seconds and hex digests. One-digit months, hex, octal, underscores,
# an exponent after a bare dot and long digit runs are left out on purpose: rare in a case, they take
# the strict way.
_DAY = r"(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31"
_LEAP_DAY = r"(?:\d\d(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)-02-29"
_TIME = r"(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,6})?(?: ?(?:Z|[-+](?:[01]\d|2[0-3])(?::[0-5]\d)?))?"
_AGREED = (rf"(?!0000)(?:\d{{4}}-(?:{_DAY})|{_LEAP_DAY})(?:[Tt ]{_TIME})?"
           r"|[-+]?(?:\d{1,15}(?:\.\d{0,15})?(?:[eE][-+]?\d{1,3})?|\.\d{1,15}(?:[eE][-+]\d{1,3})?|\.(?:inf|Inf|INF))"
           r"|\.(?:nan|NaN|NAN)|~"
           # a git commit or a SHA-256 (the copies sent): lowercase hex with a letter no number form uses
           r"|(?!0[box])(?=[0-9a-f]*[a-df])[0-9a-f]{7,64}")
# An agreed form counts only if the scalar ends there: a comment, a flow indicator, or a line break to a
# line that cannot continue it (a key, an item, a comment, the end). `2026-01-02` folded with a next
# line `14:00` is one scalar, and one the readers disagree on.
_NEXT = r"(?:\n[ ]*)+(?:-[ \n]|[?#]|[A-Za-z_][\w-]*:[ \n])|[ ]*(?:\n[ ]*)*$"
_AGREED_END = rf"(?=[ ]+#|[ ]*[,\]}}]|[ ]*(?:{_NEXT}))"
# Where a scalar ends at the latest; a key (`2026-01-02: x`) is never agreed, it always goes strict.
_END = r"(?=[ ]*(?:\n|$)|[ ]+#|:(?:[ \n]|$)|[,\[\]{}])"
# Judged only if it holds nothing but characters some typed form uses: `5 dager` is text to both readers.
_BODY = rf"(?!(?:{_AGREED}){_AGREED_END})[-+.:_~ \dabcdefABCDEFxXoOiInNtTzZ]*?{_END}"
# One regex per place a node starts, each led by a literal so the regex engine scans at memchr speed.
_ODD_SCALARS = (
    re.compile(r": (?=[-+.\d_~])" + _BODY),                 # a mapping value
    re.compile(r"- (?=[-+.\d_~])" + _BODY),                 # a sequence item
    re.compile(r"\? (?=[-+.\d_~])" + _BODY),                # an explicit key
    # a key, a value on its own line, a continuation; directives, document and merge conflict markers
    re.compile(r"\n(?:%|---|\.\.\.|<<<<<<<|=======|>>>>>>>|\|\|\|\|\|\|\|| *(?=[^ ])(?:(?=[+.\d_~])|(?=-[^ \n]))" + _BODY + ")"),
)
_ODD_IN_FLOW = re.compile(r"[\[{,:] *(?=[-+.\d_~])" + _BODY)
# yaml-rs reads a quoted string as a date or time when it looks like one, escapes undone; ruamel keeps
# it a string.
_QUOTED_STAMP = re.compile(r"\d+[-:]")


def _odd_scalar(text: str) -> bool:
    padded = "\n" + text
    for rx in _ODD_SCALARS:
        m = rx.search(padded)
        while m is not None:
            if not _in_block_scalar(padded, m.start()):
                return True
            m = rx.search(padded, m.end())
    for opener in "[{":
        covered = 0  # each line once, from its first opener: linear even for `[[[[...` a hundred thousand deep
        for at in _hits(text, opener):
            if at < covered or (at > 0 and text[at - 1].isalnum()):
                # After a letter or digit the bracket is part of a plain scalar in block context (an
                # encrypted value, ENC[AES256_GCM,...]): there is no flow collection to judge.
                continue
            end = text.find("\n", at)
            covered = end = len(text) if end < 0 else end
            line = text[at:end]
            if line.count("[") + line.count("{") > line.count("]") + line.count("}"):
                return True  # a flow collection over several lines: rare, and not worth judging here
            if _ODD_IN_FLOW.search(text, at, end):
                return True
    for quote in "'\"":
        for at in _hits(text, quote):
            head = text[at + 1:at + 2]
            if head == "\\" or (head.isdigit() and _QUOTED_STAMP.match(text, at + 1)):
                return True
    return False


# A block scalar's header: `key: |`, `- >-`, with chomping but no explicit indentation (the body's
# indentation is then its first line's) and an optional comment.
_BLOCK_HEADER = re.compile(r"(?:^|: |- )[|>][-+]?(?: +#.*)?$")


def _in_block_scalar(padded: str, at: int) -> bool:
    """Whether the line holding `at` is inside a `|` or `>` body, where both readers see text: `14.00 i.`
    on a line of its own is a number to neither. Only the plain case is claimed: the header is the first
    line above that is less indented, and every line between is at least as indented as the first."""
    start = padded.rfind("\n", 0, at + 1)
    line = padded[start + 1:padded.find("\n", start + 1) if padded.find("\n", start + 1) >= 0 else len(padded)]
    indent = len(line) - len(line.lstrip(" "))
    if indent == 0 or not line.strip():
        return False
    first = indent  # the body's first line fixes its indentation; it must not exceed this line's
    end = start
    while end > 0:
        begin = padded.rfind("\n", 0, end)
        above = padded[begin + 1:end]
        end = begin
        if not above.strip():
            continue
        lead = len(above) - len(above.lstrip(" "))
        if lead >= indent:
            first = lead
            continue
        body = above.lstrip(" ")
        return first == indent and not body.startswith("#") and _BLOCK_HEADER.search(body) is not None
    return False


def _hits(text: str, ch: str):
    at = text.find(ch)
    while at >= 0:
        yield at
        at = text.find(ch, at + 1)


def _suspect(text: str) -> bool:
    if "<<" in text:
        return True  # merge keys (directives and document markers: in _ODD_SCALARS)
    if _ODD_CHARS.search(text):
        return True
    for ch in "!&*":
        for at in _hits(text, ch):
            before = text[at - 1] if at else "\n"
            after = text[at + 1:at + 2]
            if before in _NODE_BEFORE and after and not after.isspace() and not (ch == "*" and after == "*") \
                    and _node_can_start(text, at) and not _in_block_scalar("\n" + text, at + 1):
                # A tag, anchor or alias where a node can start; Markdown's **bold** is none, and neither is
                # *kursiv* opening a line of a `>` or `|` text.
                return True
    # The YAML 1.1 value key: a lone `=` as a node. Only an `=` followed by what ends a node is looked at (an
    # encrypted case has hundreds of `=`, base64 padding, nearly all followed by another `=`).
    for m in _VALUE_KEY_END.finditer(text):
        at = m.start()
        before = text[at - 1] if at else "\n"
        if before in _NODE_BEFORE or before in ":-":
            return True
    return False


# What may follow a value key `=`: the end, a space or newline, a comma, a flow closer, a comment, a colon.
_VALUE_KEY_END = re.compile(r"=(?=$|[ \n,\]}#:])")


def _node_can_start(text: str, at: int) -> bool:
    """Whether a node may start at `at`: after the line's indentation, an indicator (`: `, `- `, `? `) or
    a flow opener or comma. Mid-sentence (`er *kursiv* her`) it is part of a plain scalar to both readers."""
    j = at - 1
    while j >= 0 and text[j] == " ":
        j -= 1
    return j < 0 or text[j] in "\n\t[{,:-?"


# A block scalar header at a line's end; `|` without a body is '' to ruamel and '\n' to yaml-rs. Found by
# its tail, then checked for what stands before it (`key: |`, `- |`, or a line of its own): a leading
# alternation would make the engine try three starts at every character of a long file.
_HEADER_AT_END = re.compile(r"[|>][-+]?\d?(?: +#[^\n]*)?$", re.M)


def _empty_block(text: str) -> bool:
    """Whether a block scalar has no body line indented deeper than its key or dash."""
    if "|" not in text and ">" not in text:
        return False
    for m in _HEADER_AT_END.finditer(text):
        at = m.start()
        if not (at == 0 or text[at - 1] == "\n" or text[at - 2:at] in (": ", "- ")):
            continue
        start = text.rfind("\n", 0, m.start()) + 1
        head = text[start:m.start()]
        body_col = len(head) - len(head.lstrip(" -"))  # the key's column, past any `- ` on the line
        at = m.end() + 1
        while at < len(text):
            end = text.find("\n", at)
            end = len(text) if end < 0 else end
            line = text[at:end]
            if line.strip():
                if len(line) - len(line.lstrip(" ")) <= body_col:
                    return True
                break
            at = end + 1
        else:
            return True
    return False


def fast_path_safe(text: str) -> bool:
    return not (_suspect(text) or _odd_scalar(text) or _empty_block(text))


def load_fast(text: str) -> Any:
    """yaml-rs, or None when the document is not one it reads exactly like the strict loader."""
    data, over = _fast(text)
    return None if over else data


def read_fast(text: str, path: str = "") -> Any:
    """load_fast for the commands: a document over the depth or size cap raises the strict loader's Y005
    here, from the fast reader's values. Read by the pure-Python strict reader, 50,000 values cost seconds
    (tens of seconds under a tracer) only to be refused."""
    data, over = _fast(text)
    if over:
        raise _over_limits(data, text, path)
    return data


def _fast(text: str) -> tuple[Any, bool]:
    if not fast_path_safe(text):
        return None, False
    import yaml_rs

    try:
        data = yaml_rs.loads(text)
    except Exception:  # the strict loader gives the real message with a line and column
        return None, False
    # The strict loader's depth and size caps hold here too: a finding is now placed without it, so it
    # is no longer there to refuse such a file on its second read.
    if _plainly_small(text) or _within_limits(data):
        return data, False
    return data, True


def _over_limits(data: Any, text: str, path: str) -> CaseFileError:
    """The strict loader's Y005 for a document the fast reader read: the first collection deeper than
    MAX_DEPTH, or the value past MAX_NODES, counted in document order as the strict reader counts events
    (collections, keys and scalars). Placed on the deepest step of its path the line index can place
    (a list written `[1, 2, ...]` on one line: the list), so the strict reader is never needed."""
    from stafett.store.lineindex import LineIndex

    nodes, where, message = 0, (), ""
    stack: list[tuple[Any, tuple, int, bool]] = [(data, (), 1, False)]
    while stack:
        value, loc, depth, is_key = stack.pop()
        container = isinstance(value, (dict, list))
        if container and depth > MAX_DEPTH:
            where, message = loc, _("nesting is deeper than {limit} levels").format(limit=MAX_DEPTH)
            hint = _("a case file is never this deep; check the indentation")
            break
        nodes += 1
        if nodes > MAX_NODES:
            where, message = loc, _("file has too many values")
            hint = _("split the case or check the file")
            break
        if isinstance(value, dict):
            children = []
            for k, v in value.items():
                children.append((k, loc + (k,), depth + 1, True))
                children.append((v, loc + (k,), depth + 1, False))
            stack.extend(reversed(children))
        elif isinstance(value, list):
            stack.extend(reversed([(v, loc + (n,), depth + 1, False) for n, v in enumerate(value)]))
    else:  # not reached: _within_limits found one of the two
        where, message, hint = (), _("file has too many values"), _("split the case or check the file")
    index = LineIndex(text)
    line, col = 1, 1
    for cut in range(len(where), 0, -1):
        found = index.locate(where[:cut], on_key=is_key and cut == len(where))
        if found is not None:
            line, col = found
            break
    return CaseFileError(message, hint, path=path, line=line, col=col, code="Y005")


# Containers nest only by indentation, or on one line by `- -` or a bracket inside a bracket. Content
# indented less than 20 columns then nests at most 22 deep, under MAX_DEPTH; few enough lines and commas
# bound the node count. Only a file outside both bounds is walked.
# (Separate literal-led regexes and str.find: one alternation costs more than a yaml-rs parse.)
_DEEP_HINTS = (re.compile(r"- +-(?: |$)", re.M), re.compile(r"\[[^\n\]}\[{]*[\[{]"), re.compile(r"\{[^\n\]}\[{]*[\[{]"))
_DEEP_INDENT = "\n" + " " * 20


def _plainly_small(text: str) -> bool:
    if 3 * text.count("\n") + text.count(",") + 3 >= MAX_NODES:
        return False
    if _DEEP_INDENT in text or text.startswith(_DEEP_INDENT[1:]):
        return False
    return not any(rx.search(text) for rx in _DEEP_HINTS)


def _within_limits(data: Any) -> bool:
    stack, nodes = [(data, 1)], 0
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            return False
        if isinstance(value, dict):
            nodes += 2 * len(value)
            stack.extend((v, depth + 1) for v in value.values() if isinstance(v, (dict, list)))
        else:
            nodes += len(value)
            stack.extend((v, depth + 1) for v in value if isinstance(v, (dict, list)))
        if nodes > MAX_NODES:
            return False
    return True


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
                raise _at(event, path, "Y005", _("nesting is deeper than {limit} levels").format(limit=MAX_DEPTH),
                          _("a case file is never this deep; check the indentation"))
        elif kind in (ev.MappingEndEvent, ev.SequenceEndEvent):
            depth -= 1
        elif kind is ev.DocumentStartEvent:
            docs += 1
            if docs > 1:
                raise _at(event, path, "Y003", _("file holds more than one YAML document"), _("keep one case per file; remove the extra '---'"))
        if kind is ev.AliasEvent:
            raise _at(event, path, "Y006", _("aliases (*name) are not allowed in case files"), _("write the value out in full"))
        if kind in (ev.ScalarEvent, ev.MappingStartEvent, ev.SequenceStartEvent):
            nodes += 1
            if nodes > MAX_NODES:
                raise _at(event, path, "Y005", _("file has too many values"), _("split the case or check the file"))
            if getattr(event, "anchor", None):
                raise _at(event, path, "Y006", _("anchors (&name) are not allowed in case files"), _("remove the anchor"))
            tag = getattr(event, "tag", None)
            if tag not in (None, "!"):
                raise _at(event, path, "Y006", _("YAML tags (!name, !!type) are not allowed in case files"),
                          _("remove the tag; stafett reads only plain values"))


def _at(event: Any, path: str, code: str, message: str, hint: str) -> CaseFileError:
    mark = event.start_mark
    return CaseFileError(message, hint, path=path, line=mark.line + 1, col=mark.column + 1, code=code)


def compose_strict(text: str, path: str = ""):
    """Check and compose: returns (plain data, root node) or raises CaseFileError with a position."""
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    _check_conflict_markers(text, path)
    node = None
    try:
        _check_events(text, path)
        y = _yaml()
        node = y.compose(text)
        data = y.constructor.construct_document(node) if node is not None else None
    except CaseFileError:
        raise
    except MarkedYAMLError as e:
        if type(e).__name__ == "DuplicateKeyError":
            key = _dup_key(e)
            # a key typed as "name fødselsnummer" stays out of logs
            message = _("duplicate key '{key}'").format(key=key) if safe_token(key) else _("duplicate key")
            raise _mark_error(e, path, "Y002", message, _("a key may appear only once in a mapping; merge the two")) from None
        raise _mark_error(e, path, "Y001", _("YAML syntax error: {problem}").format(problem=e.problem or e.context),
                          _("check indentation, colons and quotes on that line")) from None
    except (YAMLError, ValueError, OverflowError, ArithmeticError, LookupError, TypeError) as e:
        # ruamel's constructors fail on impossible dates, and crash outright on a few odd numbers (`+_`).
        raise _unreadable(e, node, path) from None
    except RecursionError:
        raise CaseFileError(_("nesting is deeper than {limit} levels").format(limit=MAX_DEPTH), _("check the indentation"), path=path, line=1, col=1, code="Y005") from None
    return plain(data), node


# What git leaves in a file when a merge stops: YAML would call it a syntax error somewhere near.
_CONFLICT_MARKER = re.compile(r"^(?:<{7}|>{7}|\|{7})(?: |$)|^={7}$", re.M)


def _check_conflict_markers(text: str, path: str) -> None:
    m = _CONFLICT_MARKER.search(text)
    if m:
        line = text.count("\n", 0, m.start()) + 1
        raise CaseFileError(_("a merge conflict was left unresolved: git's {marker} marker line").format(marker=m.group(0)[:7]),
                            _("keep what is right from both sides between <<<<<<< and >>>>>>>, delete the marker lines, "
                              "then run `stafett validate`"), path=path, line=line, col=1, code="G001")


# Constructor messages that say what is wrong without the value itself; any other is not echoed.
_SAFE_REASON = re.compile(r"(?:month must be in 1\.\.12|day is out of range for month|(?:hour|minute|second) must be in 0\.\.\d\d"
                          r"|microsecond must be in 0\.\.999999)")


def _unreadable(e: Exception, root: Any, path: str) -> CaseFileError:
    reason = str(e).splitlines()[0] if str(e) else ""
    line, col = _bad_scalar(root)
    if _SAFE_REASON.fullmatch(reason):
        message = _("a date, time or number cannot be read: {reason}").format(reason=reason)
    else:
        message = _("a date, time or number cannot be read")
    return CaseFileError(message, _("check dates (YYYY-MM-DD), times and numbers on that line"),
                         path=path, line=line, col=col, code="Y001")


def _bad_scalar(root: Any) -> tuple[int, int]:
    """Where the first scalar is that ruamel cannot construct: construction gives no position itself."""
    from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

    constructor = _yaml().constructor
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, ScalarNode):
            try:
                constructor.construct_object(node, deep=True)
            except Exception:  # noqa: BLE001 - whatever it raises, this is the node to point at
                return node.start_mark.line + 1, node.start_mark.column + 1
        elif isinstance(node, MappingNode):
            stack.extend(reversed([n for pair in node.value for n in pair]))
        elif isinstance(node, SequenceNode):
            stack.extend(reversed(node.value))
    return 1, 1


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


# The usual wrong top levels, each its own sentence so a translation can name the kind in words.
_TOP_LEVEL_KINDS = {
    "list": N_("top level is list, not a mapping of keys"),
    "str": N_("top level is str, not a mapping of keys"),
    "int": N_("top level is int, not a mapping of keys"),
    "float": N_("top level is float, not a mapping of keys"),
    "bool": N_("top level is bool, not a mapping of keys"),
}


def load_mapping(raw: bytes, path: str = "", *, fast: bool = True) -> tuple[dict, Text]:
    """Decode and load a document whose top level must be a mapping."""
    text = decode(raw, path)
    data = read_fast(text.text, path) if fast else None
    if data is None:
        data = load_strict(text.text, path)
    if not isinstance(data, dict):
        kind = type(data).__name__
        if data is None:
            message = _("top level is empty, not a mapping of keys")
        elif kind in _TOP_LEVEL_KINDS:
            message = _(_TOP_LEVEL_KINDS[kind])
        else:
            message = _("top level is {kind}, not a mapping of keys").format(kind=kind)
        raise CaseFileError(message, _("a stafett file starts with keys like 'id:' or 'kommune:'"),
                            path=path, line=1, col=1, code="Y003")
    return data, text
