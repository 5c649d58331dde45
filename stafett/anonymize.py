"""Pseudonymise a case for sharing examples, training and statistics.

Every person (staff, foresatte, the hovedperson) gets a consistent pseudonym; the fødselsnummer is
removed; dates keep only year and month (the first of the month); known names inside free text are
replaced too. Names the record does not know (a neighbour mentioned in a note) cannot be found: the
documentation says so, and statistics exports drop free text altogether.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from typing import Any

from stafett.model import Case, People

FIRST = ["Alva", "Bror", "Cecilie", "Didrik", "Embla", "Frode", "Gunhild", "Halvor", "Ingrid", "Jostein", "Kaia",
         "Lars", "Maren", "Njål", "Oda", "Peder", "Ragna", "Sindre", "Tuva", "Ulrik", "Vilde", "Æsa", "Øyvind", "Åse"]
LAST = ["Aas", "Berge", "Dal", "Eide", "Fjell", "Gran", "Holm", "Lie", "Moe", "Nes", "Rud", "Strand", "Vik", "Ødegård"]
# Keys whose values are codes or ids, never prose: everything else is treated as free text that may
# name someone.
_CODE_KEYS = {"id", "status", "kategori", "type", "utfall", "form", "omfang", "gitt_av", "relasjon", "med", "mal",
              "utviklingsomrade", "samtykke", "tjeneste", "fagsystem", "roller", "med", "innkalt", "tilstede",
              "fravaerende", "kopi_til", "person", "av", "til", "fra", "eier", "meldt_av", "oppnevnt_av", "sekundaer",
              "ansvarlig", "leder", "referent", "skrevet_av", "registrert_av", "kriterier", "stilling", "enhet"}


class Pseudonyms:
    def __init__(self, key: bytes | None = None) -> None:
        # A fresh key per run: pseudonyms are consistent within one output, unlinkable across outputs.
        self.key = key or secrets.token_bytes(16)
        self.names: dict[str, str] = {}
        self.used: set[str] = set()

    def name(self, ident: str) -> str:
        if ident not in self.names:
            h = int.from_bytes(hmac.new(self.key, ident.encode("utf-8"), hashlib.sha256).digest()[:8], "big")
            n = 0
            while True:
                candidate = f"{FIRST[(h + n) % len(FIRST)]} {LAST[(h // 97 + n * 7) % len(LAST)]}"
                if candidate not in self.used:
                    break
                n += 1
                if n > len(FIRST) * len(LAST):
                    candidate = f"Person {len(self.used) + 1}"
                    break
            self.used.add(candidate)
            self.names[ident] = candidate
        return self.names[ident]


def _month(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, 1)
    if isinstance(value, dt.date):
        return dt.date(value.year, value.month, 1)
    return value


def _name_pattern(replacements: dict[str, str]) -> re.Pattern | None:
    words = sorted((w for w in replacements if len(w) >= 2), key=len, reverse=True)
    if not words:
        return None
    # Norwegian genitive adds -s (Olas mor) or an apostrophe (Mats' far); keep the ending, swap the name.
    return re.compile(r"(?<!\w)(" + "|".join(re.escape(w) for w in words) + r")(s|')?(?!\w)", re.IGNORECASE)


def _text_replacements(case: Case, people: People | None, ps: Pseudonyms) -> dict[str, str]:
    """Every known name, in full and each part of it, mapped to the matching part of its pseudonym."""
    out: dict[str, str] = {}
    known = [("hovedperson", case.hovedperson.navn)] + [(f"foresatt:{f.id}", f.navn) for f in case.foresatte]
    if people:
        known += [(f"ansatt:{p.id}", p.navn) for p in people.personer]
    for ident, real in known:
        fake = ps.name(ident)
        out[real.lower()] = fake
        real_parts, fake_parts = real.split(), fake.split()
        for n, part in enumerate(real_parts):
            if len(part) >= 3:
                out.setdefault(part.lower(), fake_parts[min(n, len(fake_parts) - 1)] if n == 0 or n == len(real_parts) - 1 else fake_parts[0])
    return out


def _slug(name: str) -> str:
    table = str.maketrans({"æ": "ae", "ø": "o", "å": "a", " ": "."})
    return re.sub(r"[^a-z0-9.]", "", name.lower().translate(table))


def anonymize(case: Case, people: People | None, ps: Pseudonyms | None = None, keep_text: bool = True) -> tuple[Case, People | None]:
    ps = ps or Pseudonyms()
    replacements = _text_replacements(case, people, ps)
    pattern = _name_pattern(replacements)

    def scrub(text: str) -> str:
        return pattern.sub(lambda m: replacements[m.group(1).lower()] + (m.group(2) or ""), text) if pattern else text

    def walk(value: Any, key: str | None = None, parent: str | None = None) -> Any:
        if isinstance(value, dict):
            return {k: walk(v, k, key) for k, v in value.items() if k != "fodselsnummer"}
        if isinstance(value, list):
            return [walk(v, key, parent) for v in value]
        if isinstance(value, (dt.date, dt.datetime)):
            return _month(value)
        if not isinstance(value, str) or key in _CODE_KEYS or (parent == "avsluttet" and key == "grunn"):
            return value
        if key in ("telefon", "epost"):
            return "[fjernet]"
        return scrub(value) if keep_text else "[fjernet]"

    # Staff ids are usually made from names (kari.lund), so they are replaced wherever they stand.
    ids = {p.id: _slug(ps.name(f"ansatt:{p.id}")) for p in people.personer} if people else {}

    def walk_ids(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: walk_ids(v) for k, v in value.items()}
        if isinstance(value, list):
            return [walk_ids(v) for v in value]
        return ids.get(value, value) if isinstance(value, str) else value

    data = walk_ids(walk(case.model_dump(mode="python", exclude_unset=True)))
    data["hovedperson"]["navn"] = ps.name("hovedperson")
    # The case id carries the creation date; keep its month like every other date.
    token = hmac.new(ps.key, case.id.encode("utf-8"), hashlib.sha256).hexdigest()[:6]
    data["id"] = f"S-{case.opprettet:%Y%m}01-{token}"
    for f in data.get("foresatte", []):
        f["navn"] = ps.name(f"foresatt:{f['id']}")
    new_case = Case.model_validate(data)
    new_people = None
    if people is not None:
        pdata = people.model_dump(mode="python", exclude_unset=True)
        for p in pdata["personer"]:
            p["navn"] = ps.name(f"ansatt:{p['id']}")
            p.pop("epost", None)
            p.pop("telefon", None)
        pdata = walk_ids(pdata)
        new_people = People.model_validate(pdata)
    return new_case, new_people
