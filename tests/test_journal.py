"""`stafett journal`: the plain-text note a worker pastes into their service's fagsystem.

Every test runs the CLI on real files: a copy of cases.example (Fjordvik kommune) and its largest case, whose
six services each have their own tiltak, meetings and consents. For every profile and every service of the
case the note holds that service's part and nothing of another service's tiltak; it is plain text (no Markdown
markup) at the profile's width and heading style, in the case's målform; `--siden` and `--husk` set its period.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from commands_kit import git, ok, stafett

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "cases.example"
CASE = "S-20251021-m8vz5c"  # the largest example case: skole, helsestasjon, ppt, bup, koordinerende enhet, fastlege
TODAY = "2026-12-01"  # after the case's last log entry
LAYOUTS = ("standard", "vigilo", "profil", "infodoc", "hk-oppvekst", "familia", "compilo")
# What each profile says (templates/profiles/*.yaml): width (0: no breaks in a paragraph), heading style.
WIDTH = {"standard": 72, "compilo": 72, "vigilo": 0, "profil": 80, "infodoc": 72, "hk-oppvekst": 80, "familia": 80}
HEADING = {"standard": "understrek", "compilo": "understrek", "vigilo": "versaler", "profil": "kolon",
           "infodoc": "kolon", "hk-oppvekst": "versaler", "familia": "understrek"}
WITH_KOORDINATOR = {"profil", "infodoc"}  # Profil and the health systems carry the koordinator and IP part
IP_TEXT = "takker nei til IP nå"  # the individuell plan's merknad: only in the koordinator part
TITLE_START = {"standard": "Journalnotat fra stafettloggen – ", "compilo": "Journalnotat fra stafettloggen – ",
               "vigilo": f"Tilrettelegging – stafettlogg {CASE}, ", "profil": f"Stafettlogg {CASE}: ",
               "infodoc": f"Tverrfaglig samarbeid (stafettlogg {CASE}), ",
               "hk-oppvekst": f"Samarbeid med andre tjenester – stafettlogg {CASE}, ",
               "familia": f"Journalnotat – samarbeidsmøter og tiltak (stafettlogg {CASE}), "}


@pytest.fixture(autouse=True)
def pinned_day(monkeypatch):
    monkeypatch.setenv("STAFETT_TODAY", TODAY)
    monkeypatch.delenv("CI", raising=False)


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> Path:
    """A read-only copy of cases.example (the tests that change the record make their own)."""
    root = tmp_path_factory.mktemp("journal") / "fjordvik"
    shutil.copytree(EXAMPLE, root)
    return root


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A copy of cases.example under git, for the tests that remember a note in the record."""
    root = tmp_path / "fjordvik"
    shutil.copytree(EXAMPLE, root)
    git(root, "init", "-q", ".")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "eksempelmappen")
    return root


def facts(root: Path):
    """The case and who works where, read the way stafett reads them."""
    from stafett.folder import load_folder
    from stafett.store.cases import read_case

    folder = load_folder(root)
    case = read_case(folder.case_path(CASE)).model
    service_of = {p.id: p.tjeneste for p in folder.people.personer}
    return folder, case, service_of


def services(case) -> list[str]:
    """Every service of the case: its participants' and those its consents cover."""
    found = [d.tjeneste for d in case.deltakere] + [o for s in case.samtykker for o in s.omfang]
    return sorted(set(found) - {"stafettlogg"})


def plain(text: str) -> str:
    """A Markdown text as the note shows it: first paragraph, whitespace collapsed."""
    first = text.strip().split("\n\n")[0]
    return " ".join(first.split())


def squeeze(text: str) -> str:
    return " ".join(text.split())


def note(root: Path, *args: str) -> str:
    return ok("journal", CASE, *args, "-C", root).out


def assert_plain_text(text: str, where: str) -> None:
    """No Markdown markup a fagsystem would show literally: no #-headings, emphasis, tables, links or code."""
    for n, line in enumerate(text.splitlines(), 1):
        assert not re.match(r"\s*#{1,6}\s", line), f"{where}, line {n}: a Markdown heading: {line!r}"
        assert not re.match(r"\s*\|", line) and "|---" not in line, f"{where}, line {n}: a Markdown table: {line!r}"
        assert "**" not in line and "__" not in line, f"{where}, line {n}: emphasis markup: {line!r}"
        assert "`" not in line, f"{where}, line {n}: code markup: {line!r}"
        assert not re.search(r"\]\(|<[a-z]+[ >]|&[a-z]+;", line), f"{where}, line {n}: a link or HTML: {line!r}"
        assert not re.match(r"\s*>", line), f"{where}, line {n}: a Markdown quote: {line!r}"


