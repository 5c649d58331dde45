"""Hostile input. None of it may run code, write outside the case folder, overwrite a case file, or crash:

- YAML that attacks the parser: alias bombs, deep nesting, huge files, Python tags, non-UTF-8, NUL bytes;
- path traversal in case ids (every command that takes a CASE) and in output paths (-o, --ics);
- a case file that is a symlink to a file outside the folder;
- a kommune's own template (templates/ in the case folder) that tries to escape Jinja's sandbox;
- HTML, Markdown and Jinja injection in every free-text field that reaches `stafett render`.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

from stafett.anonymize import _ID_KEYS, _LITERALS  # what the model says is a code or an id
from stafett.cli.app import run
from tests.conftest import CASE, CASE_ID, ROOT

MARKER = "stafett-pwned"


def stafett(root: Path, *args: str, stdin: bytes | None = None) -> tuple[int, str, str]:
    """The CLI in-process (as `stafett ARGS` in `root`): exit code, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    old = Path.cwd()
    old_stdin = None
    try:
        os.chdir(root)
        if stdin is not None:
            import sys

            old_stdin = sys.stdin
            sys.stdin = io.TextIOWrapper(io.BytesIO(stdin))
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = run([str(a) for a in args])
    finally:
        os.chdir(old)
        if old_stdin is not None:
            import sys

            sys.stdin = old_stdin
    return code, out.getvalue(), err.getvalue()


def one_line_error(code: int, out: str, err: str, *, codes=(1, 2)) -> str:
    assert code in codes, f"exit {code}: {err}{out[:300]}"
    assert "Traceback" not in out + err
    lines = [line for line in err.split("\n") if line.strip()]  # a terminal line; a '\r' echoed inside is not a new one
    assert len(lines) == 1, err
    return lines[0]


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.is_symlink() and ".stafett-cache" not in p.parts}


@pytest.fixture
def kommune(folder: Path) -> Path:
    return folder


# --- YAML that attacks the parser ------------------------------------------------------------------

BILLION_LAUGHS = "\n".join(["id: S-20261101-abcdef", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
                           + [f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)]) + "\n"
HOSTILE_FILES = {
    "alias-bomb": BILLION_LAUGHS.encode(),
    "alias-in-case": CASE.replace("navn: Ola Testesen", "navn: &n Ola Testesen").replace("navn: Eva Testesen", "navn: *n").encode(),
    "merge-key": CASE.replace("foresatte:\n", "x: &x {a: 1}\ny:\n  <<: *x\nforesatte:\n").encode(),
    "deep-flow": ("id: S-20261101-abcdef\nx: " + "[" * 100_000 + "]" * 100_000 + "\n").encode(),
    "deep-block": ("id: S-20261101-abcdef\nx:\n" + "".join(" " * (2 * i) + "- \n" for i in range(2000))).encode(),
    "deep-mapping": ("id: S-20261101-abcdef\nx: " + "{a: " * 50_000 + "1" + "}" * 50_000 + "\n").encode(),
    "huge": (CASE + "# " + "x" * (3 * 1024 * 1024) + "\n").encode(),
    "python-apply": f"!!python/object/apply:os.system ['touch {MARKER}']\n".encode(),
    "python-in-value": CASE.replace("navn: Ola Testesen", f"navn: !!python/object/apply:os.system ['touch {MARKER}']").encode(),
    "python-name": CASE.replace("kategori: barn", "kategori: !!python/name:os.system").encode(),
    "python-new": CASE.replace("niva: 1", f"niva: !!python/object/new:subprocess.Popen [['touch', '{MARKER}']]").encode(),
    "local-tag": CASE.replace("niva: 1", "niva: !niva 1").encode(),
    "latin-1": CASE.replace("samlingsstund", "samlingsstund på går").encode("latin-1"),
    "utf-16": CASE.encode("utf-16"),
    "nul-byte": CASE.replace("Ola er stille", "Ola\x00er stille").encode(),
    "only-nul": b"\x00" * 64,
    "two-documents": (CASE + "---\nid: S-20261101-zzzzzz\n").encode(),
    "duplicate-key": CASE.replace("niva: 1", "niva: 1\nniva: 3").encode(),
    "top-level-list": b"- id: S-20261101-abcdef\n",
    "empty": b"",
    "directive": ("%YAML 1.1\n---\n" + CASE).encode(),
    "crlf-mixed": CASE.replace("\n", "\r\n", 5).replace("\n", "\r", 3).encode(),
    "bidi-and-nel": CASE.replace("Ola er stille", "Ola\u202e er\x85stille\u2028").encode(),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_FILES))
