"""Pseudonymise a case for sharing examples, training and statistics.

Every person (staff, foresatte, the hovedperson) gets a consistent pseudonym; the fødselsnummer is
removed; dates keep only year and month (the first of the month); known names inside free text are
replaced too. A field that names a person (a staff id, a participant) gets a pseudonym even when the
record does not know the person. Typed into free text, a fødselsnummer (checksum-valid), a phone
number, an e-mail address, a street address and an exact date (d.m.åååå) are replaced as well, so
`render --anonymize`, which keeps the text, hides what `export --anonymize` hides by dropping it.
Names the record does not know (a neighbour mentioned in a note) cannot be found: the documentation
says so, and statistics exports drop free text altogether.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from typing import Any

from stdnum.no import fodselsnummer

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


# Fields whose value is a person (an id, or whatever was typed there): each gets a pseudonym.
_PERSON_KEYS = {"meldt_av", "eier", "av", "person", "oppnevnt_av", "til", "fra", "sekundaer", "registrert_av",
                "ansvarlig", "leder", "referent", "skrevet_av", "gitt_av"}
_PEOPLE_LIST_KEYS = {"innkalt", "tilstede", "fravaerende", "kopi_til", "med"}
# Words a person field may hold that name no one.
_NOT_PEOPLE = {"hovedperson", "foresatte", "barn", "samarbeidspartner"}

_FNR = re.compile(r"(?<![\d.,])(\d{6})[ ]?(\d{5})(?![\d])")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_DATE = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.((?:19|20)\d{2}|\d{2})(?![\d])")
_PHONE = re.compile(r"(?<![\w+])(?:(?:\+|00)\d{2}[ ]?)?(?:\d{3}[ ]?\d{2}[ ]?\d{3}|\d{2}[ ]?\d{2}[ ]?\d{2}[ ]?\d{2})(?![\d])")
_STREET = ("veien|vegen|vei|veg|gata|gate|gaten|gt\\.|plassen|plass|stien|sti|bakken|bakke|alléen|allé|alle|tunet|"
           "torget|brygga|lia|kroken|ringen|svingen|haugen|åsen|løkka|grenda|kleiva|stubben|lunden|jordet")
_ADDRESS = re.compile(r"(?<!\w)(?:[A-ZÆØÅ][\w'.-]*[ ]){0,3}[\w'-]*(?:" + _STREET + r")[ ]+\d{1,4}[ ]?[A-Za-z]?(?!\w)"
                      r"(?:,?[ ]*\d{4}[ ]+[A-ZÆØÅ][\w-]+)?")


def scrub_identifiers(text: str) -> str:
    """Free text without the fødselsnummer, e-mail, exact dates, phone numbers and street addresses in it."""
    text = _FNR.sub(lambda m: "[fødselsnummer]" if fodselsnummer.is_valid(m.group(1) + m.group(2)) else m.group(0), text)
    text = _EMAIL.sub("[e-post]", text)
    text = _DATE.sub(lambda m: f"{m.group(2)}.{m.group(3)}", text)
    text = _PHONE.sub("[telefon]", text)
    return _ADDRESS.sub("[adresse]", text)


def _field_kinds() -> tuple[dict[str, frozenset[str]], frozenset[str], frozenset[str]]:
    """Read off the model, so a field added later is never treated as prose by a forgotten list:
    per field name, the words its Literal type allows (such a value is a code, whatever the field is
    called: grunn is a code in one place and free text in another); the names whose every string is an
    id (a pattern-checked value: it cannot hold prose); and the names typed as a staff id."""
    import typing

    from pydantic import BaseModel
    from pydantic.types import StringConstraints

    from stafett.model.common import PersonId

    found: dict[str, set[str]] = {}
    patterned: dict[str, bool] = {}
    persons: set[str] = set()
    seen: set[type] = set()
    person_pattern = next(m.pattern for m in typing.get_args(PersonId)[1:] if isinstance(m, StringConstraints))

    def leaves(annotation, metadata=()):
        """(metadata, type) for every non-container leaf of a field's annotation."""
        if typing.get_origin(annotation) is typing.Annotated:
            base, *meta = typing.get_args(annotation)
            yield from leaves(base, (*metadata, *meta))
        elif typing.get_args(annotation) and typing.get_origin(annotation) is not typing.Literal:
            for a in typing.get_args(annotation):
                yield from leaves(a)
        else:
            yield metadata, annotation

    def words(annotation) -> set[str]:
        if typing.get_origin(annotation) is typing.Literal:
            return {a for a in typing.get_args(annotation) if isinstance(a, str)}
        return set().union(*(words(a) for a in typing.get_args(annotation)))

    def models(annotation):
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            yield annotation
        for a in typing.get_args(annotation):
            yield from models(a)

    def visit(model: type) -> None:
        if model in seen:
            return
        seen.add(model)
        for name, field in model.model_fields.items():
            allowed = words(field.annotation)
            if allowed:
                found.setdefault(name, set()).update(allowed)
            for meta, leaf in leaves(field.annotation):
                if leaf is not str:
                    continue
                # Field(pattern=...) leaves a general metadata object, Annotated a StringConstraints: both carry .pattern.
                patterns = [m.pattern for m in (*meta, *field.metadata) if getattr(m, "pattern", None)]
                patterned[name] = patterned.get(name, True) and bool(patterns)
                if person_pattern in patterns:
                    persons.add(name)
            for inner in models(field.annotation):
                visit(inner)

    visit(Case)
    visit(People)
    return ({k: frozenset(v) for k, v in found.items()},
            frozenset(k for k, only_ids in patterned.items() if only_ids), frozenset(persons - {"id"}))


