"""stafett speaks bokmål and nynorsk: every text has both translations, every command's --help reads as
Norwegian, a nynorsk kommune's routine runs without a bokmål or English word, and the language follows
--lang, the case, the kommune and the locale in that order."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from commands_kit import PEOPLE, SETTINGS, load, stafett, write_case, write_kommune
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import catalogs  # noqa: E402


def test_every_text_has_a_bokmal_and_a_nynorsk_translation_and_the_compiled_catalog_is_current() -> None:
    problems = catalogs.problems()
    assert not problems, "\n".join(problems[:40]) + f"\n({len(problems)} in all; docs/translating.md says how to fix)"


# --- every command's help, in a process of its own per language ------------------------------------------

HELP_DUMP = """
import json, sys
from stafett.cli import app, load_commands
import typer
load_commands()
group = typer.main.get_command(app)
out = {}
def walk(cmd, path):
    ctx = cmd.make_context(" ".join(["stafett", *path]), [], resilient_parsing=True)
    out[" ".join(path)] = cmd.get_help(ctx)
    for name in sorted(getattr(cmd, "commands", {})):
        walk(cmd.commands[name], [*path, name])
walk(group, [])
sys.stdout.write(json.dumps(out))
"""

# Words that are English and never Norwegian. Codes, flags, ids, file names and metavars are removed first.
ENGLISH = {"the", "and", "of", "is", "are", "with", "not", "from", "this", "that", "which", "who", "what", "when",
           "show", "message", "exit", "usage", "options", "arguments", "commands", "required", "default", "staff",
           "case", "give", "use", "or", "an", "it", "by", "on", "will", "must", "only", "each", "every",
           "new", "meeting", "consent", "date", "name", "file", "folder", "write", "print", "without",
           "one", "your", "you", "has", "have", "after", "before", "until", "whose", "there", "their", "them"}
NORWEGIAN_BOKMAL = {"ikke", "hvem", "hva", "foresatte", "koordinerende", "hvordan", "tjeneste", "oppgave", "skole"}


def _help(lang: str) -> dict[str, str]:
    env = {**os.environ, "STAFETT_LANG": lang}
    r = subprocess.run([sys.executable, "-c", HELP_DUMP], capture_output=True, text=True, env=env, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def _words(text: str, command: str) -> list[str]:
    text = text.replace(f"stafett {command}".strip(), " ")
    text = re.sub(r"\b\w+(?= <[^>]*>)|`[^`]*`|<[^>]*>|\{[^}]*\}|\[[A-Za-z_ .]+\]|--?[\w-]+|\S+\.(?:yaml|json|md|html|pdf|ics|po|mo)\b"
                  r"|\b[A-Z]+\d{3}\b|\b[a-z0-9]+(?:[._-][a-z0-9]+)+\b|https?://\S+", " ", text)
    return [w.lower() for w in re.findall(r"[A-Za-zÆØÅæøå]+", text)]


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_every_commands_help_reads_as_norwegian(lang: str) -> None:
    helps = _help(lang)
    assert len(helps) > 40, "the walk found every command"
    commands = {word for cmd in helps for word in cmd.split()}  # command names are what one types
    english = {cmd: sorted(set(_words(text, cmd)) & ENGLISH - commands) for cmd, text in helps.items()}
    english = {cmd: words for cmd, words in english.items() if words}
    assert not english, f"English in the {lang} help: {json.dumps(english, ensure_ascii=False)[:1500]}"
    if lang == "nn":
        bokmal = {cmd: sorted(set(_words(text, cmd)) & NORWEGIAN_BOKMAL) for cmd, text in helps.items()}
        bokmal = {cmd: words for cmd, words in bokmal.items() if words}
        assert not bokmal, f"bokmål in the nynorsk help: {json.dumps(bokmal, ensure_ascii=False)[:1500]}"


# --- a nynorsk kommune runs the routine in nynorsk ----------------------------------------------------------

NN_SETTINGS = (SETTINGS.replace("malform: nb", "malform: nn").replace("Barnehagene", "Barnehagane")
               .replace("Grunnskolene", "Grunnskulane").replace("Helsestasjon og skolehelsetjeneste",
                                                                 "Helsestasjon og skulehelseteneste")
               .replace("Barnevernstjenesten", "Barnevernstenesta").replace("Koordinerende enhet", "Koordinerande eining"))
C = "S-20260901-nynors"
CASE = """\
versjon: 2
id: S-20260901-nynors
opprettet: 2026-09-01
niva: 1
hovedperson:
  navn: Ingvild Testdotter
  kategori: barn
  fodselsdato: 2018-03-14