def test_hostile_yaml_is_refused_by_every_reader_without_running_code(kommune: Path, name: str):
    path = kommune / "saker" / f"{CASE_ID}.yaml"
    raw = HOSTILE_FILES[name]
    path.write_bytes(raw)
    started = time.perf_counter()
    code, out, err = stafett(kommune, "validate")
    assert code in (0, 1) and "Traceback" not in out + err, (code, err)
    if code == 1:
        assert re.search(r":\d+:\d+: [A-Z]\d{3}", out), out[:500]
    for args in (["validate", "--format", "json"], ["validate", "--no-cache"]):
        code, out, err = stafett(kommune, *args)
        assert code in (0, 1) and "Traceback" not in out + err
    code, out, err = stafett(kommune, "validate", "-", stdin=raw)
    assert code in (0, 1, 2) and "Traceback" not in out + err
    for args in (["log", CASE_ID, "Ny linje.", "--by", "kari.lund"],
                 ["tiltak", "add", CASE_ID, "--beskrivelse", "x", "--ansvarlig", "kari.lund", "--evalueres", "2027-01-01", "--by", "kari.lund"],
                 ["render", CASE_ID, "--format", "html"],
                 ["meeting", "ics", CASE_ID, "mo-1"]):
        before = path.read_bytes()
        code, out, err = stafett(kommune, *args)
        if code != 0:
            one_line_error(code, out, err)
            assert path.read_bytes() == before, args
    for args in (["status"], ["export"], ["retention"]):
        code, out, err = stafett(kommune, *args)
        assert code in (0, 1) and "Traceback" not in out + err, (args, code, err)
    assert time.perf_counter() - started < 60
    assert not (kommune / MARKER).exists() and not (kommune / "saker" / MARKER).exists()


def test_a_file_of_many_small_values_is_refused_quickly(kommune: Path):
    """300 KB, far under the size cap, of 150 000 one-character values: every command re-reads it strictly."""
    path = kommune / "saker" / f"{CASE_ID}.yaml"
    path.write_bytes(("id: S-20261101-abcdef\nx: [" + ",".join(["1"] * 150_000) + "]\n").encode())
    started = time.perf_counter()
    code, out, err = stafett(kommune, "validate", "--no-cache")
    elapsed = time.perf_counter() - started
    assert code == 1 and "Traceback" not in out + err
    assert elapsed < 10, f"validate took {elapsed:.0f}s on a 300 KB file"


@pytest.mark.parametrize("name", ["alias-bomb", "python-apply", "deep-flow", "nul-byte", "latin-1"])
@pytest.mark.parametrize("which", ["stafett.yaml", "personer.yaml"])
def test_hostile_folder_files_give_one_line(kommune: Path, name: str, which: str):
    (kommune / which).write_bytes(HOSTILE_FILES[name])
    before = snapshot(kommune)
    code, out, err = stafett(kommune, "log", CASE_ID, "Ny linje.", "--by", "kari.lund")
    one_line_error(code, out, err)
    code, out, err = stafett(kommune, "validate")
    assert code == 1 and "Traceback" not in out + err
    assert {k: v for k, v in snapshot(kommune).items()} == before
    assert not (kommune / MARKER).exists()


# --- path traversal in case ids --------------------------------------------------------------------

