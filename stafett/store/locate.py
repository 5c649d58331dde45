"""Find the nodes a patch needs without composing the whole document.

Composing a 100 KB case with ruamel's pure-Python reader takes most of a second, yet an edit touches one
or two places: the end of `logg`, one tiltak, one meeting. So the document is split along the lines that
can only be structure, checked against the data the file was read as (the top-level keys in order at
column 0, the items of a long top-level block list at their dash column, nothing else at or left of those
columns), and only the pieces the edits reach are composed, each on its own. A piece is composed from
the very text it has in the file and its positions are moved by its offset, so every node it yields is
the node the whole document would have given.

Whatever does not fit these checks raises PatchUnsupported, and the caller composes the whole document
as before. The patched text is always read back and compared with the intended record, so a wrong guess
here can cost time, never a wrong file.
"""

from __future__ import annotations

import re
from typing import Any

from stafett.store import patch
from stafett.store.patch import PatchUnsupported

SPLIT_BYTES = 4096  # a top-level list smaller than this is composed whole, as before


class _Mark:
    __slots__ = ("index", "line", "column")

    def __init__(self, index: int, line: int, column: int) -> None:
        self.index, self.line, self.column = index, line, column


class _Node:
    """A node this module made itself: a top-level key, or a long block list whose items are composed only
    where an edit needs them."""

    flow_style = False
    style = None
    tag = None

    def __init__(self, value: Any, start: _Mark, end: _Mark) -> None:
        self.value, self.start_mark, self.end_mark = value, start, end


class _Unlocated:
    """An item no edit reaches: any use of it means the plan was wrong, and the caller falls back."""

    def __getattr__(self, name: str) -> Any:
        raise PatchUnsupported("an item that was not located")


_COLUMN0 = re.compile(r"^[^ \n#]", re.M)
_SHALLOW: dict[int, re.Pattern] = {}


def _shallow(column: int) -> re.Pattern:
    """Lines indented at most `column` that hold something; group 1 is their first character."""
    if column not in _SHALLOW:
        _SHALLOW[column] = re.compile(rf"^ {{0,{column}}}([^ \n])", re.M)
    return _SHALLOW[column]


def locate(text: str, data: dict, edits: list) -> tuple[Any, patch.Style]:
    """(root node, style) for `patch.apply(text, root, edits, style)`; PatchUnsupported when unsure."""
    if not isinstance(data, dict) or not data:
        raise PatchUnsupported("not a mapping")
    doc = _Document(text, data)
    needs = _needs(edits, doc)
    style = _style(doc)
    pairs = [doc.pair(key, needs.get(key)) for key in doc.keys]
    root = _Node(pairs, _mark(text, doc.starts[0]), _mark(text, len(text)))
    return root, style


