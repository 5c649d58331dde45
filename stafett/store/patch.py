"""Write a changed record by patching its text, so everything a coordinator wrote stays as it was.

`diff` compares two plain trees (model dumps) and yields edits addressed by path; `apply` turns each edit
into a text splice located through the nodes of the original document. Untouched lines are never
re-emitted: comments, blank lines, quoting and flow style survive every command. New material is
emitted with ruamel.yaml in the indentation style the file already uses.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

Path = tuple  # keys (str) and list indexes (int) from the root


class PatchUnsupported(Exception):
    """The change cannot be expressed as a splice; the caller re-emits the document instead."""


@dataclass(frozen=True)
class Replace:
    path: Path
    value: Any


@dataclass(frozen=True)
class AddKey:
    path: Path  # the mapping
    values: dict  # new keys, in order
    after: str | None  # existing key to insert after (None: before the first key)


@dataclass(frozen=True)
class DeleteKey:
    path: Path
    key: str


@dataclass(frozen=True)
class Append:
    path: Path  # the sequence
    items: list


@dataclass(frozen=True)
class DeleteItem:
    path: Path
    index: int


def normalise(value: Any) -> Any:
    """None means absent: a key set to None is the same record as a key left out."""
    if isinstance(value, dict):
        return {k: normalise(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [normalise(v) for v in value]
    return value


def _keyed(items: list) -> bool:
    ids = [i.get("id") for i in items if isinstance(i, dict)]
    return len(ids) == len(items) and None not in ids and len(set(ids)) == len(ids)


def diff(old: Any, new: Any, path: Path = ()) -> list:
    if isinstance(old, dict) and isinstance(new, dict):
        return _diff_mapping(old, new, path)
    if isinstance(old, list) and isinstance(new, list):
        return _diff_sequence(old, new, path)
    if type(old) is not type(new) or old != new:
        return [Replace(path, new)]
    return []


def _diff_mapping(old: dict, new: dict, path: Path) -> list:
    edits: list = []
    previous: str | None = None
    pending: dict = {}
    for key, value in new.items():
        if key in old:
            if pending:
                edits.append(AddKey(path, pending, previous))
                pending = {}
            edits += diff(old[key], value, path + (key,))
            previous = key
        else:
            pending[key] = value
    if pending:
        edits.append(AddKey(path, pending, previous))
    edits += [DeleteKey(path, key) for key in old if key not in new]
    return edits


def _diff_sequence(old: list, new: list, path: Path) -> list:
    if old == new:
        return []
    if old and new and _keyed(old) and _keyed(new):
        position = {item["id"]: n for n, item in enumerate(old)}
        new_ids = [item["id"] for item in new]
        kept_new_order = [i for i in new_ids if i in position]
        kept_old_order = [item["id"] for item in old if item["id"] in set(new_ids)]
        added = [item for item in new if item["id"] not in position]
        if kept_new_order == kept_old_order and new_ids[len(kept_new_order):] == [a["id"] for a in added]:
            edits: list = [DeleteItem(path, n) for n, item in enumerate(old) if item["id"] not in set(new_ids)]
            for item in new:
                if item["id"] in position:
                    edits += diff(old[position[item["id"]]], item, path + (position[item["id"]],))
            if added:
                edits.append(Append(path, added))
            return edits
        return [Replace(path, new)]
    if len(new) >= len(old) and new[: len(old)] == old:
        return [Append(path, new[len(old):])]
    if len(new) == len(old) and all(isinstance(a, dict) and isinstance(b, dict) for a, b in zip(old, new)):
        edits = []
        for n, (a, b) in enumerate(zip(old, new)):
            edits += diff(a, b, path + (n,))
        return edits
    return [Replace(path, new)]


# --- locating nodes --------------------------------------------------------------------------------

def _node_at(root: Any, path: Path) -> tuple[Any, Any]:
    """(node, key node or None) for a path in the composed tree."""
    node, key_node = root, None
    for step in path:
        if isinstance(step, int):
            node, key_node = node.value[step], None
        else:
            for k, v in node.value:
                if k.value == step:
                    node, key_node = v, k
                    break
            else:
                raise PatchUnsupported(f"key {step!r} not found")
    return node, key_node


def _is_collection(node: Any) -> bool:
    return isinstance(node.value, list)


def _content_end(node: Any) -> int:
    """Where the text of a node ends, before trailing blank lines and comments that belong to what follows."""
    if not _is_collection(node) or node.flow_style:
        return node.end_mark.index
    last = node.value[-1]
    if isinstance(last, tuple):
        k, v = last
        return max(k.end_mark.index, _content_end(v))
    return _content_end(last)


def _line_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


def _line_end(text: str, pos: int) -> int:
    n = text.find("\n", pos)
    return len(text) if n < 0 else n + 1


def _column(text: str, pos: int) -> int:
    return pos - _line_start(text, pos)


def _after_own_comments(text: str, pos: int, column: int) -> int:
    """Where material at `column` goes after the content ending at pos: past the comments indented deeper
    than `column` that follow, because they speak of the node above (a note under the last item), while a
    comment at the new material's column or left of it introduces what follows and stays before it."""
    end = pos
    while pos < len(text):
        line_end = _line_end(text, pos)
        line = text[pos:line_end]
        stripped = line.lstrip(" ")
        if stripped.startswith("#") and len(line) - len(stripped) > column:
            end = pos = line_end
        elif not stripped.strip():
            pos = line_end
        else:
            break
    return end


