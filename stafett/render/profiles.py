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
from stafett.render.labels import LABELS, LANGS

SHIPPED = ("standard", "vigilo", "profil", "infodoc", "hk-oppvekst", "familia", "compilo")
NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")

STAFETTLOGG_SECTIONS = (
    "oversikt", "hovedperson", "bekymring", "stafettholder", "koordinator", "deltakere", "samtykker",
    "kartlegginger", "utviklingsomrader", "mal", "tiltak", "moter", "lysglimt", "logg", "avslutning",
)
REFERAT_SECTIONS = (
    "mote", "motedeltakere", "motesamtykke", "dagsorden", "mal", "tiltak", "beslutninger", "oppgaver",
    "barnets_stemme", "neste_mote",
)
KINDS = {"stafettlogg": STAFETTLOGG_SECTIONS, "referat": REFERAT_SECTIONS}


class ProfileError(StafettError):
    """A profile file (shipped or the kommune's) that cannot be used."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ProfileFile(_Strict):
    """What a profile file may say. Every key is optional in a file that builds on another."""

    navn: Optional[str] = Field(None, description="Visningsnavn, for eksempel 'Vigilo (tilrettelegging)'.")
    beskrivelse: Optional[str] = None
    bygger_pa: Optional[str] = Field(None, description="Profilen denne bygger på; bare det som står her endres.")
    form: Optional[Literal["dokument", "journalnotat"]] = None
    stafettlogg: Optional[list[str]] = Field(None, description="Seksjonene i stafettloggen, i rekkefølge.")
    referat: Optional[list[str]] = Field(None, description="Seksjonene i et referat, i rekkefølge.")
    tekster: dict[str, dict[str, str]] = Field(default_factory=dict, description="Overskrifter og ledetekster per målform.")

    @field_validator("stafettlogg", "referat")
    @classmethod
    def _known_sections(cls, value, info):
        if value is None:
            return value
        known = KINDS[info.field_name]
        for section in value:
            if section not in known:
                raise ValueError(f"unknown section '{section}' (known: {', '.join(known)})")
        if len(set(value)) != len(value):
            raise ValueError("a section is listed twice")
        return value

    @field_validator("tekster")
    @classmethod
    def _known_labels(cls, value):
        for key, by_lang in value.items():
            if key not in LABELS:
                raise ValueError(f"unknown text key '{key}'")
            for lang, text in by_lang.items():
                if lang not in LANGS:
                    raise ValueError(f"'{key}': målform must be nb or nn, not '{lang}'")
                if not isinstance(text, str) or not text.strip():
                    raise ValueError(f"'{key}.{lang}' must be a non-empty text")
        return value


class Profile(_Strict):
    name: str
    title: str
    description: str
    shape: Literal["dokument", "journalnotat"]
    stafettlogg: tuple[str, ...]
    referat: tuple[str, ...]
    labels: dict[str, dict[str, str]]
    sources: tuple[str, ...] = ()  # files read, most specific first (for messages and the README)

    def sections(self, kind: str) -> tuple[str, ...]:
        return self.stafettlogg if kind == "stafettlogg" else self.referat


def _read(path: Path, raw: bytes) -> ProfileFile:
    from stafett.errors import CaseFileError
    from stafett.store import yamlio

    try:
        data, _ = yamlio.load_mapping(raw, str(path))
        return ProfileFile.model_validate(data)
    except CaseFileError as e:
        raise ProfileError(f"profile {path}: {e.message}", e.hint) from None
    except ValidationError as e:
        err = e.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "top level"
        raise ProfileError(f"profile {path}: {where}: {err['msg']}", "see templates/README.md for the profile keys") from None


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
    return None


def available(dirs: list[Path]) -> list[str]:
    names = set(SHIPPED)
    for d in dirs:
        folder = d / "profiles"
        if folder.is_dir() and not folder.is_symlink():
            names.update(p.stem for p in folder.glob("*.yaml") if NAME.match(p.stem) and not p.is_symlink())
    return sorted(names)


def load_profile(name: str, dirs: list[Path]) -> Profile:
    """The profile `name`, searching `dirs` in order (the case folder's templates/ first)."""
    if not NAME.match(name):
        raise UsageError(f"'{name}' is not a layout name", f"use one of: {', '.join(SHIPPED)}")
    found = _find(name, dirs, 0)
    if found is None:
        raise UsageError(f"no layout '{name}'", f"use one of: {', '.join(available(dirs))}")
    chain: list[tuple[Path, ProfileFile]] = []
    seen: set[tuple[str, int]] = set()
    current, index, raw = found
    key = (name, index)
    while True:
        if key in seen or len(chain) > 8:
            raise ProfileError(f"profile {current}: 'bygger_pa' goes round in a circle", "let the chain end in a shipped profile")
        seen.add(key)
        data = _read(current, raw)
        chain.append((current, data))
        parent = data.bygger_pa
        if parent is None:
            break
        if not NAME.match(parent):
            raise ProfileError(f"profile {current}: bygger_pa '{parent}' is not a profile name", None)
        # A file building on its own name means the next one down the search path (the shipped one).
        found = _find(parent, dirs, index + 1 if parent == key[0] else 0)
        if found is None:
            raise ProfileError(f"profile {current}: bygger_pa '{parent}' not found", f"use one of: {', '.join(available(dirs))}")
        current, index, raw = found
        key = (parent, index)
    return _merge(name, chain)


def _merge(name: str, chain: list[tuple[Path, ProfileFile]]) -> Profile:
    title = description = shape = None
    stafettlogg = referat = None
    labels: dict[str, dict[str, str]] = {}
    for _, data in reversed(chain):  # base first, the most specific last
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
        raise ProfileError(f"profile {top}: missing {', '.join(missing)}", "add the keys, or 'bygger_pa: <profile>' to start from one")
    return Profile(
        name=name, title=title or name, description=description or "", shape=shape,
        stafettlogg=tuple(stafettlogg), referat=tuple(referat), labels=labels,
        sources=tuple(str(p) for p, _ in chain),
    )
