"""Layout profiles: data, not code. A profile says which sections a document has, in what order,
under which headings, and whether it is a full document or a short journal note.

Profiles live in `templates/profiles/<name>.yaml`. A case folder's own `templates/profiles/<name>.yaml`
replaces the shipped one of the same name; with `bygger_pa: <name>` it starts from the shipped profile
and changes only what it names (for example one heading in `tekster`). The case folder's profiles are
read like its templates (stafett/render/localfiles.py): a link or a special file is refused.

`dirs` is always the search path of environment.search_dirs: the case folder's templates/ first (when
there is one), the shipped templates last.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from stafett.errors import StafettError, UsageError
from stafett.i18n import _
from stafett.render.labels import LABELS, LANGS

SHIPPED = ("standard", "vigilo", "profil", "infodoc", "hk-oppvekst", "familia", "compilo")
# Names still accepted for a layout merged into another: Compilo holds the kommune's blank mal, not the
# child's documents, so what goes there is the standard document (templates/README.md).
ALIASES = {"compilo": "standard"}
NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")

STAFETTLOGG_SECTIONS = (
    "oversikt", "hovedperson", "bekymring", "stafettholder", "koordinator", "deltakere", "samtykker",
    "kartlegginger", "utviklingsomrader", "mal", "tiltak", "moter", "lysglimt", "logg", "avslutning", "kopier",
)
REFERAT_SECTIONS = (
    "mote", "motedeltakere", "motesamtykke", "dagsorden", "mal", "tiltak", "beslutninger", "oppgaver",
    "barnets_stemme", "neste_mote",
)
KINDS = {"stafettlogg": STAFETTLOGG_SECTIONS, "referat": REFERAT_SECTIONS}
# The journal note (stafett journal): what concerns one service, in plain text. `voldsmistanke` is
# shown only in barnevern's note (stafett/render/journal.py decides that, not the profile).
JOURNAL_SECTIONS = (
    "oversikt", "bekymring", "voldsmistanke", "koordinator", "deltakere", "samtykker", "tiltak", "moter", "oppgaver",
    "logg",
)
HEADING_STYLES = ("understrek", "versaler", "kolon")
DEFAULT_JOURNAL = ("oversikt", "deltakere", "samtykker", "tiltak", "moter", "oppgaver", "logg")


class ProfileError(StafettError):
    """A profile file (shipped or the kommune's) that cannot be used."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class JournalFile(_Strict):
    """The journal note's part of a profile; every key optional when the profile builds on another."""

    seksjoner: Optional[list[str]] = Field(None, description="Seksjonene i journalnotatet, i rekkefølge.")
    bredde: Optional[int] = Field(None, ge=0, le=200, description="Linjebredde; 0 betyr ingen linjeskift i avsnitt.")
    overskrift: Optional[Literal["understrek", "versaler", "kolon"]] = Field(
        None, description="understrek (linje under), versaler (STORE BOKSTAVER) eller kolon (Overskrift:).")

    @field_validator("seksjoner")
    @classmethod
    def _known_sections(cls, value):
        if value is None:
            return value
        for section in value:
            if section not in JOURNAL_SECTIONS:
                raise ValueError(_("unknown journal section '{section}' (known: {known})").format(
                    section=section, known=", ".join(JOURNAL_SECTIONS)))
        if len(set(value)) != len(value):
            raise ValueError(_("a section is listed twice"))
        return value

    @field_validator("bredde")
    @classmethod
    def _readable_width(cls, value):
        if value is not None and 0 < value < 40:
            raise ValueError(_("a width under 40 characters cannot hold a line of the note; use 40-200, or 0 for none"))
        return value


class ProfileFile(_Strict):
    """What a profile file may say. Every key is optional in a file that builds on another."""

    navn: Optional[str] = Field(None, description="Visningsnavn, for eksempel 'Vigilo (tilrettelegging)'.")
    beskrivelse: Optional[str] = None
    bygger_pa: Optional[str] = Field(None, description="Profilen denne bygger på; bare det som står her endres.")
    form: Optional[Literal["dokument", "journalnotat"]] = None
    stafettlogg: Optional[list[str]] = Field(None, description="Seksjonene i stafettloggen, i rekkefølge.")
    referat: Optional[list[str]] = Field(None, description="Seksjonene i et referat, i rekkefølge.")
    tekster: dict[str, dict[str, str]] = Field(default_factory=dict, description="Overskrifter og ledetekster per målform.")
    journal: Optional[JournalFile] = Field(None, description="Journalnotatet (stafett journal): seksjoner, bredde, overskrifter.")

    @field_validator("stafettlogg", "referat")
    @classmethod
    def _known_sections(cls, value, info):
        if value is None:
            return value
        known = KINDS[info.field_name]
        for section in value:
            if section not in known:
                raise ValueError(_("unknown section '{section}' (known: {known})").format(section=section, known=", ".join(known)))
        if len(set(value)) != len(value):
            raise ValueError(_("a section is listed twice"))
        return value

    @field_validator("tekster")
    @classmethod
    def _known_labels(cls, value):
        for key, by_lang in value.items():
            if key not in LABELS:
                raise ValueError(_("unknown text key '{key}'").format(key=key))
            for lang, text in by_lang.items():
                if lang not in LANGS:
                    raise ValueError(_("'{key}': målform must be nb or nn, not '{malform}'").format(key=key, malform=lang))
                if not isinstance(text, str) or not text.strip():
                    raise ValueError(_("'{key}.{malform}' must be a non-empty text").format(key=key, malform=lang))
        return value


class Profile(_Strict):
    name: str
    title: str
    description: str
    shape: Literal["dokument", "journalnotat"]
    stafettlogg: tuple[str, ...]
    referat: tuple[str, ...]
    labels: dict[str, dict[str, str]]
    journal_sections: tuple[str, ...] = ()
    journal_width: int = 72
    journal_heading: Literal["understrek", "versaler", "kolon"] = "understrek"
    sources: tuple[str, ...] = ()  # files read, most specific first (for messages and the README)

    def sections(self, kind: str) -> tuple[str, ...]:
        return self.stafettlogg if kind == "stafettlogg" else self.referat


def _read(path: Path, raw: bytes) -> ProfileFile:
    from stafett.errors import CaseFileError
    from stafett.store import yamlio

    try:
        data, _text = yamlio.load_mapping(raw, str(path))
        return ProfileFile.model_validate(data)
    except CaseFileError as e:
        raise ProfileError(_("profile {path}: {problem}").format(path=path, problem=e.message), e.hint) from None
    except ValidationError as e:
        err = e.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or _("top level")
        raise ProfileError(_("profile {path}: {where}: {problem}").format(path=path, where=where, problem=err["msg"]),
                           _("see templates/README.md for the profile keys")) from None


def _find(name: str, dirs: list[Path], start: int) -> tuple[Path, int, bytes] | None:
    from stafett.render.localfiles import read_inside

    for i in range(start, len(dirs)):
        path = dirs[i] / "profiles" / f"{name}.yaml"
        if i < len(dirs) - 1:  # the case folder's own: never through a link
            raw = read_inside(dirs[i], ("profiles", f"{name}.yaml"))
            if raw is not None:
                return path, i, raw
        elif path.is_file():
            return path, i, path.read_bytes()
    if name in ALIASES:  # nobody's own file of that name: the profile it was merged into
        return _find(ALIASES[name], dirs, start)
    return None


def merged_into(name: str, dirs: list[Path]) -> Optional[str]:
    """The profile an alias stands for (compilo: standard) when nobody has a file of the alias's own name."""
    if name not in ALIASES:
        return None
    found = _find(name, dirs, 0)
    return found[0].stem if found is not None and found[0].stem != name else None


def available(dirs: list[Path]) -> list[str]:
    names = set(SHIPPED) | set(ALIASES)
    for d in dirs:
        folder = d / "profiles"
        if folder.is_dir() and not folder.is_symlink():
            names.update(p.stem for p in folder.glob("*.yaml") if NAME.match(p.stem) and not p.is_symlink())
    return sorted(names)


def load_profile(name: str, dirs: list[Path]) -> Profile:
    """The profile `name`, searching `dirs` in order (the case folder's templates/ first)."""
    if not NAME.match(name):
        raise UsageError(_("'{name}' is not a layout name").format(name=name),
                         _("use one of: {choices}").format(choices=", ".join(SHIPPED)))
    found = _find(name, dirs, 0)
    if found is None:
        raise UsageError(_("no layout '{name}'").format(name=name),
                         _("use one of: {choices}").format(choices=", ".join(available(dirs))))
    chain: list[tuple[Path, ProfileFile]] = []
    seen: set[tuple[str, int]] = set()
    current, index, raw = found
    if current.stem != name:  # an alias: the profile is the one it names, under that one's name
        name = current.stem
    key = (name, index)
    while True:
        if key in seen or len(chain) > 8:
            raise ProfileError(_("profile {path}: 'bygger_pa' goes round in a circle").format(path=current),
                               _("let the chain end in a shipped profile"))
        seen.add(key)
        data = _read(current, raw)
        chain.append((current, data))
        parent = data.bygger_pa
        if parent is None:
            break
        if not NAME.match(parent):
            raise ProfileError(_("profile {path}: bygger_pa '{parent}' is not a profile name").format(path=current, parent=parent),
                               None)
        # A file building on its own name means the next one down the search path (the shipped one).
        found = _find(parent, dirs, index + 1 if parent == key[0] else 0)
        if found is None:
            raise ProfileError(_("profile {path}: bygger_pa '{parent}' not found").format(path=current, parent=parent),
                               _("use one of: {choices}").format(choices=", ".join(available(dirs))))
        current, index, raw = found
        key = (parent, index)
    return _merge(name, chain)


def _merge(name: str, chain: list[tuple[Path, ProfileFile]]) -> Profile:
    title = description = shape = None
    stafettlogg = referat = None
    labels: dict[str, dict[str, str]] = {}
    journal: dict = {}
    for _path, data in reversed(chain):  # base first, the most specific last
        if data.journal is not None:
            journal.update({k: v for k, v in data.journal.model_dump().items() if v is not None})
        title = data.navn or title
        description = data.beskrivelse or description
        shape = data.form or shape
        stafettlogg = data.stafettlogg if data.stafettlogg is not None else stafettlogg
        referat = data.referat if data.referat is not None else referat
        for key, by_lang in data.tekster.items():
            labels[key] = {**labels.get(key, {}), **by_lang}
    top = chain[0][0]
    missing = [k for k, v in (("form", shape), ("stafettlogg", stafettlogg), ("referat", referat)) if v is None]
    if missing:
        raise ProfileError(_("profile {path}: missing {keys}").format(path=top, keys=", ".join(missing)),
                           _("add the keys, or 'bygger_pa: <profile>' to start from one"))
    return Profile(
        name=name, title=title or name, description=description or "", shape=shape,
        stafettlogg=tuple(stafettlogg), referat=tuple(referat), labels=labels,
        journal_sections=tuple(journal.get("seksjoner", DEFAULT_JOURNAL)), journal_width=journal.get("bredde", 72),
        journal_heading=journal.get("overskrift", "understrek"), sources=tuple(str(p) for p, _data in chain),
    )