def _dash_before(text: str, pos: int) -> int:
    """Position of the '- ' that introduces a block sequence item starting at pos."""
    i = pos - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    if i < 0 or text[i] != "-":
        raise PatchUnsupported("sequence item without a dash")
    return i


# --- emitting new material -------------------------------------------------------------------------

@dataclass(frozen=True)
class Style:
    offset: int  # columns between a parent key and the dash of its block sequence (0 or 2)
    newline_at_end: bool = True


def detect_style(text: str, root: Any) -> Style:
    try:
        offset = find_offset(text, root) if root is not None else None
    except PatchUnsupported:
        offset = None
    return Style(offset=2 if offset is None else max(0, offset))


def find_offset(text: str, root: Any) -> int | None:
    """Columns between the key and the dash of the first block sequence under a key, in document order."""

    def walk(node: Any) -> int | None:
        if not _is_collection(node) or node.flow_style:
            return None
        if node.value and isinstance(node.value[0], tuple):
            for k, v in node.value:
                if _is_collection(v) and not v.flow_style and v.value and not isinstance(v.value[0], tuple):
                    dash = _dash_before(text, v.value[0].start_mark.index)
                    return _column(text, dash) - _column(text, k.start_mark.index)
                found = walk(v)
                if found is not None:
                    return found
        else:
            for item in node.value:
                found = walk(item)
                if found is not None:
                    return found
        return None

    return walk(root)


# Characters a YAML reader folds or refuses in plain and block scalars (NEL, the Unicode line
# separators, C0/C1 controls): strings holding them are written double-quoted, with escapes.
_UNSAFE_IN_BLOCKS = re.compile("[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f\\u2028\\u2029\\ufeff]")


