"""Invisible characters in names and text: found by `validate`, made visible in renders.

A bidi control (U+202E RIGHT-TO-LEFT OVERRIDE and its kin) makes a name or a sentence read
differently from what it says: "Ola" can show as another name, a date can show reversed, and the
same text reads one way in an editor and another in a rendered page. Other invisible format
characters (zero-width space, word joiner, a byte order mark inside text) make two names that look
the same differ, or hide a word from a search. None of them belongs in a case record.

`findings(data)` walks a loaded record (plain dicts, lists and scalars) and yields one warning per
string that holds such a character, placed at that value (validate turns the path into line:col).
`neutralise(text, fmt)` shows each one in a rendered document as `<U+202E>`, so nothing reorders or
hides text there. The soft hyphen (U+00AD) is a format character too, but a harmless one that word
processors insert: it is left alone.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, Iterator

from stafett.findings import Finding, Msg
from stafett.i18n import N_

BIDI = frozenset([0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)])
# Every code point of general category Cf (Unicode 15), less the soft hyphen; tests/test_textcheck.py
# checks this against unicodedata, so a newer Unicode cannot slip a character past it.
_FORMAT = re.compile(
    "[\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064"
    "\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)


# The UTF-8 lead bytes of every character in _FORMAT but those at U+2000-U+206F, whose lead byte E2 is
# common in Norwegian text (– — ‘ ’ “ ” …): for those, the two bytes after it. A file holding none of these
# (nearly every file) skips the character-class search, which costs as much as parsing the file.
_RARE_LEADS = (b"\xd8", b"\xdb", b"\xdc", b"\xe0", b"\xe1", b"\xef", b"\xf0", b"\xf3")
_E2_FORMAT = re.compile(rb"\xe2(?:\x80[\x8b-\x8f\xaa-\xae]|\x81[\xa0-\xa4\xa6-\xaf])")


def any_invisible(raw: bytes) -> bool:
    """Whether a document's UTF-8 bytes may hold one, screened at memchr speed so clean files (nearly all)
    skip the walk below. A backslash may be a YAML escape ("\\u202e") that only the loaded value shows.
    A leading byte order mark is the file's encoding mark, not text."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if b"\\" in raw:
        return True
    if raw.isascii():
        return False
    return any(lead in raw for lead in _RARE_LEADS) or _E2_FORMAT.search(raw) is not None


def invisible(text: str) -> list[str]:
    """The invisible format characters in `text`, in order (the soft hyphen excepted)."""
    if text.isascii():
        return []
    return [ch for ch in _FORMAT.findall(text) if unicodedata.category(ch) == "Cf"]


def _name(ch: str) -> str:
    return f"U+{ord(ch):04X} ({unicodedata.name(ch, 'unnamed')})"


_HINT = N_("delete the character (an editor shows it with 'show invisibles'); renders show it as <U+…>")


def _finding(found: list[str], loc: tuple, on_key: bool = False) -> Finding:
    bidi = [ch for ch in found if ord(ch) in BIDI]
    if bidi:
        return Finding("U001", Msg(N_("text holds an invisible bidi control {character} that changes how it reads"),
                                   character=_name(bidi[0])),
                       severity="warning", loc=loc, on_key=on_key, hint=Msg(_HINT))
    return Finding("U002", Msg(N_("text holds an invisible format character {character}"), character=_name(found[0])),
                   severity="warning", loc=loc, on_key=on_key, hint=Msg(_HINT))


def findings(data: Any, loc: tuple = ()) -> Iterator[Finding]:
    """One warning per string value (or key) of a loaded record that holds an invisible character."""
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(key, str):
                found = invisible(key)
                if found:
                    yield _finding(found, (*loc, key), on_key=True)
            yield from findings(value, (*loc, key))
    elif isinstance(data, list):
        for n, value in enumerate(data):
            yield from findings(value, (*loc, n))
    elif isinstance(data, str):
        found = invisible(data)
        if found:
            yield _finding(found, loc)


def neutralise(text: str, fmt: str) -> str:
    """Each invisible format character as visible text: <U+202E> (escaped for HTML)."""
    if text.isascii():
        return text
    open_, close = ("&lt;", "&gt;") if fmt == "html" else ("<", ">")

    def shown(m: re.Match) -> str:
        ch = m.group(0)
        return f"{open_}U+{ord(ch):04X}{close}" if unicodedata.category(ch) == "Cf" else ch

    return _FORMAT.sub(shown, text)
