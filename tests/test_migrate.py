"""`stafett migrate`: a version 1 folder becomes version 2 through the patching writer, losing nothing.

Two folders: cases.example exactly as it was before record v2 (tests/data/cases.v1), and a small v1 folder
typed by hand, with comments everywhere, the old violence flag, the old single consultation, a referat on
one consent and tasks without ids.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from tests.commands_kit import PEOPLE, SETTINGS, case_file, git, load, stafett, write_kommune

V1_EXAMPLE = Path(__file__).parent / "data" / "cases.v1"

HAND_TYPED = """\
# yaml-language-server: $schema=../schemas/sak.schema.json
# Saken ble ført for hånd før stafett 2 (KOMMENTAR-A).
id: S-20260101-hand01
opprettet: 2026-01-05   # KOMMENTAR-B: dato fra papirskjema
status: aktiv
niva: 1
hovedperson:
  navn: 'Emil Oppdiktet'
  kategori: ungdom
  fodselsdato: 2008-02-03
foresatte:
  # KOMMENTAR-C: mor har daglig omsorg
  - id: f-mor
    navn: "Randi Oppdiktet"
    relasjon: mor
bekymring:
  dato: 2026-01-02
  meldt_av: mona.birkeland
  tjeneste: skole
  mistanke_om_vold: true
  beskrivelse: |
    Emil har blåmerker på armene, og sier lite om hjemme.
    (KOMMENTAR-D er ikke en kommentar, men tekst.)
eier: mona.birkeland
konsultasjon:
  dato: 2026-01-03
  med: barnevern
  av: mona.birkeland
  rad: Avvent kontakt med hjemmet.  # KOMMENTAR-E
stafettholder:
  person: mona.birkeland
  fra: 2026-01-05
  oppnevnt_av: hanne.rossland
samtykker:
  - id: s-forst1
    gitt_av: hovedperson
    dato: 2026-01-20
    omfang: [stafettlogg, skole]
    form: skriftlig
    registrert_av: mona.birkeland
moter:
  - id: mo-forst1
    type: samarbeidsmøte
    tidspunkt: 2026-01-25 14:00:00
    sted: Testvik skole
    leder: mona.birkeland
    referent: mona.birkeland
    innkalt: [mona.birkeland, hovedperson]
    referat:
      skrevet: 2026-01-25
      skrevet_av: mona.birkeland
      tilstede: [mona.birkeland, hovedperson]
      samtykke: s-forst1   # KOMMENTAR-F
      oppgaver:
        # KOMMENTAR-G: fordelt i møtet
        - tekst: Lage ukeplan sammen med Emil.
          ansvarlig: mona.birkeland
          frist: 2026-02-10
        - tekst: 'Snakke med Emil etter to uker.'
          ansvarlig: mona.birkeland
          frist: 2026-02-08
      barnets_stemme: Emil vil ha faste pauser.
logg:
  - tid: 2026-01-05 09:00:00
    av: mona.birkeland
    type: opprettet
    tekst: Bekymring registrert.
  - tid: 2026-01-20 10:00:00
    av: mona.birkeland
    type: samtykke
    tekst: Samtykke s-forst1 fra Emil selv.
  - tid: 2026-01-25 15:00:00
    av: mona.birkeland
    type: referat
    tekst: Referat fra møtet.