def _prepare(value: Any) -> Any:
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString

    if isinstance(value, dict):
        return {k: _prepare(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_prepare(v) for v in value]
    if isinstance(value, str) and _UNSAFE_IN_BLOCKS.search(value):
        return DoubleQuotedScalarString(value)
    lines = value.split("\n") if isinstance(value, str) else []
    if len(lines) > 1 and "\n" in value.rstrip("\n") and all(line.isprintable() and line == line.rstrip() for line in lines):
        return LiteralScalarString(value)
    return value


def dump(value: Any, style: Style) -> str:
    from ruamel.yaml import YAML

    y = YAML(typ="rt")
    y.width = 4096
    y.allow_unicode = True
    y.indent(mapping=2, sequence=style.offset + 2, offset=style.offset)
    y.representer.ignore_aliases = lambda *args: True  # a date used twice must not become &id001/*id001
    out = io.StringIO()
    y.dump(_prepare(value), out)
    return out.getvalue()


def dump_items(items: list, style: Style) -> str:
    """Sequence items whose dash starts at column 0, nested lists in the file's own style."""
    text = dump(items, style)
    pad = " " * style.offset
    lines = text.splitlines(keepends=True)
    if style.offset and all(line.startswith(pad) or not line.strip() for line in lines):
        return "".join(line[style.offset:] if line.strip() else line for line in lines)
    return dump(items, Style(0))


def _indent(block: str, columns: int) -> str:
    pad = " " * columns
    return "".join(pad + line if line.strip() else line for line in block.splitlines(keepends=True))


# An encrypted value (store/crypt.py) is written plain, as the dumper would write it; a sealed file has
# thousands of them, and each through the dumper costs most of a millisecond.
_TOKEN = re.compile(r"ENC\[AES256_GCM,[A-Za-z0-9+/=:,_]*\]\Z")


def _inline_scalar(value: Any, style: Style) -> str | None:
    if isinstance(value, (dict, list)):
        return None
    if isinstance(value, str) and _TOKEN.match(value):
        return value
    text = dump({"k": value}, style)
    if text.count("\n") != 1 or not text.startswith("k: "):
        return None
    return text[3:-1]


# --- applying --------------------------------------------------------------------------------------

def apply(text: str, root: Any, edits: list, style: Style) -> str:
    splices: list[tuple[int, int, int, str]] = []
    for order, edit in enumerate(edits):
        start, end, replacement = _splice(text, root, edit, style)
        splices.append((start, end, order, replacement))
    # Splices come from disjoint paths; apply from the end so earlier positions stay valid. Two inserts at
    # one place (append to `logg`, then add `avsluttet` after it) go in diff order: the later one first.
    splices.sort(reverse=True)
    last_start = len(text) + 1
    for start, end, _, replacement in splices:
        if end > last_start:
            raise PatchUnsupported("overlapping edits")
        text = text[:start] + replacement + text[end:]
        last_start = start
    return text


def _entry_span(text: str, key_node: Any, value_node: Any) -> tuple[int, int]:
    start = _line_start(text, key_node.start_mark.index)
    if text[start:key_node.start_mark.index].strip():
        raise PatchUnsupported("key shares its line with other content")
    return start, _line_end(text, max(key_node.end_mark.index, _content_end(value_node)))


def _item_span(text: str, node: Any) -> tuple[int, int, int]:
    dash = _dash_before(text, node.start_mark.index)
    start = _line_start(text, dash)
    if text[start:dash].strip():
        raise PatchUnsupported("item shares its line with other content")
    return start, _line_end(text, _content_end(node)), dash - start


def _ensure_newline(text: str, pos: int) -> str:
    return "\n" if pos == len(text) and text and not text.endswith("\n") else ""


def _splice(text: str, root: Any, edit: Any, style: Style) -> tuple[int, int, str]:
    if isinstance(edit, Replace):
        if not edit.path:
            raise PatchUnsupported("whole document replaced")
        node, key_node = _node_at(root, edit.path)
        parent, _ = _node_at(root, edit.path[:-1])
        if parent.flow_style:
            raise PatchUnsupported("change inside a flow collection")
        inline = _inline_scalar(edit.value, style)
        if inline is not None and not _is_collection(node) and node.start_mark.index < node.end_mark.index \
                and node.style not in ("|", ">"):
            return node.start_mark.index, node.end_mark.index, inline
        if key_node is not None:
            start, end = _entry_span(text, key_node, node)
            column = _column(text, key_node.start_mark.index)
            return start, end, _indent(dump({edit.path[-1]: edit.value}, style), column)
        start, end, column = _item_span(text, node)
        return start, end, _indent(dump_items([edit.value], style), column)
    if isinstance(edit, AddKey):
        mapping, _ = _node_at(root, edit.path)
        if not _is_collection(mapping) or mapping.flow_style or not mapping.value:
            raise PatchUnsupported("add to an empty or flow mapping")
        first_key = mapping.value[0][0]
        column = _column(text, first_key.start_mark.index)
        block = _indent(dump(edit.values, style), column)
        if edit.after is None:
            pos = _line_start(text, first_key.start_mark.index)
            if text[pos:first_key.start_mark.index].strip():
                raise PatchUnsupported("mapping starts inside a line")
            return pos, pos, block
        for k, v in mapping.value:
            if k.value == edit.after:
                pos = _after_own_comments(text, _line_end(text, max(k.end_mark.index, _content_end(v))), column)
                return pos, pos, _ensure_newline(text, pos) + block
        raise PatchUnsupported("anchor key not found")
    if isinstance(edit, DeleteKey):
        mapping, _ = _node_at(root, edit.path)
        if mapping.flow_style:
            raise PatchUnsupported("delete inside a flow mapping")
        if len(mapping.value) == 1:
            raise PatchUnsupported("mapping would become empty")
        for k, v in mapping.value:
            if k.value == edit.key:
                start, end = _entry_span(text, k, v)
                return start, end, ""
        raise PatchUnsupported("key to delete not found")
    if isinstance(edit, Append):
        seq, key_node = _node_at(root, edit.path)
        if _is_collection(seq) and not seq.flow_style and seq.value:
            last = seq.value[-1]
            start, end, column = _item_span(text, last)
            end = _after_own_comments(text, end, column)
            block = _indent(dump_items(edit.items, style), column)
            return end, end, _ensure_newline(text, end) + block
        if key_node is None:
            raise PatchUnsupported("append to a flow sequence inside a sequence")
        # `key: []` or a flow list: rewrite the entry as a block list.
        old = _plain_flow(seq)
        start, end = _entry_span(text, key_node, seq)
        column = _column(text, key_node.start_mark.index)
        return start, end, _indent(dump({edit.path[-1]: old + list(edit.items)}, style), column)
    if isinstance(edit, DeleteItem):
        seq, _ = _node_at(root, edit.path)
        if seq.flow_style or len(seq.value) == 1:
            raise PatchUnsupported("delete from a flow or one-item sequence")
        start, end, _ = _item_span(text, seq.value[edit.index])
        return start, end, ""
    raise PatchUnsupported(f"unknown edit {edit!r}")


def _plain_flow(node: Any) -> list:
    if not _is_collection(node):
        raise PatchUnsupported("not a sequence")
    if any(_is_collection(i) for i in node.value):
        raise PatchUnsupported("nested flow sequence")
    from ruamel.yaml import YAML

    # Re-read the scalar items through the constructor so their types stay exact.
    y = YAML(typ="rt")
    return [y.constructor.construct_object(i, deep=True) for i in node.value]