BAD_IDS = ["../../etc/passwd", "S-20260101-abc/../x", "S-20261101-abcdef/../../stafett", "/etc/passwd",
           "saker/S-20261101-abcdef", "S-20261101-abcdef.yaml", "S-20261101-ABCDEF", "S-20261101-abcdef/", "..", ".",
           "", " S-20261101-abcdef", "S-20261101-abcdef\x00", "S-20261101-abcdef\r", "S-20261101-abc\\..\\..\\x",
           "C:\\Windows\\win.ini", "~/S-20261101-abcdef", "S-20261101-abcdef%2f..", "S-2026110１-abcdef"]

# Every command that takes a CASE, with its other required arguments.
CASE_COMMANDS = [
    ["log", "{id}", "Tekst.", "--by", "kari.lund"],
    ["consent", "add", "{id}", "--gitt-av", "f-mor", "--omfang", "ppt", "--by", "kari.lund"],
    ["consent", "withdraw", "{id}", "s-1", "--trukket-av", "f-mor", "--by", "kari.lund"],
    ["assign", "{id}", "--deltaker", "siri.dahl", "--by", "per.berg"],
    ["tiltak", "add", "{id}", "--beskrivelse", "x", "--ansvarlig", "kari.lund", "--evalueres", "2027-01-01", "--by", "kari.lund"],
    ["tiltak", "adjust", "{id}", "t-1", "--beskrivelse", "y", "--by", "kari.lund"],
    ["tiltak", "end", "{id}", "t-1", "--by", "kari.lund"],
    ["evaluate", "{id}", "t-1", "--utfall", "effekt", "--vurdering", "v", "--neste", "2027-01-01", "--by", "kari.lund"],
    ["handover", "offer", "{id}", "--til", "anne.ek", "--grunn", "g", "--onske", "o", "--tiltak", "t", "--koordineringsbehov", "k", "--by", "kari.lund"],
    ["handover", "accept", "{id}", "--by", "anne.ek"],
    ["handover", "decline", "{id}", "--by", "anne.ek"],
    ["handover", "cancel", "{id}", "--by", "kari.lund"],
    ["escalate", "{id}", "--niva", "2", "--grunn", "g", "--by", "per.berg"],
    ["close", "{id}", "--grunn", "trygt", "--by", "kari.lund"],
    ["meeting", "plan", "{id}", "--tid", "2026-12-01 10:00", "--sted", "Rom 1", "--no-ics", "--by", "kari.lund"],
    ["meeting", "referat", "{id}", "mo-1", "--tilstede", "kari.lund", "--barnets-stemme", "b", "--by", "kari.lund"],
    ["meeting", "ics", "{id}", "mo-1"],
    ["render", "{id}"],
    ["render", "{id}", "--format", "html", "-o", "ut.html"],
    ["retention", "--purge", "{id}", "--yes"],
]


@pytest.mark.parametrize("command", CASE_COMMANDS, ids=lambda c: " ".join(w for w in c[:2] if w != "{id}"))
def test_every_case_command_refuses_a_path_as_case_id(kommune: Path, command: list[str]):
    before = snapshot(kommune)
    outside = set(os.listdir(kommune.parent))
    for bad in BAD_IDS:
        argv = [bad if w == "{id}" else w for w in command]
        code, out, err = stafett(kommune, *argv)
        line = one_line_error(code, out, err, codes=(2,))
        assert "not a case id" in line, (bad, line)
    assert snapshot(kommune) == before
    assert set(os.listdir(kommune.parent)) == outside


def test_a_case_id_with_a_trailing_newline_is_not_an_id(kommune: Path):
    """`$` in a Python regex also matches before a final newline: 'S-...\\n' must still be refused as an id."""
    before = snapshot(kommune)
    for command in (CASE_COMMANDS[0], CASE_COMMANDS[17], CASE_COMMANDS[-1]):
        argv = [f"{CASE_ID}\n" if w == "{id}" else w for w in command]
        code, out, err = stafett(kommune, *argv)
        line = one_line_error(code, out, err, codes=(2,))
        assert "not a case id" in line, line
    assert snapshot(kommune) == before


# --- a case file that links outside the folder -----------------------------------------------------

LINKED = "S-20261101-lenket"