def assert_width(text: str, width: int, where: str) -> None:
    lines = text.splitlines()[1:]  # the title is one line: a fagsystem's title field
    if width == 0:
        assert max(len(line) for line in lines) > 100, f"{where}: a paragraph was broken though the width is 0"
        return
    for line in lines:
        assert len(line) <= width or " " not in line.strip(), f"{where}: {len(line)} > {width}: {line!r}"


def headings(text: str, style: str) -> list[str]:
    lines = text.splitlines()
    if style == "understrek":
        return [lines[i - 1] for i in range(2, len(lines)) if re.fullmatch(r"-+", lines[i])
                and len(lines[i]) == len(lines[i - 1])]
    if style == "versaler":
        return [line for line in lines if len(line) > 3 and line == line.upper() and re.search("[A-ZÆØÅ]{3}", line)]
    return [line[:-1] for line in lines if re.fullmatch(r"[A-ZÆØÅ][^:]{1,60}:", line)]


# ---------- every profile, every service: what is in and what is out ----------

@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_profile_gives_each_service_its_own_part_and_never_another_services_tiltak(example: Path, layout: str):
    folder, case, service_of = facts(example)
    shared = services(case)
    assert len(shared) >= 5, shared
    checked_other = 0
    start = min(case.opprettet, case.bekymring.dato)
    span = f"Periode: {start.day}.{start.month}.{start.year}–1.12.2026"
    for service in shared:
        # The whole case (a service may have a note remembered already: that is the next test's matter).
        text = note(example, "--tjeneste", service, "--layout", layout, "--siden", start.isoformat())
        where = f"{layout}, {service}"
        flat = squeeze(text)
        name = folder.settings.service(service).navn
        # The title line and the head: the profile's title, the child, the case, the period.
        title = text.splitlines()[0]
        assert title.startswith(TITLE_START[layout]), (where, title)
        if layout in ("standard", "compilo"):
            assert title.endswith(name), (where, title)
        assert f"Sak: {CASE}, {folder.settings.kommune}" in text and span in text, where
        # Tiltak: every one of this service's, none of another's.
        for t in case.tiltak:
            shown = plain(t.beskrivelse)[:40]
            if service_of[t.ansvarlig] == service:
                assert shown in flat, f"{where}: its own tiltak {t.id} is missing"
            else:
                checked_other += 1
                assert shown not in flat, f"{where}: another service's tiltak {t.id} ({service_of[t.ansvarlig]})"
        # Meetings: those the service's staff attended or were invited to, and no other.
        staff = {pid for pid, svc in service_of.items() if svc == service}
        for m in case.moter:
            people = set(m.innkalt) | {m.leder, m.referent}
            if m.referat is not None:
                people |= set(m.referat.tilstede) | set(m.referat.fravaerende)
            when = f"{m.tidspunkt.day}.{m.tidspunkt.month}.{m.tidspunkt.year} kl. {m.tidspunkt:%H.%M}, {m.sted}"
            held = m.tidspunkt.date().isoformat() <= TODAY  # a meeting planned after today is not yet news
            assert (squeeze(when) in flat) == (held and bool(people & staff)), f"{where}: meeting {m.id}"
        # Participants: only the service's own.
        for d in case.deltakere:
            line = f"- {folder.people.get(d.person).navn}, "
            in_section = any(ln.startswith(line) and (d.rolle or "") in ln for ln in text.splitlines())
            if d.tjeneste != service:
                assert not in_section, f"{where}: another service's participant {d.person}"
        # The koordinator and IP part: Profil and the health systems only.
        assert (IP_TEXT in flat) == (layout in WITH_KOORDINATOR), f"{where}: the individuell plan"
        assert ("Koordinator og individuell plan" in text) == (layout in WITH_KOORDINATOR), where
        # Plain text at the profile's width, headings in its style.
        assert_plain_text(text, where)
        assert_width(text, WIDTH[layout], where)
        found = headings(text, HEADING[layout])
        assert found, f"{where}: no heading in the style {HEADING[layout]}"
        other_styles = {"understrek", "versaler", "kolon"} - {HEADING[layout]}
        for style in other_styles:
            assert not headings(text, style), (where, style, headings(text, style))
    assert checked_other >= 20, "too few other services' tiltak to test"


