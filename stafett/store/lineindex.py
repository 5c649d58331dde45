"""Where a value sits in a block-style document, found from its lines: what `findings.locate` gives on the
strict reader's nodes, without that reader (ruamel's pure-Python composer costs ~100x a fast parse, and
a folder gets more findings as its deadlines pass).

Only the plain block layout people and stafett write is claimed: simple keys, `- ` items, scalars, flow
collections and block scalars as leaves, comments and blank lines anywhere. Anything else (a quoted or
complex key, an item starting on the next line, a null value, a tag) answers None and the caller takes
the strict reader. tests/test_lineindex.py holds the two to the same answer on every corpus class.
"""

from __future__ import annotations

import re
from typing import Optional

_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):(?: +|$)")
_LEAF_STARTS = "[{|>'\""


class LineIndex:
    def __init__(self, text: str) -> None:
        self.lines = text.split("\n")
        # One pass over the lines, so a step costs a few hops instead of a walk over every line below it
        # (a file with a dozen findings asked for them all). `_ind`: a content line's indentation, -1 for a
        # blank or comment line; `_after`: the first content line at or after each line; `_skip`: the next
        # content line no deeper than this one (past its children).
        lines = self.lines
        count = len(lines)
        bodies = [line.lstrip(" ") for line in lines]
        ind = [len(line) - len(body) if body and body[0] != "#" else -1 for line, body in zip(lines, bodies)]
        after: list[Optional[int]] = [None] * (count + 1)
        nxt = None
        for n in range(count - 1, -1, -1):
            if ind[n] >= 0:
                nxt = n
            after[n] = nxt
        skip: list[Optional[int]] = [None] * count
        open_lines: list[int] = []
        for n in [n for n in range(count) if ind[n] >= 0]:
            here = ind[n]
            while open_lines and ind[open_lines[-1]] >= here:
                skip[open_lines.pop()] = n
            open_lines.append(n)
        self._ind, self._after, self._skip = ind, after, skip

    def locate(self, loc: tuple, on_key: bool = False) -> Optional[tuple[int, int]]:
        """1-based (line, col) of the deepest node on `loc` that exists, as findings.locate gives it."""
        root = self._first_content(0)
        if root is None or self._indent(root) != 0 or not _KEY.match(self.lines[root]) or self.lines[root].startswith("---"):
            return None
        node = ("map", root, 0)
        key_at: Optional[tuple[int, int]] = None
        for step in loc:
            kind, line, col = node
            if kind == "map" and isinstance(step, str):
                found = self._key(line, col, step)
            elif kind == "seq" and isinstance(step, int):
                found = self._item(line, col, step)
            elif kind == "leaf" and self.lines[line].startswith(("[", "{"), col):
                return None  # the strict locate walks into a flow collection
            elif kind in ("map", "seq", "leaf"):
                break  # the strict locate stops here too: a key step on a list, an index on a mapping, a leaf
            else:
                return None
            if found is None:
                break  # a key that is not there, an index past the end: the strict locate stops at the parent
            if found == "unsure":
                return None
            node, key_at = found
        kind, line, col = node
        if kind == "unsure":
            return None
        if on_key and key_at is not None:
            return key_at[0] + 1, key_at[1] + 1
        return line + 1, col + 1

    # --- lines -------------------------------------------------------------------------------------

    def _indent(self, n: int) -> int:
        return self._ind[n]  # asked of content lines only

    def _first_content(self, n: int) -> Optional[int]:
        return self._after[n] if n < len(self.lines) else None

    def _siblings(self, first: int, col: int):
        """Lines at exactly `col` from `first` on, until a line less indented; deeper lines are skipped.
        `first` may be indented less than `col` (a mapping opened on its item's `- ` line)."""
        yield first
        n = self._after[first + 1] if first + 1 < len(self.lines) else None
        ind, skip = self._ind, self._skip
        while n is not None:
            indent = ind[n]
            if indent < col:
                return
            if indent == col:
                yield n
            n = skip[n]

    # --- steps -------------------------------------------------------------------------------------

    def _key(self, first: int, col: int, key: str):
        for n in self._siblings(first, col):
            text = self.lines[n]
            if text.startswith("-", col):
                if n == first:
                    return "unsure"
                continue  # a list at the key's own indentation belongs to the key before
            m = _KEY.match(text, col)
            if m is None:
                return "unsure"  # a quoted or complex key: not claimed
            if m.group(1) == key:
                return self._value(n, m.end(), col), (n, col)
        return None

    def _value(self, n: int, at: int, key_col: int):
        text = self.lines[n]
        if at < len(text) and not text.startswith("#", at):
            return self._leaf(n, at)
        nxt = self._first_content(n + 1)
        if nxt is None:
            return ("unsure", n, at)
        indent = self._indent(nxt)
        body = self.lines[nxt][indent:]
        if body.startswith("- ") or body == "-":
            return ("seq", nxt, indent) if indent >= key_col else ("unsure", nxt, indent)
        if indent <= key_col:
            return ("unsure", nxt, indent)  # a null value
        if _KEY.match(body):
            return ("map", nxt, indent)
        return ("unsure", nxt, indent)

    def _leaf(self, n: int, at: int):
        head = self.lines[n][at]
        if head in "&*!?%@`":
            return ("unsure", n, at)
        return ("leaf", n, at)

    def _item(self, first: int, col: int, index: int):
        count = 0
        for n in self._siblings(first, col):
            text = self.lines[n]
            if not (text.startswith("- ", col) or text == " " * col + "-"):
                return None if count <= index else "unsure"
            if count == index:
                at = col + 1
                while at < len(text) and text[at] == " ":
                    at += 1
                if at >= len(text) or text.startswith("#", at) or text.startswith("-", at):
                    return "unsure"  # an item on the next line, or a list in a list
                if _KEY.match(text, at) and not text.startswith(_LEAF_STARTS, at):
                    return ("map", n, at), None
                return self._leaf(n, at), None
            count += 1
        return None