@pytest.fixture
def linked(kommune: Path, tmp_path: Path) -> tuple[Path, Path]:
    outside = tmp_path / "utenfor" / "hemmelig.yaml"
    outside.parent.mkdir()
    outside.write_text(CASE.replace(CASE_ID, LINKED), encoding="utf-8")
    link = kommune / "saker" / f"{LINKED}.yaml"
    try:
        link.symlink_to(outside)
    except OSError:
        pytest.skip("symlinks are not available here")
    return link, outside


@pytest.mark.parametrize("command", [c for c in CASE_COMMANDS if c[0] != "retention"],
                         ids=lambda c: " ".join(w for w in c[:2] if w != "{id}"))
def test_commands_refuse_a_symlinked_case_file(kommune: Path, linked, command: list[str]):
    link, outside = linked
    before = outside.read_bytes()
    argv = [LINKED if w == "{id}" else w for w in command]
    code, out, err = stafett(kommune, *argv)
    line = one_line_error(code, out, err, codes=(2,))
    assert "link out of the case folder" in line
    assert outside.read_bytes() == before and link.is_symlink()
    assert not (kommune / "ut.html").exists()


def test_retention_purge_refuses_a_symlinked_case_file(kommune: Path, linked):
    link, outside = linked
    code, out, err = stafett(kommune, "retention", "--purge", LINKED, "--yes")
    one_line_error(code, out, err, codes=(2,))
    assert outside.exists() and link.is_symlink()


def test_validate_never_writes_through_a_symlinked_case_file(kommune: Path, linked):
    link, outside = linked
    before = outside.read_bytes()
    for args in (["validate"], ["validate", "--no-cache"], ["validate", f"saker/{LINKED}.yaml"], ["status"], ["export"]):
        code, out, err = stafett(kommune, *args)
        assert "Traceback" not in out + err and code != 3, (args, err)
    assert outside.read_bytes() == before and link.is_symlink()


def test_validate_does_not_show_a_file_outside_the_folder_through_a_link(kommune: Path, tmp_path: Path):
    """A committed symlink (git stores them) must not make CI print a runner's files: validate shows the
    source line of a finding, so a link to e.g. /proc/self/environ would put its secrets in the CI log."""
    secret = tmp_path / "runner-secret.txt"
    secret.write_bytes(b"GITHUB_TOKEN=ghp_hemmelig123\x00\nsecond: [line\n")
    (kommune / "saker" / "S-20261101-lekker.yaml").symlink_to(secret)
    for args in (["validate"], ["validate", "--format", "json"], ["validate", "--format", "github"]):
        code, out, err = stafett(kommune, *args)
        assert "ghp_hemmelig123" not in out + err, f"validate {' '.join(args[1:])} printed a file outside the folder:\n{out}"
        assert code == 1, "a link out of the case folder should be a finding"


# --- output paths ----------------------------------------------------------------------------------

@pytest.mark.parametrize("target", ["saker/{id}.yaml", "../kommune/saker/{id}.yaml", "{abs}/saker/{id}.yaml", "stafett.yaml",
                                    "personer.yaml", "./saker/../saker/{id}.yaml"])
def test_render_never_writes_onto_a_file_of_the_folder(kommune: Path, target: str):
    before = snapshot(kommune)
    out_path = target.format(id=CASE_ID, abs=kommune)
    code, out, err = stafett(kommune, "render", CASE_ID, "--format", "html", "-o", out_path)
    line = one_line_error(code, out, err)
    assert "never overwrites" in line or "case folder" in line
    assert snapshot(kommune) == before


def test_render_does_not_follow_a_link_onto_a_case_file(kommune: Path):
    before = snapshot(kommune)
    (kommune / "ut.html").symlink_to(kommune / "saker" / f"{CASE_ID}.yaml")
    (kommune / "utdir").symlink_to(kommune / "saker", target_is_directory=True)
    for target in ("ut.html", f"utdir/{CASE_ID}.yaml", "utdir/ny.html"):
        code, out, err = stafett(kommune, "render", CASE_ID, "--format", "html", "-o", target)
        assert code != 3 and "Traceback" not in out + err
        assert snapshot(kommune) == before, target
    assert not (kommune / "saker" / "ny.html").exists()


