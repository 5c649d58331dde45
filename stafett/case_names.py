"""Which file names belong to which case: the one grammar the purge, export and render share.

A case id is `S-` + 8 digits + `-` + 4 to 12 of [a-z0-9] (folder.CASE_ID). Ids are matched as whole
tokens, never as substrings: `S-20150301-k7q4` is a prefix of `S-20150301-k7q4m2` but shares none of
its files. A file name (the last path component, compared exactly, case-sensitive) belongs to case ID
when it is one of:

    ID                          a file named just the id
    ID + SEP + anything         the case file `ID.yaml`, and the documents stafett and people make
                                about the case: renders `ID-stafettlogg.html`, invitations
                                `ID-mo-x.ics`, `ID.yaml.orig` ...; SEP is any character that is not
                                an ASCII letter or digit (`.`, `-`, `_`, a space, `æ` ...)
    .ID.yaml.lock               stafett's lock file (store/files.lock_path)
    .ID.yaml.RANDOM.tmp         a temp file of an atomic write (store/files.atomic_write), RANDOM
                                one or more of [a-z0-9_] as tempfile.mkstemp makes them

Every name has at most one owner, so an id that is a prefix of another never reaches the other's
files. A name that carries the id elsewhere (`kopi-ID.html`) is not owned by name; the purge finds
such files by their content and only warns about them.
"""

from __future__ import annotations

import re
from typing import Optional

ID = r"S-[0-9]{8}-[a-z0-9]{4,12}"
_NOT_ID_CHAR = r"(?![A-Za-z0-9])"
_OWNED = [
    re.compile(rf"\.({ID})\.yaml\.lock"),
    re.compile(rf"\.({ID})\.yaml\.[a-z0-9_]+\.tmp"),
    re.compile(rf"({ID}){_NOT_ID_CHAR}.*", re.DOTALL),
]
_TOKEN = re.compile(rf"(?<![A-Za-z0-9])({ID}){_NOT_ID_CHAR}")


def owner(name: str) -> Optional[str]:
    """The case a file name belongs to (see the module text), or None."""
    for pattern in _OWNED:
        m = pattern.fullmatch(name)
        if m:
            return m.group(1)
    return None


def belongs_to(name: str, case_id: str) -> bool:
    return owner(name) == case_id


def ids_in(name: str) -> list[str]:
    """Every whole case id a name carries, wherever it stands (for names that name several cases)."""
    return _TOKEN.findall(name)
