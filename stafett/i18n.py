"""Everything a person reads, in bokmål, nynorsk or English: one gettext catalog per language.

Message ids are the English texts (the `en` fallback, for developers and CI logs); the translations
live in stafett/locale/<lang>/LC_MESSAGES/stafett.po, compiled to .mo next to it (tools/catalogs.py;
docs/translating.md). Catalogs are loaded on first use, so `stafett --help` pays for one small file.

Which language:
- `--lang nb|nn|en` on the command line, or STAFETT_LANG, wins everywhere;
- a message about a case is in the case's målform (its service's, else the kommune's), set by the
  command once it has read the case (`for_case`);
- any other message (help, a folder that cannot be read) follows the locale variables when they name
  Norwegian or English, else the målform of the kommune folder the command runs in, else bokmål.

Write `_("text {name}").format(name=...)`: never an f-string inside `_()` (the catalog would not find
it) and never a code or id where a word belongs.
"""

from __future__ import annotations

import functools
import gettext
import os
import re
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

LANGS = ("nb", "nn", "en")
# STAFETT_LOCALE_DIR: a translator's catalogs under test (docs/translating.md); else the shipped ones.
LOCALE_DIR = Path(os.environ.get("STAFETT_LOCALE_DIR") or Path(__file__).resolve().parent / "locale")
DOMAIN = "stafett"

_explicit: Optional[str] = None   # --lang or STAFETT_LANG
_case: Optional[str] = None       # the målform of the case the command works on
_ambient: Optional[str] = None    # locale variables, else the folder's stafett.yaml, else nb


def normalise(value: str | None) -> Optional[str]:
    """nb, nn or en from a --lang value or a locale name (nb_NO.UTF-8, nn_NO, no, en_GB, C)."""
    if not value:
        return None
    head = re.split(r"[_.@:-]", value.strip().lower(), maxsplit=1)[0]
    return {"nb": "nb", "no": "nb", "nob": "nb", "nn": "nn", "nno": "nn", "en": "en"}.get(head)


def argv_lang(argv: list[str]) -> Optional[str]:
    for n, arg in enumerate(argv):
        if arg == "--lang" and n + 1 < len(argv):
            return normalise(argv[n + 1])
        if arg.startswith("--lang="):
            return normalise(arg.split("=", 1)[1])
    return None


def _locale_lang() -> Optional[str]:
    # LANGUAGE may list several (nn:nb); the first Norwegian or English one counts.
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        for part in os.environ.get(var, "").split(":"):
            found = normalise(part)
            if found:
                return found
    return None


def _folder_lang(argv: list[str]) -> Optional[str]:
    """The kommune's målform from stafett.yaml in -C FOLDER or the folder the command stands in: a cheap
    look at one key (no YAML parser at start-up); the full read comes later and wins for a case."""
    folder = Path.cwd()
    for n, arg in enumerate(argv):
        if arg in ("-C", "--folder") and n + 1 < len(argv):
            folder = Path(argv[n + 1])
        elif arg.startswith("--folder="):
            folder = Path(arg.split("=", 1)[1])
    for candidate in (folder, *folder.parents[:3]):
        path = candidate / "stafett.yaml"
        try:
            if not path.is_file() or path.is_symlink():
                continue
            with open(path, "rb") as f:
                head = f.read(65536).decode("utf-8", "replace")
        except OSError:
            return None
        found = re.search(r"^malform:[ \t]*['\"]?(nb|nn)\b", head, re.MULTILINE)
        return found.group(1) if found else None
    return None


_argv: Optional[list[str]] = None  # the command line being run (sys.argv until a run says otherwise)


def _resolve_ambient() -> str:
    argv = sys.argv[1:] if _argv is None else _argv
    return _locale_lang() or _folder_lang(argv) or "nb"


def _resolve_explicit() -> Optional[str]:
    return argv_lang(sys.argv[1:] if _argv is None else _argv) or normalise(os.environ.get("STAFETT_LANG"))


def current() -> str:
    """The language a message is written in now."""
    global _explicit, _ambient
    if _explicit is None:
        _explicit = _resolve_explicit() or ""
    if _explicit:
        return _explicit
    if _case:
        return _case
    if _ambient is None:
        _ambient = _resolve_ambient()
    return _ambient


def choose(lang: Optional[str]) -> None:
    """--lang given to a command: it wins over everything else."""
    global _explicit
    found = normalise(lang)
    if found:
        _explicit = found


def for_case(malform: Optional[str]) -> None:
    """The command now works on a case written in this målform."""
    global _case
    _case = normalise(malform)


def reset(argv: Optional[list[str]] = None) -> None:
    """Forget every choice: a new command line starts (tests run many in one process)."""
    global _explicit, _case, _ambient, _argv
    _explicit = _case = _ambient = None
    _argv = argv


@contextmanager
def speaking(lang: Optional[str]) -> Iterator[None]:
    """Messages in one language for a while: a log entry in the case's målform whatever the user reads."""
    global _explicit
    before = _explicit
    found = normalise(lang)
    if found:
        _explicit = found
    try:
        yield
    finally:
        _explicit = before


@functools.lru_cache(maxsize=None)
def _catalog(lang: str) -> gettext.NullTranslations:
    if lang == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, localedir=str(LOCALE_DIR), languages=[lang], fallback=True)


def _(message: str) -> str:
    return _catalog(current()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _catalog(current()).ngettext(singular, plural, n)


def in_lang(lang: str, message: str) -> str:
    """One message in a given language (a document or log entry in the case's målform)."""
    return _catalog(normalise(lang) or "nb").gettext(message)


def date_text(d) -> str:
    """A date as the reader writes it: 1.12.2026 in Norwegian, 2026-12-01 in English."""
    return d.isoformat() if current() == "en" else f"{d.day}.{d.month}.{d.year}"


def time_text(t) -> str:
    """A clock time: kl. 14.00 in Norwegian, 14:00 in English."""
    return f"{t:%H:%M}" if current() == "en" else f"kl. {t:%H.%M}"


def N_(message: str) -> str:
    """Marks a text for the catalog where it is defined; it is translated with _() where it is shown."""
    return message


__all__ = ["LANGS", "N_", "_", "argv_lang", "choose", "current", "date_text", "time_text", "for_case", "in_lang", "ngettext", "normalise", "reset", "speaking"]
