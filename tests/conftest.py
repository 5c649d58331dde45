"""Shared fixtures: a small invented case folder written as real files, and a CLI runner."""

from __future__ import annotations

import textwrap
from pathlib import Path

import os

import pytest
from typer.testing import CliRunner

# The suite reads messages in English (the developers' fallback); tests of bokmål and nynorsk ask for
# them with --lang or STAFETT_LANG in their own process. Set before stafett is imported: help texts are
# translated when the commands load.
os.environ["STAFETT_LANG"] = "en"
# The cache's key lives in the user's cache folder: the suite makes its own, never the developer's.
os.environ["XDG_CACHE_HOME"] = _cache_home = __import__("tempfile").mkdtemp(prefix="stafett-test-cache-")
__import__("atexit").register(__import__("shutil").rmtree, _cache_home, True)

from stafett.cli import app, load_commands

load_commands()
ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "cases.example"

SETTINGS = """\
versjon: 2
kommune: Testvik
malform: nb
tjenester:
  - id: barnehage
    navn: Barnehage
    fagsystem: vigilo
  - id: skole
    navn: Skole
    fagsystem: vigilo
  - id: helsestasjon
    navn: Helsestasjon
    fagsystem: infodoc
  - id: ppt
    navn: PPT
    fagsystem: hk-oppvekst
  - id: koordinerende-enhet
    navn: Koordinerende enhet
    fagsystem: profil
    koordinerende_enhet: true
"""

PEOPLE = """\
versjon: 2
personer:
  - id: kari.lund
    navn: Kari Lund
    stilling: pedagogisk leder
    tjeneste: barnehage
    leder: per.berg
    epost: kari.lund@testvik.example
  - id: per.berg
    navn: Per Berg
    stilling: styrer
    tjeneste: barnehage
    roller: [leder]
  - id: siri.dahl
    navn: Siri Dahl
    stilling: PPT-rådgiver
    tjeneste: ppt
    leder: per.berg
  - id: anne.ek
    navn: Anne Ek
    stilling: helsesykepleier
    tjeneste: helsestasjon
    leder: per.berg
    roller: [koordinator]
"""

# A valid nivå-1 case: what a coordinator's file looks like, comments and all.
CASE_ID = "S-20261101-abcdef"
CASE = """\
# yaml-language-server: $schema=../schemas/sak.schema.json
versjon: 2
id: S-20261101-abcdef
opprettet: 2026-11-01
niva: 1   # nivå 1 etter samtale med mor
hovedperson:
  navn: Ola Testesen
  kategori: barn
  fodselsdato: 2021-05-04

foresatte:
  - id: f-mor
    navn: Eva Testesen
    relasjon: mor

# Undringen
bekymring:
  dato: 2026-11-01
  meldt_av: kari.lund
  beskrivelse: "Ola er stille i samlingsstund og leker mest alene."
eier: kari.lund
stafettholder:
  person: kari.lund
  fra: 2026-11-03
  oppnevnt_av: per.berg
samtykker:
  - id: s-1
    gitt_av: f-mor
    dato: 2026-11-03
    omfang: [stafettlogg, barnehage, ppt]
    form: skriftlig
    registrert_av: kari.lund
tiltak:
  - id: t-1
    beskrivelse: Fast voksen i frileken
    ansvarlig: kari.lund
    start: 2026-11-04
    evalueres: 2026-12-15
logg:
  - tid: 2026-11-01 09:00:00
    av: kari.lund
    type: opprettet
    tekst: Undring registrert.
  - tid: 2026-11-03 10:00:00
    av: per.berg
    type: oppnevning
    tekst: Kari Lund er stafettholder.
# slutt på loggen
"""


@pytest.fixture(autouse=True)
def _environment_restored():
    """A test that sets os.environ by hand (STAFETT_TODAY in a loop) must not hand its date to the next test
    in the same worker: every test starts from the environment and language the session started with."""
    from stafett import i18n

    saved = dict(os.environ)
    yield
    if os.environ != saved:
        os.environ.clear()
        os.environ.update(saved)
    i18n.reset()  # nor its language: a function called outside the CLI reads what the last command chose


def write_folder(root: Path, case: str | None = CASE, settings: str = SETTINGS, people: str = PEOPLE) -> Path:
    (root / "saker").mkdir(parents=True, exist_ok=True)
    (root / "stafett.yaml").write_text(settings, encoding="utf-8")
    (root / "personer.yaml").write_text(people, encoding="utf-8")
    from stafett import schema

    schema.write(root / "schemas")
    if case is not None:
        (root / "saker" / f"{CASE_ID}.yaml").write_text(case, encoding="utf-8")
    return root


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


@pytest.fixture
def folder(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("STAFETT_TODAY", "2026-11-23")
    monkeypatch.delenv("CI", raising=False)  # CI hides source excerpts; the tests read them
    root = write_folder(tmp_path / "kommune")
    monkeypatch.chdir(root)
    return root


@pytest.fixture
def cli():
    runner = CliRunner()

    def invoke(*args: str, input: str | bytes | None = None):
        return runner.invoke(app, list(args), input=input, catch_exceptions=False)

    return invoke