def test_the_services_notes_differ_by_profile_not_only_by_order(example: Path):
    texts = {layout: note(example, "--tjeneste", "helsestasjon", "--layout", layout, "--siden", "2025-10-20")
             for layout in LAYOUTS}
    assert texts["compilo"] == texts["standard"], "compilo is an alias of standard"
    own = [t for name, t in texts.items() if name != "compilo"]
    assert len(set(own)) == 6
    assert len({tuple(sorted(t.splitlines())) for t in own}) == 6, "two profiles give the same lines reordered"


def test_the_default_profile_is_the_services_fagsystem_and_compilo_says_it_is_standard(example: Path):
    assert note(example, "--tjeneste", "ppt") == note(example, "--tjeneste", "ppt", "--layout", "hk-oppvekst")
    assert note(example, "--tjeneste", "bup") == note(example, "--tjeneste", "bup", "--layout", "standard")
    result = ok("journal", CASE, "--tjeneste", "skole", "--layout", "compilo", "-C", example)
    assert "note: layout 'compilo' is merged into 'standard'" in result.err


def test_markdown_in_the_case_becomes_plain_text(repo: Path):
    ok("log", CASE, "Ringte **mor**. Se [avtalen](https://example.com/avtale) og `kode`.\n\n- punkt en\n- punkt to",
       "--med", "f-7kc2hp", "--by", "lene.fossdal", "-C", repo)
    for layout in LAYOUTS:
        text = note(repo, "--tjeneste", "skole", "--layout", layout, "--siden", TODAY)
        assert_plain_text(text, layout)
        flat = squeeze(text)
        assert "Ringte mor. Se avtalen" in flat and "og kode." in flat, (layout, text)
        assert "- punkt en" in text and "- punkt to" in text, layout  # a list stays a list, in plain text


# ---------- the period: --siden, and since the last note, remembered in the record ----------

def test_siden_keeps_the_note_to_the_period(example: Path):
    text = note(example, "--tjeneste", "skole", "--layout", "standard", "--siden", "2026-10-01")
    flat = squeeze(text)
    assert "Periode: 1.10.2026–1.12.2026" in text
    assert "Evaluering 22.10.2026" in flat and "Evaluering 12.1.2026" not in flat
    assert "22.10.2026 kl. 14.00" in flat and "12.1.2026 kl. 13.00" not in flat  # meetings in the period only
    assert "Ringte mor. Hun er lettet" not in flat  # a log entry of 2025
    whole = squeeze(note(example, "--tjeneste", "skole", "--layout", "standard"))
    assert "Evaluering 12.1.2026" in whole and "Ringte mor. Hun er lettet" in whole


def test_the_last_note_is_remembered_in_the_record_and_the_next_starts_the_day_after(repo: Path, monkeypatch):
    path = repo / "saker" / f"{CASE}.yaml"
    first = ok("journal", CASE, "--tjeneste", "skole", "--husk", "--by", "lene.fossdal", "-C", repo)
    assert "Periode: 20.10.2025–1.12.2026" in first.out
    assert "remembered up to 2026-12-01" in first.err
    _, case, _ = facts(repo)
    [mark] = [j for j in case.journaluttrekk if j.tjeneste == "skole"]
    others = [j for j in case.journaluttrekk if j.tjeneste != "skole"]
    assert (mark.tjeneste, mark.til_og_med.isoformat(), mark.av) == ("skole", TODAY, "lene.fossdal")
    assert case.logg[-1].type == "kopi" and "Journalnotat for Grunnskolene i Fjordvik" in case.logg[-1].tekst

    # The same day again: nothing is new, refused in one line, the record unchanged.
    before = path.read_bytes()
    again = stafett("journal", CASE, "--tjeneste", "skole", "--husk", "--by", "lene.fossdal", "-C", repo)
    assert again.code != 0 and len(again.err_lines) == 1 and "already covers up to 2026-12-01" in again.err
    assert "Traceback" not in again.err and path.read_bytes() == before

    # Another service's period is its own: PPT has no note remembered, so its note covers the whole case.
    assert not any(j.tjeneste == "ppt" for j in case.journaluttrekk)
    assert "Periode: 20.10.2025–1.12.2026" in note(repo, "--tjeneste", "ppt")

    # The next day: the period is that day, and what was pasted yesterday is not repeated.
    monkeypatch.setenv("STAFETT_TODAY", "2026-12-02")
    quiet = note(repo, "--tjeneste", "skole", "--layout", "standard")
    assert "Periode: 2.12.2026–2.12.2026" in quiet and "Ingenting nytt i perioden." in quiet
    assert "Ringte mor. Hun er lettet" not in squeeze(quiet)
    ok("log", CASE, "Mathias kom presis hele uken.", "--type", "lysglimt", "--by", "lene.fossdal", "-C", repo)
    ok("log", CASE, "Samtale om søvn hos helsesykepleier.", "--by", "jonas.eide", "-C", repo)
    news = squeeze(note(repo, "--tjeneste", "skole", "--layout", "standard"))
    assert "Mathias kom presis hele uken." in news and "Ingenting nytt" not in news
    assert "Samtale om søvn hos helsesykepleier." not in news, "another service's log entry"
    # --siden overrides what is remembered.
    assert "Periode: 1.12.2026–2.12.2026" in note(repo, "--tjeneste", "skole", "--siden", TODAY)
    # Remembering again moves the mark; one mark per service.
    ok("journal", CASE, "--tjeneste", "skole", "--husk", "--by", "lene.fossdal", "-C", repo)
    _, case, _ = facts(repo)
    assert [(j.tjeneste, j.til_og_med.isoformat()) for j in case.journaluttrekk if j.tjeneste == "skole"] == \
        [("skole", "2026-12-02")]
    assert [j for j in case.journaluttrekk if j.tjeneste != "skole"] == others, "another service's mark moved"


