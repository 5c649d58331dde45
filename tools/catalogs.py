"""The message catalogs: extract every marked text from stafett/, keep the .po files in step, compile .mo.

    python tools/catalogs.py update [PARTS.json ...]   extract, merge into nb and nn .po (new texts empty),
                                                        fill from translation tables {msgid: [nb, nn]}
    python tools/catalogs.py compile                    .po -> .mo (committed, so installs need no Babel)
    python tools/catalogs.py missing PART.json FILE...  texts in FILEs the table lacks (for one part of the work)
    python tools/catalogs.py check                      exit 1 if a text lacks nb or nn, is fuzzy, or a
                                                        .mo is older than its .po's content

Babel does the extraction and the .po/.mo work; a translator opens the .po in any PO editor
(docs/translating.md).
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "stafett"
LOCALE = SOURCE / "locale"
LANGS = ("nb", "nn")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "in_lang": (2,), "tr": None}


def extract() -> Catalog:
    template = Catalog(project="stafett", domain="stafett", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
            str(SOURCE), method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=("TRANSLATORS:",),
            strip_comment_tags=True):
        template.add(message, None, [(f"stafett/{filename}", lineno)], auto_comments=comments, context=context)
    return template


def po_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / "stafett.po"


def read(lang: str) -> Catalog:
    path = po_path(lang)
    if not path.exists():
        return Catalog(locale=lang, project="stafett", domain="stafett", charset="utf-8")
    with open(path, "rb") as f:
        return read_po(f, locale=lang, domain="stafett")


def write(catalog: Catalog, path: Path) -> None:
    buf = io.BytesIO()
    write_po(buf, catalog, width=100, sort_output=False, omit_header=False, no_location=False, include_previous=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buf.getvalue())


def update(parts: list[Path]) -> None:
    template = extract()
    write(template, LOCALE / "stafett.pot")
    tables: dict[str, list[str]] = {}
    for part in parts:
        tables.update(json.loads(part.read_text(encoding="utf-8")))
    for n, lang in enumerate(LANGS):
        catalog = read(lang)
        catalog.update(template, no_fuzzy_matching=True)
        for message in catalog:
            if not message.id:
                continue
            key = message.id if isinstance(message.id, str) else message.id[0]
            pair = tables.get(key)
            if pair and pair[n]:
                if isinstance(message.id, str):
                    message.string = pair[n]
                else:  # plural: "singular|plural" in the table
                    message.string = tuple(pair[n].split("|", 1)) if "|" in pair[n] else (pair[n], pair[n])
                message.flags.discard("fuzzy")
        catalog.obsolete.clear()
        write(catalog, po_path(lang))


def compile_all() -> None:
    for lang in LANGS:
        catalog = read(lang)
        buf = io.BytesIO()
        write_mo(buf, catalog, use_fuzzy=False)
        po_path(lang).with_suffix(".mo").write_bytes(buf.getvalue())


def problems() -> list[str]:
    found: list[str] = []
    wanted = {m.id if isinstance(m.id, str) else m.id[0] for m in extract() if m.id}
    for lang in LANGS:
        catalog = read(lang)
        have = {}
        for m in catalog:
            if m.id:
                have[m.id if isinstance(m.id, str) else m.id[0]] = m
        for msgid in sorted(wanted):
            m = have.get(msgid)
            if m is None:
                found.append(f"{lang}: not in the catalog (run tools/catalogs.py update): {msgid!r}")
            elif m.fuzzy:
                found.append(f"{lang}: fuzzy: {msgid!r}")
            elif not (m.string if isinstance(m.string, str) else all(m.string)):
                found.append(f"{lang}: no translation: {msgid!r}")
        mo = po_path(lang).with_suffix(".mo")
        buf = io.BytesIO()
        write_mo(buf, catalog, use_fuzzy=False)
        if not mo.exists() or mo.read_bytes() != buf.getvalue():
            found.append(f"{lang}: {mo.relative_to(ROOT)} is not compiled from the .po (run tools/catalogs.py compile)")
    return found


def missing(part: Path, files: list[Path]) -> list[str]:
    """The marked texts in `files` that a translation table lacks or leaves half done."""
    from babel.messages.extract import extract_from_file

    table = json.loads(part.read_text(encoding="utf-8")) if part.exists() else {}
    out = []
    for file in files:
        for _lineno, message, _comments, _context in extract_from_file("python", str(file), keywords=KEYWORDS):
            key = message if isinstance(message, str) else message[0]
            pair = table.get(key)
            if not pair or len(pair) != 2 or not all(pair):
                out.append(f"{file}: {key!r}")
    return out


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("update", "compile", "check", "missing"):
        print(__doc__)
        return 2
    if argv[0] == "missing":
        lines = missing(Path(argv[1]), [Path(a) for a in argv[2:]])
        for line in lines:
            print(line)
        return 1 if lines else 0
    if argv[0] == "update":
        update([Path(a) for a in argv[1:]])
        compile_all()
    elif argv[0] == "compile":
        compile_all()
    else:
        issues = problems()
        for line in issues:
            print(line)
        return 1 if issues else 0
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