def test_render_writes_outside_the_folder_only_where_asked(kommune: Path):
    code, out, err = stafett(kommune, "render", CASE_ID, "--format", "html", "-o", "../kopi.html")
    assert code == 0, err
    assert (kommune.parent / "kopi.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize("command", [
    ["meeting", "ics", CASE_ID, "{mo}", "--ics", "saker/{id}.yaml"],
    ["meeting", "ics", CASE_ID, "{mo}", "--ics", "stafett.yaml"],
    ["meeting", "ics", CASE_ID, "{mo}", "--ics", "personer.yaml"],
    ["export", "-o", "saker/{id}.yaml"],
    ["export", "-o", "stafett.yaml"],
    ["export", "-o", "personer.yaml"],
], ids=lambda c: f"{c[0]}-{c[-1].split('/')[-1]}")
def test_other_outputs_never_overwrite_a_file_of_the_folder(kommune: Path, command: list[str]):
    code, out, err = stafett(kommune, "meeting", "plan", CASE_ID, "--tid", "2026-12-01 10:00", "--sted", "Rom 1", "--no-ics",
                             "--by", "kari.lund")
    assert code == 0, err
    mo = re.search(r"\((mo-[a-z0-9]+)\)", out).group(1)
    before = snapshot(kommune)
    argv = [w.format(id=CASE_ID, mo=mo) for w in command]
    code, out, err = stafett(kommune, *argv)
    assert code != 3 and "Traceback" not in out + err
    changed = [k for k, v in snapshot(kommune).items() if before.get(k) != v and k in before]
    assert not changed, f"stafett {' '.join(argv)} overwrote {changed}"


# --- a kommune's own templates in Jinja's sandbox --------------------------------------------------

SANDBOX_ESCAPES = [
    "{{ ''.__class__.__mro__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ joiner.__init__.__globals__.os.system('touch " + MARKER + "') }}",
    "{{ lipsum.__globals__['os'].popen('touch " + MARKER + "').read() }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ self.__init__.__globals__.__builtins__ }}",
    "{{ self._TemplateReference__context }}",
    "{% for c in ().__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
    "{{ '{0.__class__.__mro__}'.format('') }}",
    "{{ '%s'.format_map }}",
    "{% set x = L.update({'a': 1}) %}{{ x }}",
    "{{ range(10**9)|list|length }}",
    "{% include '/etc/passwd' %}",
    "{% include '../../../../../../etc/passwd' %}",
    "{% import 'stafett/../../../../etc/passwd' as p %}",
    "{{ config }}{{ request }}",
    "{{ case.__class__.__init__.__globals__ }}",
    "{{ case.model_config }}",
    "{{ (case|attr('__class__')) }}",
]


@pytest.mark.parametrize("payload", SANDBOX_ESCAPES)
@pytest.mark.parametrize("where", ["html/document.html.j2", "html/local.html.j2", "md/document.md.j2"])
def test_a_local_template_cannot_escape_the_sandbox(kommune: Path, payload: str, where: str):
    template = kommune / "templates" / where
    template.parent.mkdir(parents=True, exist_ok=True)
    if where.endswith("local.html.j2"):
        body = payload + "\n{% macro bekymring(s) %}" + payload + "{% endmacro %}\n"
    else:
        body = "<html><body>\n" + payload + "\n</body></html>\n"
    template.write_text(body, encoding="utf-8")
    fmt = "md" if where.startswith("md/") else "html"
    before = snapshot(kommune)
    code, out, err = stafett(kommune, "render", CASE_ID, "--format", fmt, "-o", f"../ut.{fmt}")
    assert code != 3, f"internal error instead of a template error: {err}"
    assert "Traceback" not in out + err
    if code != 0:
        one_line_error(code, out, err)
        assert not (kommune.parent / f"ut.{fmt}").exists()
    else:
        rendered = (kommune.parent / f"ut.{fmt}").read_text(encoding="utf-8")
        for leak in ("<class", "__builtins__", "root:x:0", "<module", "subprocess", "posix", "<built-in"):
            assert leak not in rendered, leak
    assert not (kommune / MARKER).exists() and not Path(MARKER).exists()
    assert {k: v for k, v in snapshot(kommune).items() if not k.startswith("templates/")} == \
        {k: v for k, v in before.items() if not k.startswith("templates/")}