class _Document:
    def __init__(self, text: str, data: dict) -> None:
        self.text, self.data = text, data
        self.keys = list(data)
        for key in self.keys:
            if not isinstance(key, str) or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
                raise PatchUnsupported("a top-level key stafett does not write plain")
        # Column 0 holds the top-level keys, in the order read, and (for a list written without indent)
        # dashes; anything else there (a quoted string's continuation, a document marker) is not planned.
        starts: list[int] = []
        expected = iter(self.keys)
        want = next(expected, None)
        for m in _COLUMN0.finditer(text):
            at = m.start()
            if text.startswith("-", at) and text[at + 1:at + 2] in (" ", "\n", ""):
                if not starts:
                    raise PatchUnsupported("a dash before the first key")
                continue
            if want is None or not _is_key_line(text, at, want):
                raise PatchUnsupported("column 0 holds something other than the next key")
            starts.append(at)
            want = next(expected, None)
        if want is not None or len(starts) != len(self.keys):
            raise PatchUnsupported("top-level keys not found in order")
        self.starts = starts
        self.ends = starts[1:] + [len(text)]
        self.index = {key: n for n, key in enumerate(self.keys)}
        self.composed: dict[str, tuple[Any, Any]] = {}

    def region(self, key: str) -> tuple[int, int]:
        n = self.index[key]
        return self.starts[n], self.ends[n]

    def whole(self, key: str) -> tuple[Any, Any]:
        """The (key node, value node) pair of one top-level entry, composed from its own text."""
        if key not in self.composed:
            start, end = self.region(key)
            node = _compose(self.text, start, end)
            if not _is_mapping(node) or len(node.value) != 1 or node.value[0][0].value != key:
                raise PatchUnsupported("entry did not compose as itself")
            self.composed[key] = node.value[0]
        return self.composed[key]

    def dashes(self, key: str) -> list[int] | None:
        """Line starts of the items of a long top-level block list, or None when it is not one."""
        value = self.data[key]
        start, end = self.region(key)
        if not isinstance(value, list) or len(value) < 2 or end - start < SPLIT_BYTES:
            return None
        first = _line_end(self.text, start)
        rest = self.text[start + len(key) + 1:first].strip()
        if rest and not rest.startswith("#"):
            return None  # `key: [..]` or anything else on the key's line
        column = self.block_list_column(key, any_item=True)
        if column is None:
            return None
        # Every line at or left of the dash column that is not blank or a comment must be an item's dash.
        found: list[int] = []
        for m in _shallow(column).finditer(self.text, first, end):
            at = m.start()
            body = m.group(1)
            if body == "#":
                continue
            if len(m.group(0)) - 1 == column and body == "-" and self.text[m.end():m.end() + 1] in (" ", "\n", ""):
                found.append(at)
            else:
                raise PatchUnsupported("a line of the list at or left of its dashes")
        if len(found) != len(value):
            raise PatchUnsupported("list items not found as read")
        return found

    def block_list_column(self, key: str, any_item: bool = False) -> int | None:
        """The dash column of a block list whose first item starts on its dash's line (what the walk of
        patch.find_offset measures; with `any_item` also `-` alone on its line), or None when the text is
        anything else."""
        start, end = self.region(key)
        first = _line_end(self.text, start)
        rest = self.text[start + len(key) + 1:first].strip()
        if rest and not rest.startswith("#"):
            return None
        pos = first
        while pos < end:
            line_end = _line_end(self.text, pos)
            body = self.text[pos:line_end].strip()
            if body and not body.startswith("#"):
                column = _indent(self.text, pos)
                after = self.text[pos + column + 1:pos + column + 3]
                if not self.text.startswith("-", pos + column):
                    return None
                if after[:1] == " " and after[1:2] not in (" ", "#", "\n", ""):
                    return column
                if any_item and after[:1] in (" ", "\n", ""):
                    return column
                return None
            pos = line_end
        return None

    def item(self, key: str, dashes: list[int], n: int) -> Any:
        start = dashes[n]
        end = dashes[n + 1] if n + 1 < len(dashes) else self.region(key)[1]
        node = _compose(self.text, start, end)
        if not isinstance(getattr(node, "value", None), list) or getattr(node, "flow_style", True) \
                or len(node.value) != 1 or isinstance(node.value[0], tuple):
            raise PatchUnsupported("item did not compose as itself")
        return node.value[0]

    def pair(self, key: str, need: set | None) -> tuple[Any, Any]:
        if need is None:
            start = self.region(key)[0]
            return _key_node(self.text, start, key), _Unlocated()
        dashes = self.dashes(key) if "whole" not in need else None
        if dashes is None:
            return self.whole(key)
        start = self.region(key)[0]
        wanted = {n for n in need if isinstance(n, int)} | {len(dashes) - 1}
        items = [self.item(key, dashes, n) if n in wanted else _Unlocated() for n in range(len(dashes))]
        first = dashes[0] + _indent(self.text, dashes[0])
        seq = _Node(items, _mark(self.text, first), _mark(self.text, self.region(key)[1]))
        return _key_node(self.text, start, key), seq