_LITERALS, _ID_KEYS, _PERSON_ID_KEYS = _field_kinds()


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
    known = ([("hovedperson", case.hovedperson.navn)] + [(f"foresatt:{f.id}", f.navn) for f in case.foresatte]
             + [(f"familie:{f.id}", f.navn) for f in case.familie] + [(f"ekstern:{e.id}", e.navn) for e in case.eksterne])
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
        text = scrub_identifiers(text)
        return pattern.sub(lambda m: replacements[m.group(1).lower()] + (m.group(2) or ""), text) if pattern else text

    def walk(value: Any, key: str | None = None, parent: str | None = None) -> Any:
        if isinstance(value, dict):
            return {k: walk(v, k, key) for k, v in value.items() if k != "fodselsnummer"}
        if isinstance(value, list):
            return [walk(v, key, parent) for v in value]
        if isinstance(value, (dt.date, dt.datetime)):
            return _month(value)
        if not isinstance(value, str) or key in _CODE_KEYS or key in _ID_KEYS or value in _LITERALS.get(key, ()):
            return value
        if key in ("telefon", "epost"):
            return "[fjernet]"
        return scrub(value) if keep_text else "[fjernet]"

    # Staff ids are usually made from names (kari.lund), so they are replaced wherever they stand.
    ids = {p.id: _slug(ps.name(f"ansatt:{p.id}")) for p in people.personer} if people else {}
    keep = _NOT_PEOPLE | {f.id for f in case.foresatte} | ({p.tjeneste for p in people.personer} if people else set())

    def person(value: str) -> str:
        """A person field's value: a known staff id's pseudonym; anyone else a pseudonym of their own."""
        if value in ids or value in keep:
            return ids.get(value, value)
        fake = ps.name(f"ukjent:{value}")
        return _slug(fake) if re.fullmatch(r"[a-z0-9][a-z0-9._-]{0,63}", value) else fake

    def walk_ids(value: Any, key: str | None = None, listed: bool = False) -> Any:
        if isinstance(value, dict):
            return {k: walk_ids(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [walk_ids(v, key, True) for v in value]
        if isinstance(value, str) and value not in _LITERALS.get(key, ()) and (
                key in _PERSON_KEYS or key in _PERSON_ID_KEYS or (listed and key in _PEOPLE_LIST_KEYS)):
            return person(value)
        return ids.get(value, value) if isinstance(value, str) else value

    data = walk_ids(walk(case.model_dump(mode="python", exclude_unset=True)))
    data["hovedperson"]["navn"] = ps.name("hovedperson")
    # The case id carries the creation date; keep its month like every other date.
    token = hmac.new(ps.key, case.id.encode("utf-8"), hashlib.sha256).hexdigest()[:6]
    data["id"] = f"S-{case.opprettet:%Y%m}01-{token}"
    for kind, key in (("foresatt", "foresatte"), ("familie", "familie"), ("ekstern", "eksterne")):
        for f in data.get(key, []):
            f["navn"] = ps.name(f"{kind}:{f['id']}")
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