# --- injection through free text -------------------------------------------------------------------

LONG_PAYLOAD = "\n\n".join([
    "<script>alert(1)</script>",
    "[klikk](javascript:alert(1))",
    "[klikk](JaVaScRiPt:alert(1))",
    "[klikk](  javascript:alert(1))",
    "[klikk](java\tscript:alert(1))",
    "<javascript:alert(1)>",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](vbscript:msgbox(1))",
    "<img src=x onerror=alert(1)>",
    "![bilde](x.png \"onerror=alert(1)\")",
    '"><svg onload=alert(1)>',
    "<a href='javascript:alert(1)'>lenke</a>",
    "<iframe src=//evil.example></iframe>",
    "</style><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "<style>body{display:none}</style>",
    "{{ 7*7 }}",
    "{{ 7*1913 }}",
    "{% raw %}",
    "{% endraw %}{{ 7*1913 }}",
    "${7*1913}",
    "<!-- kommentar",
    "&lt;script&gt;",
    "`<script>`",
    "    <script>kodeblokk</script>",
    "[ref]: javascript:alert(1)\n\n[lenke][ref]",
    "| a | b |\n|---|---|\n| <script> | x |",
])
SHORT_PAYLOAD = "<script>alert(1)</script><img src=x onerror=alert(1)>[k](javascript:alert(1)){{ 7*1913 }}{% raw %}\"><svg onload=alert(1)>"
# Keys whose values are ids, codes or dates (validated patterns or closed lists): everything else is free text.
NOT_TEXT = {"id", "gitt_av", "av", "person", "meldt_av", "ansvarlig", "leder", "referent", "registrert_av", "oppnevnt_av",
            "skrevet_av", "til", "fra", "eier", "type", "kategori", "status", "utfall", "form", "omfang", "tjeneste", "mal",
            "utviklingsomrade", "samtykke", "innkalt", "tilstede", "fravaerende", "kopi_til", "med", "fodselsnummer",
            "sekundaer", "roller", "epost_domene", "fagsystem", "malform", "skjul_for_foresatte", "leder_id", "handling",
            "familiekontakt", "besluttet_av", "samtykker", "gjelder"}
SHORT_KEYS = {"navn", "relasjon", "sted", "rolle", "telefon", "epost", "punkt", "dagsorden", "kriterier", "stilling", "enhet",
              "kommune", "konsultert", "virksomhet"}


def poison(value, key: str | None = None, parent: str | None = None):
    if isinstance(value, dict):
        return {k: poison(v, k, key) for k, v in value.items()}
    if isinstance(value, list):
        return [poison(v, key, parent) for v in value]
    # Ids and closed words the model itself knows (a field added later is covered without touching this list).
    if not isinstance(value, str) or key in NOT_TEXT or key in _ID_KEYS or value in _LITERALS.get(key, ()):
        return value
    return SHORT_PAYLOAD if key in SHORT_KEYS else LONG_PAYLOAD


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.text.append(data)


def parse_html(text: str) -> Tags:
    p = Tags()
    p.feed(text)
    p.close()
    return p