# ---------- målform ----------

def test_nynorsk_and_bokmal(example: Path, tmp_path: Path):
    nb = note(example, "--tjeneste", "helsestasjon", "--layout", "infodoc", "--siden", "2025-10-20")
    nn = note(example, "--tjeneste", "helsestasjon", "--layout", "infodoc", "--lang", "nn", "--siden", "2025-10-20")
    assert nb.startswith("Tverrfaglig samarbeid") and nn.startswith("Tverrfagleg samarbeid")
    assert "Gjelder: Mathias Kvamme" in nb and "Gjeld: Mathias Kvamme" in nn
    assert "Koordinator og individuell plan:" in nn
    std_nn = note(example, "--tjeneste", "skole", "--layout", "standard", "--lang", "nn")
    assert std_nn.startswith("Journalnotat frå stafettloggen – Grunnskolene i Fjordvik")
    # The kommune's målform is the default.
    nynorsk = tmp_path / "nynorsk"
    shutil.copytree(example, nynorsk)
    settings = nynorsk / "stafett.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("malform: nb", "malform: nn"), encoding="utf-8")
    assert note(nynorsk, "--tjeneste", "skole", "--layout", "standard") == std_nn
    assert note(nynorsk, "--tjeneste", "skole", "--layout", "standard", "--lang", "nb") == \
        note(example, "--tjeneste", "skole", "--layout", "standard")


# ---------- refusals: one line, nothing changed ----------

@pytest.mark.parametrize("args,says", [
    (("--tjeneste", "barnevern"), "no active consent covers 'barnevern'"),
    (("--tjeneste", "finnesikke"), "unknown service 'finnesikke'"),
    (("--tjeneste", "skole", "--siden", "2027-01-01"), "is after today"),
    (("--tjeneste", "skole", "--siden", "1.10.2026"), "--siden"),
    (("--tjeneste", "skole", "--layout", "ingen-slik"), "no layout 'ingen-slik'"),
    (("--tjeneste", "skole", "--lang", "se"), "unknown målform"),
])
def test_refusals_are_one_line_and_change_nothing(repo: Path, tmp_path: Path, args, says):
    path = repo / "saker" / f"{CASE}.yaml"
    before = path.read_bytes()
    target = tmp_path / "notat.txt"
    target.write_bytes(b"an earlier note")
    for extra in ((), ("--husk", "--by", "lene.fossdal")):
        result = stafett("journal", CASE, *args, *extra, "-o", target, "-C", repo)
        assert result.code != 0 and len(result.err_lines) == 1, result.err
        assert says in result.err and "Traceback" not in result.err, result.err
        assert result.out == ""
        assert path.read_bytes() == before and target.read_bytes() == b"an earlier note"


def test_the_note_is_written_to_a_file_as_plain_utf8(example: Path, tmp_path: Path):
    target = tmp_path / f"{CASE}-ppt.txt"
    result = ok("journal", CASE, "--tjeneste", "ppt", "-o", target, "-C", example)
    assert result.out == "" and f"wrote {target}" in result.err
    assert target.read_text(encoding="utf-8") == note(example, "--tjeneste", "ppt")