def _needs(edits: list, doc: _Document) -> dict[str, set]:
    """For each top-level key an edit reaches: the item indexes it needs, or 'whole'."""
    needs: dict[str, set] = {}

    def add(key: Any, what: Any) -> None:
        if key not in doc.index:
            raise PatchUnsupported("edit outside the keys read")
        needs.setdefault(key, set()).add(what)

    for edit in edits:
        path = edit.path
        if not path:
            if isinstance(edit, patch.AddKey):
                add(edit.after if edit.after is not None else doc.keys[0], "last")
            elif isinstance(edit, patch.DeleteKey):
                add(edit.key, "last")
            else:
                raise PatchUnsupported("edit of the whole document")
            continue
        key = path[0]
        if len(path) >= 2 and isinstance(path[1], int):
            add(key, path[1])
        elif len(path) == 1 and isinstance(edit, patch.Append):
            add(key, "last")
        elif len(path) == 1 and isinstance(edit, patch.DeleteItem):
            add(key, edit.index)
        elif len(path) == 1 and isinstance(edit, patch.Replace) and isinstance(doc.data.get(key), list):
            add(key, "last")
        else:
            add(key, "whole")
    return needs


def _style(doc: _Document) -> patch.Style:
    """patch.detect_style, walking the entries in order and composing only until it finds its answer."""
    for key in doc.keys:
        value = doc.data[key]
        if not isinstance(value, (dict, list)) or not value or (isinstance(value, dict) and not _has_list(value)):
            continue  # no sequence in it: the walk finds nothing there
        if isinstance(value, list):
            column = doc.block_list_column(key)
            if column is not None:
                return patch.Style(offset=column)
        pair = doc.whole(key)
        try:
            offset = patch.find_offset(doc.text, patch_root([pair]))
        except PatchUnsupported:
            return patch.Style(offset=2)  # what detect_style answers when its walk stumbles
        if offset is not None:
            return patch.Style(offset=max(0, offset))
    return patch.Style(offset=2)


def patch_root(pairs: list) -> _Node:
    return _Node(pairs, _Mark(0, 0, 0), _Mark(0, 0, 0))


# --- pieces ------------------------------------------------------------------------------------------

def _has_list(value: Any) -> bool:
    if isinstance(value, list):
        return True
    return isinstance(value, dict) and any(_has_list(v) for v in value.values())


def _indent(text: str, line_start: int) -> int:
    pos = line_start
    while text.startswith(" ", pos):
        pos += 1
    return pos - line_start


def _is_key_line(text: str, at: int, key: str) -> bool:
    end = at + len(key)
    return text.startswith(key, at) and text[end:end + 1] == ":" and text[end + 1:end + 2] in (" ", "\n", "")


def _is_mapping(node: Any) -> bool:
    return node is not None and isinstance(node.value, list) and bool(node.value) and isinstance(node.value[0], tuple)


def _line_end(text: str, pos: int) -> int:
    n = text.find("\n", pos)
    return len(text) if n < 0 else n + 1


def _mark(text: str, index: int) -> _Mark:
    line_start = text.rfind("\n", 0, index) + 1
    return _Mark(index, text.count("\n", 0, index), index - line_start)


def _key_node(text: str, start: int, key: str) -> _Node:
    return _Node(key, _mark(text, start), _mark(text, start + len(key)))


_READER: list = []


def _reader() -> Any:
    from ruamel.yaml import YAML

    if not _READER:
        _READER.append(YAML(typ="rt"))
    return _READER[0]


def _compose(text: str, start: int, end: int) -> Any:
    """Compose text[start:end] (whole lines) and move every position by `start`."""
    piece = text[start:end]
    try:
        node = _reader().compose(piece)
    except Exception:  # noqa: BLE001 - any trouble with a piece: compose the whole document instead
        raise PatchUnsupported("piece does not compose on its own") from None
    if node is None:
        raise PatchUnsupported("empty piece")
    line = text.count("\n", 0, start)

    def shift(mark: Any) -> _Mark:
        return _Mark(mark.index + start, mark.line + line, mark.column)

    stack = [node]
    while stack:
        n = stack.pop()
        n.start_mark, n.end_mark = shift(n.start_mark), shift(n.end_mark)
        if isinstance(n.value, list):
            for child in n.value:
                if isinstance(child, tuple):
                    stack.extend(child)
                else:
                    stack.append(child)
    return node
