"""Benchmark: the commands that change a case, and `render`, on a realistic ~100 KB case, as whole processes.

The case is written the way people write them, not the way stafett emits them: cases.example's richest
case grown by text with many log entries, tiltak with evaluations and meetings with referat, hand-typed
comments between and after items, `|` and `>` block scalars, single- and double-quoted and plain
strings, flow lists, æøå, blank lines. A second copy has Windows line endings (CRLF).

Each command runs as its own process (`python -m stafett ...`, the way a coordinator runs it), on a
fresh copy of the case every time, several times; the table gives the median. A ruamel round-trip
load + dump of the same file, in a process of its own too, gives the ratio.

Goals (issue 15): `log`, `tiltak`, `meeting` <= 300 ms; `render --format html` <= 200 ms.

    python bench/bench_edits.py [--size-kb 100] [--runs 7] [--keep DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
import procenv  # noqa: E402
EXAMPLE = ROOT / "cases.example"
BASE_CASE = "S-20251021-m8vz5c"
BIG_ID = "S-20261120-bench1"
CRLF_ID = "S-20261120-bench2"
TODAY = "2027-09-01"  # every generated entry lies before it, so a new log entry keeps the log in order

STAFF = ("lene.fossdal", "jonas.eide", "maria.dahle")
PARENTS = ("f-7kc2hp", "f-4yt9bn")
GOALS = ("m-9tq4wd", "m-2cy8jr", "m-6gv3kx", "m-4nw7bs")
AREAS = ("u-3hx9mf", "u-7bk2pz", "u-5dq6wn")

SENTENCES = (
    "Mor ringte og fortalte at morgenen gikk fint.",
    "Vi snakket om søvn, skjerm og hvordan uka har vært på skolen.",
    "Mathias var **stolt** over å ha vært på skolen hele uka.",
    "Avtalt at kontaktlærer sender en kort melding hjem fredag.",
    "Far var med på Teams. Han ønsker et nytt møte før jul.",
    "Vi prøver ut en fast plass i klasserommet nær døra.",
    "Fraværet har gått ned til 6 %, men mandagene er fortsatt tunge.",
    "Se også *referatet* fra forrige møte (punkt 3).",
    "Mathias sa: «Det går bedre når jeg vet hva som skjer.»",
    "Øvelsen på grupperommet ble flyttet til tirsdag; Lene følger opp.",
)
COMMENTS = (
    "# Ringt fra jobbtelefonen; mor ba om at vi ikke sender SMS.",
    "# NB: sjekk med BUP før neste møte.",
    "# Skrevet inn i etterkant (etter ferien).",
    "# TODO: legg inn referatet fra Vigilo her også?",
    "# Lene: dette ble avklart på telefon med far.",
)


def sentence(n: int, words: int) -> str:
    return " ".join(SENTENCES[(n + i) % len(SENTENCES)] for i in range(words))


def _quoted(text: str, n: int) -> str:
    if n % 3 == 0:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return "'" + text.replace("'", "''") + "'"


def _text_value(n: int, words: int, indent: int) -> str:
    """A free-text value in one of the styles people use: plain, quoted, `|` or `>` block."""
    pad = " " * indent
    style = n % 6
    if style == 0:
        lines = [SENTENCES[(n + i) % len(SENTENCES)] for i in range(words)]
        return "|\n" + "".join(f"{pad}{line}\n" for line in lines[:1] + [""] + ["- " + x for x in lines[1:]])
    if style == 1:
        lines = [SENTENCES[(n + i) % len(SENTENCES)] for i in range(words)]
        return ">\n" + "".join(f"{pad}{line}\n" for line in lines)
    if style in (2, 3):
        return _quoted(sentence(n, words), n) + "\n"
    return plain(sentence(n, words)) + "\n"


def plain(text: str) -> str:
    """What a person types unquoted: no ': ' inside (a plain scalar cannot hold one)."""
    return text.replace(": ", " – ")


def log_entry(n: int, when: dt.datetime) -> str:
    kind = ("kontakt", "notat", "lysglimt", "kontakt", "notat")[n % 5]
    out = []
    if n % 9 == 0:
        out.append(f"  {COMMENTS[n % len(COMMENTS)]}\n")
    if n % 13 == 0:
        out.append("\n")
    out.append(f"  - tid: {when:%Y-%m-%d %H:%M:%S}\n")
    out.append(f"    av: {STAFF[n % len(STAFF)]}\n")
    out.append(f"    type: {kind}" + ("   # viktig\n" if n % 17 == 0 else "\n"))
    out.append("    tekst: " + _text_value(n, 2 + n % 3, 6))
    if kind == "kontakt":
        who = [PARENTS[n % 2]] + (["hovedperson"] if n % 3 == 0 else [])
        if n % 2:
            out.append(f"    med: [{', '.join(who)}]\n")
        else:
            out.append("    med:\n" + "".join(f"      - {w}\n" for w in who))
    return "".join(out)


def tiltak_item(n: int, day: dt.date) -> str:
    out = []
    if n % 2 == 0:
        out.append(f"  {COMMENTS[n % len(COMMENTS)]}\n")
    out.append(f"  - id: t-g{n:05d}\n")
    out.append("    beskrivelse: " + _text_value(n, 3, 6))
    if n % 2:
        out.append(f"    mal: [{GOALS[n % 4]}, {GOALS[(n + 1) % 4]}]\n")
    else:
        out.append(f"    mal:\n      - {GOALS[n % 4]}\n")
    out.append(f"    utviklingsomrade: {AREAS[n % 3]}\n")
    out.append(f"    ansvarlig: {STAFF[n % len(STAFF)]}\n")
    out.append(f"    start: {day}\n")
    out.append(f"    evalueres: {day + dt.timedelta(days=400)}   # etter sommeren\n")
    out.append("    status: aktiv\n")
    out.append("    evalueringer:\n")
    for k in range(2):
        out.append(f"      - dato: {day + dt.timedelta(days=30 * (k + 1))}\n")
        out.append(f"        av: {STAFF[(n + k) % len(STAFF)]}\n")
        out.append("        utfall: effekt men ikke i mål\n")
        out.append("        vurdering: " + _text_value(n + k + 1, 2, 10))
        out.append(f"        barnets_syn: {_quoted('Mathias: «Det hjelper litt.»', n + k)}\n")
        if k == 0:
            out.append("        # familien var ikke med på denne evalueringen\n")
    return "".join(out)


def meeting_item(n: int, number: int, day: dt.date) -> str:
    staff = list(STAFF)
    out = [f"  - id: mo-g{n:05d}\n", "    type: samarbeidsmøte\n", f"    nummer: {number}\n",
           f"    tidspunkt: {day} 14:00:00\n", "    varighet_min: 60\n",
           f"    sted: {_quoted('Fjordvik ungdomsskole, møterom «Fjellet»', n)}\n",
           f"    leder: {staff[0]}\n", f"    referent: {staff[1]}\n",
           f"    innkalt: [{', '.join(PARENTS + ('hovedperson',) + STAFF)}]\n",
           "    dagsorden:\n      - Velkommen og samtykke\n      - Mathias forteller\n      - Tiltakene\n",
           "    referat:\n", f"      skrevet: {day}\n", f"      skrevet_av: {staff[1]}\n",
           "      tilstede:\n" + "".join(f"        - {p}\n" for p in PARENTS + ("hovedperson",) + STAFF),
           "      notater:\n",
           "        - punkt: Velkommen og samtykke\n",
           "          notat: " + _text_value(n, 2, 12),
           "        - punkt: Mathias forteller\n",
           "          notat: " + _text_value(n + 1, 3, 12),
           "        # punkt 3 ble slått sammen med punkt 2\n",
           "      beslutninger:\n", f"        - {plain(sentence(n, 1))}\n", f"        - {_quoted(sentence(n + 2, 1), n)}\n",
           "      oppgaver:\n", f"        - id: o-g{n:05d}\n", f"          tekst: {plain(sentence(n + 3, 1))}\n",
           f"          ansvarlig: {staff[0]}\n",
           f"          frist: {day + dt.timedelta(days=14)}\n",
           "      barnets_stemme: " + _text_value(n + 4, 2, 8),
           f"      kopi_til: [{', '.join(PARENTS)}]\n"]
    return "".join(out)


def _section_end(text: str, key: str) -> int:
    """Where the top-level block `key:` ends: at the next top-level key, or the end of the text."""
    start = text.index(f"\n{key}:\n") + 1
    pos = text.find("\n", start) + 1
    while pos < len(text):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end + 1
        line = text[pos:end]
        if line[:1] not in (" ", "\n", "#", ""):
            return pos
        pos = end
    return len(text)


def _insert_at_end(text: str, key: str, block: str) -> str:
    at = _section_end(text, key)
    while at > 0 and text[at - 2:at] == "\n\n":  # keep a blank line before the next section
        at -= 1
    return text[:at] + block + text[at:]


def build_case_text(size_kb: int = 100, case_id: str = BIG_ID) -> str:
    """The base case grown by text to about size_kb KB, in the styles people write."""
    text = (EXAMPLE / "saker" / f"{BASE_CASE}.yaml").read_text(encoding="utf-8")
    text = text.replace(f"id: {BASE_CASE}", f"id: {case_id}", 1)
    text = text.replace("$schema=../../schemas", "$schema=../schemas", 1)
    text = text.replace("niva: 3\n", "niva: 3   # nivå 3 fra 15.9.2026\n", 1)
    # After the base case's own last entry, and numbered after its own meetings: the grown case stays valid.
    last = max(dt.datetime.fromisoformat(m) for m in re.findall(r"\n  - tid: (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)", text))
    start = last.replace(hour=8, minute=0, second=0) + dt.timedelta(days=1)
    numbered = len(re.findall(r"\n    nummer: \d+", text))
    n = 0
    logs, tiltak, moter = [], [], []
    while True:
        n += 1
        for i in range(12):
            logs.append(log_entry(n * 12 + i, start + dt.timedelta(minutes=25 * (n * 12 + i))))
        day = (start + dt.timedelta(minutes=25 * n * 12)).date()
        tiltak.append(tiltak_item(n, day))
        if n % 2 == 0:
            moter.append(meeting_item(n, numbered + 1 + len(moter), day))
        size = len(text.encode()) + sum(len(x.encode()) for x in logs + tiltak + moter)
        if size >= size_kb * 1024:
            break
    text = _insert_at_end(text, "tiltak", "".join(tiltak))
    text = _insert_at_end(text, "moter", "".join(moter))
    text = _insert_at_end(text, "logg", "".join(logs) + "  # siste kommentar i loggen\n")
    return text


# --- the folder and the commands ---------------------------------------------------------------------

def make_folder(root: Path, size_kb: int) -> dict[str, bytes]:
    (root / "saker").mkdir(parents=True)
    for name in ("stafett.yaml", "personer.yaml"):
        shutil.copy(EXAMPLE / name, root / name)
    if (EXAMPLE / "schemas").is_dir():
        shutil.copytree(EXAMPLE / "schemas", root / "schemas")
    cases = {
        BIG_ID: build_case_text(size_kb, BIG_ID).encode("utf-8"),
        CRLF_ID: build_case_text(size_kb, CRLF_ID).replace("\n", "\r\n").encode("utf-8"),
    }
    for case_id, data in cases.items():
        (root / "saker" / f"{case_id}.yaml").write_bytes(data)
    return cases


def commands(case_id: str) -> dict[str, list[str]]:
    by = ["--by", "jonas.eide"]
    return {
        "log": ["log", case_id, "Ringte mor. Morgenen gikk fint, og Mathias var på skolen kl. 08.15.",
                "--med", "f-7kc2hp", *by],
        "tiltak add": ["tiltak", "add", case_id, "--beskrivelse", "Fast avtale om oppmøte på grupperommet hver mandag.",
                       "--ansvarlig", "lene.fossdal", "--evalueres", "2027-12-01", "--mal", "m-9tq4wd", *by],
        "evaluate": ["evaluate", case_id, "t-8wp4nd", "--utfall", "effekt", "--vurdering", "Færre magesmerter, og han bruker pusteteknikkene.",
                     "--barnets-syn", "«Det hjelper å vite at det går over.»", "--neste", "2027-12-01", *by],
        "meeting plan": ["meeting", "plan", case_id, "--tid", "2027-10-05 14:00", "--sted", "Fjordvik helsestasjon",
                         "--innkalt", "f-7kc2hp", "--innkalt", "lene.fossdal", "--dagsorden", "Velkommen",
                         "--dagsorden", "Status", "--no-ics", *by],
        "render html": ["render", case_id, "--format", "html", "-o", "OUT/logg.html", *by],
    }


ROUNDTRIP = """\
import io, sys
from ruamel.yaml import YAML
y = YAML(typ="rt")
y.preserve_quotes = True
raw = open(sys.argv[1], "rb").read()
doc = y.load(raw.decode("utf-8"))
out = io.StringIO()
y.dump(doc, out)
"""


def timed(argv: list[str], cwd: Path, env: dict) -> tuple[float, subprocess.CompletedProcess]:
    t0 = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True)
    return (time.perf_counter() - t0) * 1000, done


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-kb", type=int, default=100)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="write the case folder here and keep it")
    args = parser.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="stafett-bench-edits-"))
    root = args.keep or tmp / "kommune"
    if args.keep and args.keep.exists():
        shutil.rmtree(args.keep)
    out_dir = tmp / "out"
    out_dir.mkdir()
    env = procenv.env(STAFETT_TODAY=TODAY)
    procenv.compile_stafett()
    try:
        cases = make_folder(root, args.size_kb)
        rows: list[tuple[str, float, float | None]] = []
        stafett = [sys.executable, "-m", "stafett"]

        def measure(label: str, make_argv, case_id: str | None, goal: float | None) -> None:
            times = []
            for _ in range(args.runs):
                if case_id:
                    (root / "saker" / f"{case_id}.yaml").write_bytes(cases[case_id])
                ms, done = timed(make_argv(), root, env)
                if done.returncode != 0:
                    raise SystemExit(f"{label} failed ({done.returncode}): {done.stderr.decode(errors='replace').strip()}")
                times.append(ms)
            rows.append((label, statistics.median(times), goal))

        measure("python -c pass (interpreter start)", lambda: [sys.executable, "-c", "pass"], None, None)
        measure("stafett --help", lambda: stafett + ["--help"], None, None)
        big = root / "saker" / f"{BIG_ID}.yaml"
        measure("ruamel round-trip load + dump", lambda: [sys.executable, "-c", ROUNDTRIP, str(big)], None, None)
        for case_id, tag in ((BIG_ID, ""), (CRLF_ID, " (CRLF)")):
            for name, cmd in commands(case_id).items():
                if tag and name not in ("log", "render html"):
                    continue
                cmd = [c.replace("OUT", str(out_dir)) for c in cmd]
                goal = 200.0 if name.startswith("render") else 300.0
                measure(f"{name}{tag}", lambda cmd=cmd: stafett + cmd, case_id, goal)

        roundtrip = next(ms for label, ms, _ in rows if label.startswith("ruamel"))
        size = len(cases[BIG_ID]) / 1024
        lines = cases[BIG_ID].count(b"\n")
        print(f"case: {size:.0f} KB, {lines} lines (comments, | and > blocks, quoted and plain strings, flow lists, æøå); "
              f"CRLF copy {len(cases[CRLF_ID]) / 1024:.0f} KB; median of {args.runs} whole processes each")
        print(f"{'what':<40} {'median ms':>10} {'× round-trip':>13} {'goal':>8}  verdict")
        failed = False
        for label, ms, goal in rows:
            verdict = ""
            if goal is not None:
                verdict = "meets" if ms <= goal else "MISSES"
                failed |= ms > goal
            goal_text = f"≤ {goal:.0f}" if goal else ""
            print(f"{label:<40} {ms:10.0f} {ms / roundtrip:13.2f} {goal_text:>8}  {verdict}")
        return 1 if failed else 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