def assert_inert_html(html: str, baseline: Tags, what: str) -> None:
    doc = parse_html(html)
    allowed = {tag for tag, _ in baseline.tags} | {"p", "em", "strong", "code", "pre", "ul", "ol", "li", "blockquote", "br",
                                                  "hr", "a", "table", "thead", "tbody", "tr", "th", "td"}
    base_counts = {t: sum(1 for tag, _ in baseline.tags if tag == t) for t in ("script", "style", "meta", "link", "base")}
    for tag, attrs in doc.tags:
        assert tag in allowed, f"{what}: injected <{tag}>"
        for name, value in attrs:
            assert not name.lower().startswith("on"), f"{what}: <{tag} {name}=...>"
            if name.lower() in ("href", "src", "action", "formaction", "xlink:href", "srcset", "poster", "data"):
                v = re.sub(r"[\x00-\x20]", "", (value or "")).lower()
                assert not v.startswith(("javascript:", "vbscript:", "data:")), f"{what}: <{tag} {name}={value!r}>"
    for t, n in base_counts.items():
        assert sum(1 for tag, _ in doc.tags if tag == t) == n, f"{what}: extra <{t}>"
    text = "".join(doc.text)
    assert "13391" not in text, f"{what}: a template expression in free text was evaluated"
    assert "{{ 7*7 }}" in text or "{{ 7\\*7 }}" in text, f"{what}: the literal '{{{{ 7*7 }}}}' is missing"


def md_to_html(text: str) -> str:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).render(text)  # the most permissive reader a paste may meet


@pytest.fixture(scope="module")
def poisoned(tmp_path_factory) -> tuple[Path, Path, list[str]]:
    from stafett.store.yamlio import load_strict

    clean = tmp_path_factory.mktemp("clean") / "kommune"
    shutil.copytree(ROOT / "cases.example", clean)
    dirty = tmp_path_factory.mktemp("dirty") / "kommune"
    shutil.copytree(ROOT / "cases.example", dirty)
    from stafett.store.cases import render_new
    from stafett.model import Case

    ids = []
    for path in sorted((dirty / "saker").glob("*.yaml")):
        data = poison(load_strict(path.read_text(encoding="utf-8")))
        case = Case.model_validate(data)
        path.write_bytes(render_new(case, "# yaml-language-server: $schema=../schemas/sak.schema.json\n"))
        ids.append(case.id)
    for name, model_name in (("personer.yaml", "People"), ("stafett.yaml", "Settings")):
        import stafett.model as models

        data = poison(load_strict((dirty / name).read_text(encoding="utf-8")))
        getattr(models, model_name).model_validate(data)
        from stafett.store import patch

        (dirty / name).write_text(patch.dump(patch.normalise(data), patch.Style(offset=2)), encoding="utf-8")
    return clean, dirty, ids


def _renders(case_id: str, path: Path, rich: bool) -> list[list[str]]:
    from stafett.store.cases import read_case

    meetings = [m.id for m in read_case(path).model.moter if m.referat is not None]
    out = [["--format", "html"], ["--format", "md"], ["--format", "html", "--for", "foresatte"]]
    if rich:
        out += [["--format", f, "--layout", lay] for f in ("html", "md")
                for lay in ("standard", "vigilo", "profil", "infodoc", "hk-oppvekst", "familia", "compilo")]
        out += [["--format", "html", "--lang", "nn"], ["--format", "html", "--show-fnr"]]
    out += [["--format", f, "--meeting", m] for m in meetings for f in ("html", "md")]
    return out


def test_free_text_injection_renders_inert(poisoned):
    clean, dirty, ids = poisoned
    os.environ["STAFETT_TODAY"] = "2026-11-23"
    checked = 0
    try:
        for case_id in ids:
            for args in _renders(case_id, dirty / "saker" / f"{case_id}.yaml", rich=case_id == "S-20260212-p3xd9e"):
                what = f"render {case_id} {' '.join(args)}"
                code, base_out, err = stafett(clean, "render", case_id, *args)
                assert code == 0, f"{what} (clean case): {err}"
                code, out, err = stafett(dirty, "render", case_id, *args)
                assert code == 0, f"{what}: {err}"
                if "html" in args:
                    assert_inert_html(out, parse_html(base_out), what)
                    assert "<script" not in out.lower()
                else:
                    assert_inert_html(md_to_html(out), parse_html(md_to_html(base_out)), what + " (Markdown read as HTML)")
                checked += 1
    finally:
        os.environ.pop("STAFETT_TODAY", None)
    assert checked >= 40


def test_poisoned_folder_still_validates_without_crash(poisoned):
    _, dirty, _ = poisoned
    code, out, err = stafett(dirty, "validate")
    assert code in (0, 1) and "Traceback" not in out + err
