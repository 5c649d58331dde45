"""Shared by the command tests: an invented kommune written as real files, and the CLI run in-process
exactly as the `stafett` script runs it (one error line on stderr, the exit code from `run`)."""

from __future__ import annotations

import contextlib
import io
import os
import re
import subprocess
import textwrap
from dataclasses import dataclass
from pathlib import Path

from stafett.cli import load_commands
from stafett.cli.app import run

load_commands()

SETTINGS = """\
# Testvik kommune (oppfunnet).
kommune: Testvik kommune
malform: nb
tjenester:
  - id: barnehage
    navn: Barnehagene
    fagsystem: vigilo
  - id: skole
    navn: Grunnskolene
    fagsystem: vigilo
  - id: helsestasjon
    navn: Helsestasjon og skolehelsetjeneste
    fagsystem: infodoc
  - id: ppt
    navn: PPT
    fagsystem: hk-oppvekst
  - id: barnevern
    navn: Barnevernstjenesten
    fagsystem: familia
  - id: koordinerende-enhet
    navn: Koordinerende enhet
    fagsystem: profil
    koordinerende_enhet: true
"""

PEOPLE = """\
personer:
  - id: hanne.rossland
    navn: Hanne Røssland
    stilling: rektor
    tjeneste: skole
    enhet: Testvik skole
    epost: hanne.rossland@testvik.example
    roller: [leder]
  - id: mona.birkeland
    navn: Mona Birkeland
    stilling: kontaktlærer
    tjeneste: skole
    enhet: Testvik skole
    leder: hanne.rossland
    epost: mona.birkeland@testvik.example
  - id: erik.vatne
    navn: Erik Vatne
    stilling: kontaktlærer
    tjeneste: skole
    epost: erik.vatne@testvik.example
    enhet: Testvik skole
    leder: hanne.rossland
  - id: tor.moen
    navn: Tor Moen
    stilling: PPT-leder
    tjeneste: ppt
    epost: tor.moen@testvik.example
    roller: [leder]
  - id: siri.dahl
    navn: Siri Dahl
    stilling: PPT-rådgiver
    tjeneste: ppt
    leder: tor.moen
    epost: siri.dahl@testvik.example
  - id: liv.berg
    navn: Liv Berg
    stilling: leder helsestasjon
    tjeneste: helsestasjon
    epost: liv.berg@testvik.example
    roller: [leder]
  - id: anne.ek
    navn: Anne Ek
    stilling: helsesykepleier
    tjeneste: helsestasjon
    leder: liv.berg
    epost: anne.ek@testvik.example
    roller: [koordinator]
  - id: tove.ke
    navn: Tove Kjos
    stilling: saksbehandler
    tjeneste: koordinerende-enhet
    epost: tove.ke@testvik.example
    roller: [koordinerende_enhet]
  - id: bo.barnevern
    navn: Bo Vik
    stilling: saksbehandler
    tjeneste: barnevern
    epost: bo.barnevern@testvik.example
"""


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if line.strip()]


def stafett(*args: str, cwd: Path | None = None) -> Result:
    """Run the CLI in-process, as `stafett ARGS` would."""
    out, err = io.StringIO(), io.StringIO()
    old = Path.cwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = run([str(a) for a in args])
    finally:
        os.chdir(old)
    return Result(code, out.getvalue(), err.getvalue())


def ok(*args: str, cwd: Path | None = None) -> Result:
    result = stafett(*args, cwd=cwd)
    assert result.code == 0, f"stafett {' '.join(map(str, args))} failed ({result.code}): {result.err}{result.out}"
    return result


def write_kommune(root: Path, settings: str = SETTINGS, people: str = PEOPLE) -> Path:
    (root / "saker").mkdir(parents=True, exist_ok=True)
    (root / "stafett.yaml").write_text(settings, encoding="utf-8")
    (root / "personer.yaml").write_text(people, encoding="utf-8")
    from stafett import schema

    schema.write(root / "schemas")
    return root