# KOMMENTAR-H: slutt på filen
"""
HAND_ID = "S-20260101-hand01"
V1_SETTINGS = SETTINGS
V1_PEOPLE = "# personer (KOMMENTAR-P)\n" + PEOPLE


def _snapshot(root: Path) -> dict[str, bytes]:
    # The lock file a command takes stays behind by design (filelock); it holds nothing.
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".git" not in p.parts and not p.name.endswith(".lock")}


@pytest.fixture
def hand_folder(tmp_path: Path) -> Path:
    root = write_kommune(tmp_path / "k", V1_SETTINGS, V1_PEOPLE)
    case_file(root, HAND_ID).write_text(HAND_TYPED, encoding="utf-8")
    return root


@pytest.fixture
def example_v1(tmp_path: Path) -> Path:
    root = tmp_path / "example"
    shutil.copytree(V1_EXAMPLE, root)
    return root


def test_the_dry_run_names_every_change_and_writes_nothing(example_v1: Path) -> None:
    before = _snapshot(example_v1)
    result = stafett("migrate", "--folder", example_v1)
    assert result.code == 0, result.err
    assert "12 file(s) would be upgraded to version 2" in result.out
    assert "saker/S-20250603-d6hf2s.yaml: versjon: added" in result.out
    assert _snapshot(example_v1) == before


def test_cases_example_as_it_was_upgrades_to_what_main_holds(example_v1: Path) -> None:
    result = stafett("migrate", "--write", "--folder", example_v1)
    assert result.code == 0, result.err
    main = Path(__file__).parent.parent / "cases.example"
    for path in sorted((example_v1 / "saker").glob("*.yaml")):
        ours = path.read_text(encoding="utf-8")
        assert ours.startswith(main.joinpath("saker", path.name).read_text(encoding="utf-8").split("\nid:")[0])
    validated = stafett("validate", example_v1)
    assert validated.code == 0, validated.out + validated.err
    assert "Z001" not in validated.out and "Z002" not in validated.out
    again = stafett("migrate", "--folder", example_v1)
    assert again.code == 0 and "already version 2" in again.out


def test_every_line_a_coordinator_typed_survives(hand_folder: Path) -> None:
    path = case_file(hand_folder, HAND_ID)
    old_lines = path.read_text(encoding="utf-8").splitlines()
    result = stafett("migrate", "--write", "--folder", hand_folder)
    assert result.code == 0, result.err
    new_text = path.read_text(encoding="utf-8")
    new_lines = new_text.splitlines()
    # What migration removes is the version 1 form: the flag line, the single consultation and samtykke key.
    removed_forms = ("mistanke_om_vold:", "konsultasjon:", "  dato: 2026-01-03", "  med: barnevern",
                     "  av: mona.birkeland", "  rad: Avvent", "samtykke: s-forst1")
    for line in old_lines:
        if not any(line.strip().startswith(f.strip()) for f in removed_forms):
            assert line in new_lines, f"lost: {line!r}"
    for n in "ABCDGH":
        assert f"KOMMENTAR-{n}" in new_text
    assert "# personer (KOMMENTAR-P)" in (hand_folder / "personer.yaml").read_text(encoding="utf-8")
    # The comment on a replaced key goes with its key; everything else is where it was typed.
    assert new_text.index("KOMMENTAR-G") < new_text.index("Lage ukeplan")


def test_the_old_forms_become_the_new_ones_and_the_block_is_the_same(hand_folder: Path) -> None:
    from stafett.model.protection import windows

    before = load(hand_folder, HAND_ID)
    assert stafett("migrate", "--write", "--folder", hand_folder).code == 0
    after = load(hand_folder, HAND_ID)
    assert after.versjon == 2 and before.versjon == 1
    assert windows(after) == windows(before)  # the family is blocked exactly when it was
    assert [h.handling for h in after.voldsmistanke] == ["reist"]
    assert after.voldsmistanke[0].tid == dt.datetime(2026, 1, 2, 0, 0)
    [k] = after.konsultasjoner
    assert (k.dato, k.med, k.rad, k.registrert_av, k.familiekontakt) == (
        dt.date(2026, 1, 3), "barnevern", "Avvent kontakt med hjemmet.", "mona.birkeland", None)
    referat = after.moter[0].referat
    assert referat.samtykker == ["s-forst1"] and referat.samtykke is None
    ids = [t.id for t in referat.oppgaver]
    assert all(ids) and len(set(ids)) == 2
    # Deterministic: the same case upgraded in another clone gets the same ids.
    from stafett.migrate import migrate_case
    from stafett.store.cases import dump_model

    assert migrate_case(dump_model(before))["moter"][0]["referat"]["oppgaver"][0]["id"] == ids[0]


def test_a_version_1_case_is_read_by_every_read_only_command(hand_folder: Path) -> None:
    validated = stafett("validate", hand_folder)
    assert "Z001" in validated.out and "Z002" in validated.out
    assert "stafett migrate --write" in validated.out
    status = stafett("status", "--folder", hand_folder)
    assert status.code == 0, status.err
    assert "migrate" in status.out
    rendered = stafett("render", HAND_ID, "--folder", hand_folder, "--by", "mona.birkeland")
    assert rendered.code == 0, rendered.err
    assert "Emil Oppdiktet" in rendered.out and "stafett migrate --write" in rendered.err
    exported = stafett("export", "--folder", hand_folder, "--format", "jsonl")
    assert exported.code == 0, exported.err


def test_commands_refuse_to_change_a_version_1_case(hand_folder: Path) -> None:
    before = _snapshot(hand_folder)
    result = stafett("log", HAND_ID, "Et notat.", "--folder", hand_folder, "--by", "mona.birkeland", "--type", "notat")
    assert result.code != 0
    assert len(result.err.strip().splitlines()) == 1
    assert "record version 1" in result.err and "stafett migrate --write" in result.err
    assert _snapshot(hand_folder) == before


def test_migrate_refuses_an_invalid_file_and_writes_nothing(hand_folder: Path) -> None:
    broken = HAND_TYPED.replace("niva: 1", "niva: 7")
    (hand_folder / "saker" / "S-20260102-brok01.yaml").write_text(broken.replace(HAND_ID, "S-20260102-brok01"),
                                                                   encoding="utf-8")
    before = _snapshot(hand_folder)
    result = stafett("migrate", "--write", "--folder", hand_folder)
    assert result.code != 0
    assert len(result.err.strip().splitlines()) == 1 and "niva" in result.err
    assert _snapshot(hand_folder) == before


def test_validate_since_accepts_the_migration_commit(hand_folder: Path) -> None:
    git(hand_folder, "init", "-q", "-b", "main")
    git(hand_folder, "add", "-A")
    git(hand_folder, "commit", "-qm", "v1", who="mona.birkeland")
    assert stafett("migrate", "--write", "--folder", hand_folder).code == 0
    git(hand_folder, "commit", "-qam", "Upgrade to record version 2", who="mona.birkeland")
    result = stafett("validate", hand_folder, "--since", "HEAD~1")
    assert result.code == 0, result.out + result.err
    assert " P0" not in result.out


def test_validate_since_still_sees_a_change_hidden_in_a_migration(hand_folder: Path) -> None:
    """Replaying the upgrade on the old side proves only the form: a lowered flag slipped in is still caught."""
    git(hand_folder, "init", "-q", "-b", "main")
    git(hand_folder, "add", "-A")
    git(hand_folder, "commit", "-qm", "v1", who="mona.birkeland")
    assert stafett("migrate", "--write", "--folder", hand_folder).code == 0
    path = case_file(hand_folder, HAND_ID)
    text = path.read_text(encoding="utf-8")
    start = text.index("voldsmistanke:")
    end = text.index("\n", text.index("grunn:", start))
    path.write_text(text[:start] + "voldsmistanke: []" + text[end:], encoding="utf-8")
    git(hand_folder, "commit", "-qam", "Upgrade", who="mona.birkeland")
    result = stafett("validate", hand_folder, "--since", "HEAD~1")
    assert result.code != 0
    assert "P006" in result.out