foresatte:
  - id: f-mor
    navn: Marit Testdotter
    relasjon: mor
bekymring:
  dato: 2026-09-01
  meldt_av: mona.birkeland
  tjeneste: skole
  beskrivelse: Ingvild held seg for seg sjølv i friminutta.
eier: mona.birkeland
stafettholder:
  person: mona.birkeland
  fra: 2026-09-03
  oppnevnt_av: hanne.rossland
samtykker:
  - id: s-logg
    gitt_av: f-mor
    dato: 2026-09-07
    omfang: [stafettlogg, skole, helsestasjon]
    form: skriftlig
    registrert_av: mona.birkeland
logg:
  - tid: 2026-09-01 09:00:00
    av: mona.birkeland
    type: opprettet
    tekst: Undring registrert.
"""
BY = ("--by", "mona.birkeland")
ROUTINE = [
    ["consent", "add", C, "--gitt-av", "f-mor", "--omfang", "ppt", "--form", "skriftleg", *BY],
    ["assign", C, "--deltaker", "anne.ek", "--rolle", "helsesjukepleiar", *BY],
    ["log", C, "Ringde mor.", "--med", "foresatte", *BY],
    ["tiltak", "add", C, "--beskrivelse", "Fast vaksen i friminutta", "--ansvarlig", "mona.birkeland",
     "--evalueres", "2026-12-01", "--nytt-mal", "Ingvild har nokon å vere saman med.", *BY],
    ["meeting", "plan", C, "--type", "samarbeidsmøte", "--tid", "2026-12-10 13:00", "--sted", "Skulen",
     "--innkalt", "foresatte", "--innkalt", "anne.ek", "--dagsorden", "Korleis går det?", "--no-ics", *BY],
    ["status"],
    ["close", C, "--grunn", "trygt", "--yes", *BY],
]
BOKMAL_IN_NN = re.compile(r"\b(ikke|hvem|hva|hvordan|foresatte|koordinerende|tjenesten?|oppgave|skolen?)\b", re.IGNORECASE)


def test_a_nynorsk_kommune_reads_its_routine_in_nynorsk(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("STAFETT_LANG", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("STAFETT_TODAY", "2026-11-23")
    root = write_kommune(tmp_path / "testvik", settings=NN_SETTINGS, people=PEOPLE)
    write_case(root, CASE)
    before = len(load(root, C).logg)
    shown = []
    for args in ROUTINE:
        r = stafett(*args, "-C", root)
        assert r.code == 0, f"{args[0]}: {r.err}"
        shown.append(r.out + r.err)
    refused = stafett("tiltak", "end", C, "t-finst-ikkje", "--grunn", "x", *BY, "-C", root)
    assert refused.code != 0
    shown.append(refused.err)
    written = [e.tekst for e in load(root, C).logg[before:]]
    for text in [*shown, *written]:
        assert not BOKMAL_IN_NN.search(text), f"bokmål in a nynorsk kommune: {text!r}"
        assert not re.search(r"\b(the|is|was|has|not|from|with)\b", text), f"English in a nynorsk kommune: {text!r}"
    assert load(root, C).samtykker[-1].form == "skriftlig", "skriftleg is stored as the one code"


def test_lang_option_and_variable_choose_the_language(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("STAFETT_LANG", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    root = write_kommune(tmp_path / "testvik", settings=NN_SETTINGS, people=PEOPLE)
    nn = stafett("tiltak", "end", "S-20260101-ingen1", "t-1", "--grunn", "x", *BY, "-C", root).err
    en = stafett("tiltak", "end", "S-20260101-ingen1", "t-1", "--grunn", "x", *BY, "--lang", "en", "-C", root).err
    nb = stafett("tiltak", "end", "S-20260101-ingen1", "t-1", "--grunn", "x", *BY, "--lang", "nb", "-C", root).err
    assert len({nn, en, nb}) == 3, (nn, en, nb)
    monkeypatch.setenv("STAFETT_LANG", "en")
    assert stafett("tiltak", "end", "S-20260101-ingen1", "t-1", "--grunn", "x", *BY, "-C", root).err == en


def test_the_locale_decides_for_help_outside_a_kommune(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("STAFETT_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    texts = {}
    for locale in ("nn_NO.UTF-8", "nb_NO.UTF-8", "en_GB.UTF-8"):
        r = subprocess.run([sys.executable, "-m", "stafett", "--help"], capture_output=True, text=True,
                           env={**env, "LANG": locale}, cwd=tmp_path)
        assert r.returncode == 0, r.stderr
        texts[locale] = r.stdout
    assert len(set(texts.values())) == 3
    assert "Usage:" in texts["en_GB.UTF-8"] and "Usage:" not in texts["nn_NO.UTF-8"]


def test_a_nynorsk_kommune_gets_nynorsk_files_from_init_and_nynorsk_invitations(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("STAFETT_LANG", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("STAFETT_TODAY", "2026-11-23")
    made = stafett("init", tmp_path / "kvernevik", "--kommune", "Kvernevik", "--malform", "nn")
    assert made.code == 0, made.err
    written = "\n".join((tmp_path / "kvernevik" / name).read_text(encoding="utf-8")
                        for name in ("README.md", "stafett.yaml", "personer.yaml"))
    assert "Skule" in written and "Koordinerande eining" in written
    words = re.sub(r"(?m)\b(id|tjeneste|leder): \S+", " ", written)  # ids and keys are codes, not words
    found = BOKMAL_IN_NN.search(words)
    assert not found, words[max(0, found.start() - 80):found.end() + 40]
    assert not BOKMAL_IN_NN.search(made.out), made.out

    root = write_kommune(tmp_path / "testvik", settings=NN_SETTINGS, people=PEOPLE)
    write_case(root, CASE)
    ics = tmp_path / "mote.ics"
    r = stafett("meeting", "plan", C, "--type", "samarbeidsmøte", "--tid", "2026-12-10 13:00", "--sted", "Skulen",
                "--innkalt", "føresette", "--innkalt", "anne.ek", "--ics", ics, *BY, "-C", root)
    assert r.code == 0, r.err
    text = ics.read_text(encoding="utf-8")
    assert "Møteleiar" in text and not BOKMAL_IN_NN.search(text.replace("\r\n ", "")), text
    assert load(root, C).moter[-1].innkalt[0] == "f-mor", "føresette is the one code for every foresatt"


@pytest.mark.parametrize("zone", ["UTC", "America/New_York"])
def test_the_log_keeps_oslo_time_whatever_the_machines_zone(tmp_path: Path, zone: str) -> None:
    import datetime as dt
    from zoneinfo import ZoneInfo

    root = write_kommune(tmp_path / "testvik", settings=NN_SETTINGS, people=PEOPLE)
    write_case(root, CASE)
    env = {**os.environ, "TZ": zone, "STAFETT_LANG": "en"}
    env.pop("STAFETT_TODAY", None)
    before = dt.datetime.now(ZoneInfo("Europe/Oslo")).replace(tzinfo=None, microsecond=0)
    r = subprocess.run([sys.executable, "-m", "stafett", "log", C, "Ringde mor.", *BY, "-C", str(root)],
                       capture_output=True, text=True, env=env)
    after = dt.datetime.now(ZoneInfo("Europe/Oslo")).replace(tzinfo=None)
    assert r.returncode == 0, r.stderr
    written = load(root, C).logg[-1].tid
    assert before <= written <= after, (zone, written, before, after)


def test_every_document_label_is_a_catalog_text_and_the_render_reads_it_from_there(tmp_path: Path) -> None:
    """Issue 12, one place per word: labels.py names English message ids only, each translated in both
    catalogs, and a word changed in a catalog alone is what the rendered document shows."""
    from babel.messages.mofile import write_mo

    from stafett.render.labels import LABELS

    for lang in catalogs.LANGS:
        catalog = catalogs.read(lang)
        for key, msgid in LABELS.items():
            assert isinstance(msgid, str), f"{key}: a label is an English message id, its words live in the catalogs"
            m = catalog.get(msgid)
            assert m is not None and m.string and not m.fuzzy, f"{lang}: label {key} ({msgid!r}) is not translated"

    root = write_kommune(tmp_path / "testvik", settings=NN_SETTINGS, people=PEOPLE)
    write_case(root, CASE)
    locale = tmp_path / "locale"
    for lang in catalogs.LANGS:
        catalog = catalogs.read(lang)
        if lang == "nn":
            catalog.get(LABELS["oversikt"]).string = "Kort om saka"
        (locale / lang / "LC_MESSAGES").mkdir(parents=True)
        with open(locale / lang / "LC_MESSAGES" / "stafett.mo", "wb") as f:
            write_mo(f, catalog)

    def heading(locale_dir: Path | None) -> str:
        env = {k: v for k, v in os.environ.items() if k != "STAFETT_LOCALE_DIR"}
        if locale_dir:
            env["STAFETT_LOCALE_DIR"] = str(locale_dir)
        r = subprocess.run([sys.executable, "-m", "stafett", "render", C, "--format", "md", *BY, "-C", str(root)],
                           capture_output=True, text=True, env=env)
        assert r.returncode == 0, r.stderr
        return r.stdout

    shipped, translated = heading(None), heading(locale)
    assert "Om saka" in shipped and "Kort om saka" not in shipped, shipped
    assert "Kort om saka" in translated, translated


@pytest.mark.parametrize("lang, words", [("nb", ("ukjent valg", "mangler argumentet", "Se `stafett log --help`")),
                                         ("nn", ("ukjent val", "manglar argumentet", "Sjå `stafett log --help`"))])
def test_a_mistyped_command_line_is_answered_in_norwegian(lang: str, words: tuple, monkeypatch) -> None:
    """typer's own usage errors (an unknown option, a missing argument, an extra one) in the reader's language."""
    monkeypatch.setenv("STAFETT_LANG", lang)
    said = "".join(stafett(*args).err for args in (("log", "--tekst", "x"), ("log",), ("status", "ekstra")))
    for word in words:
        assert word in said, said
    for english in ("Try ", "Error:", "No such option", "Missing argument", "Got unexpected"):
        assert english not in said, said


def test_commands_in_messages_are_in_backticks_never_single_quotes():
    """A command a message tells the reader to run is written `stafett validate`, in every language: one
    way to spot it, and no quote to copy into the shell with it."""
    import re

    quoted = re.compile(r"'(?:stafett|git) [^'\n]*'")
    root = Path(__file__).resolve().parent.parent / "stafett" / "locale"
    found = [line for po in sorted(root.rglob("*.po")) + [root / "stafett.pot"]
             for line in po.read_text(encoding="utf-8").splitlines()
             if line.startswith(("msgid", "msgstr", '"')) and quoted.search(line)]
    assert found == []