def write_case(root: Path, text: str) -> str:
    text = textwrap.dedent(text).lstrip("\n")
    case_id = re.search(r"^id: (S-\S+)", text, re.MULTILINE).group(1)
    (root / "saker" / f"{case_id}.yaml").write_bytes(text.encode("utf-8"))
    return case_id


def case_file(root: Path, case_id: str) -> Path:
    return root / "saker" / f"{case_id}.yaml"


def case_id_from(result: Result) -> str:
    return re.match(r"(S-\d{8}-[a-z0-9]+):", result.out).group(1)


def new_id(result: Result, prefix: str) -> str:
    """The first item id with this prefix that a command printed (s-..., t-..., mo-...)."""
    return re.search(rf"\b({prefix}-[a-z0-9]{{6}})\b", result.out).group(1)


def load(root: Path, case_id: str):
    from stafett.store.cases import read_case

    return read_case(case_file(root, case_id)).model


def git(root: Path, *args: str, who: str = "test") -> str:
    """git as the staff member `who` (their e-mail is <id>@testvik.example) or an outside 'test' author."""
    email = f"{who}@testvik.example"
    env = {**os.environ, "GIT_AUTHOR_NAME": who, "GIT_COMMITTER_NAME": who,
           "GIT_AUTHOR_EMAIL": email, "GIT_COMMITTER_EMAIL": email}
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, env=env, check=True)
    return done.stdout


# A nivå-1 case ready for most commands: stafettholder Mona (skole), consent for stafettlogg, skole and
# helsestasjon (not ppt), one tiltak, one meeting held and one planned, two foresatte.
ACTIVE = """\
# yaml-language-server: $schema=../schemas/sak.schema.json
versjon: 2
id: S-20260901-aktiv1
opprettet: 2026-09-01
status: aktiv
niva: 1
hovedperson:
  navn: Nora Testdatter
  kategori: barn
  fodselsdato: 2016-03-14
foresatte:
  - id: f-mor
    navn: Ida Testdatter
    relasjon: mor
    epost: ida@example.com
  - id: f-far
    navn: Jon Testdatter
    relasjon: far
bekymring:
  dato: 2026-09-01
  meldt_av: mona.birkeland
  tjeneste: skole
  beskrivelse: Nora trekker seg unna i friminuttene.
eier: mona.birkeland
stafettholder:
  person: mona.birkeland
  fra: 2026-09-03
  oppnevnt_av: hanne.rossland
samtykker:
  - id: s-logg
    gitt_av: f-mor
    dato: 2026-09-07
    omfang:
      - stafettlogg
      - skole
      - helsestasjon
    form: skriftlig
    registrert_av: mona.birkeland
mal:
  - id: m-venner
    tekst: Nora har noen å være sammen med i friminuttene.
tiltak:
  - id: t-friminutt
    beskrivelse: Voksen ute i friminuttene
    mal:
      - m-venner
    ansvarlig: mona.birkeland
    start: 2026-09-08
    evalueres: 2026-12-15
    status: aktiv
moter:
  - id: mo-forste
    type: samarbeidsmøte
    nummer: 1
    tidspunkt: 2026-11-20 14:00:00
    sted: Testvik skole
    leder: mona.birkeland
    referent: mona.birkeland
    innkalt:
      - f-mor
      - mona.birkeland
    dagsorden:
      - Hvordan går det?
      - Tiltak
  - id: mo-neste
    type: evalueringsmøte
    nummer: 2
    tidspunkt: 2026-12-15 14:00:00
    sted: Testvik skole
    leder: mona.birkeland
    referent: mona.birkeland
logg:
  - tid: 2026-09-01 09:00:00
    av: mona.birkeland
    type: opprettet
    tekst: Bekymring registrert.
  - tid: 2026-09-03 10:00:00
    av: hanne.rossland
    type: oppnevning
    tekst: Mona Birkeland er stafettholder.
"""
ACTIVE_ID = "S-20260901-aktiv1"
