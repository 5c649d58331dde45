"""A cloned case folder's templates/ and texts cannot hurt the person who renders or validates it.

Each test is a fault that happened: a committed link out of templates/, a template that loads or runs
something in the rendered page, a template that never finishes, invisible bidi controls in a name,
and `render --anonymize` leaving what `export --anonymize` hides. Every test uses real files in a
temporary case folder and the real command (in-process, or as a subprocess where a fault would hang).
"""

from __future__ import annotations

import html.parser
import os
import subprocess
import sys
import textwrap
import unicodedata
from pathlib import Path

import pytest

from tests.commands_kit import stafett
from tests.conftest import CASE, CASE_ID

STAFETT = str(Path(sys.executable).with_name("stafett"))
SHIPPED = Path(__file__).resolve().parent.parent / "templates"
CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'")


def local(root: Path, name: str, text: str) -> Path:
    path = root / "templates" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def render(root: Path, *args: str):
    return stafett("render", CASE_ID, "--layout", "standard", *args, cwd=root)


def run_subprocess(root: Path, *args: str, timeout: float = 60, **env: str) -> subprocess.CompletedProcess:
    """A command in its own process, so a fault that hangs fails the test instead of hanging it."""
    return subprocess.run([STAFETT, *args], cwd=root, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "STAFETT_TODAY": "2026-11-23", **env})


def codes(result) -> list[str]:
    import re

    return re.findall(r"^\S+:\d+:\d+: ([A-Z]\d{3})", result.out, re.MULTILINE)


# --- templates/ never reaches outside itself ---------------------------------------------------------

@pytest.fixture
def outside(tmp_path: Path) -> Path:
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("HEMMELIG-UTENFOR", encoding="utf-8")
    return secret


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need privileges on Windows")
def test_a_link_out_of_templates_is_refused_not_followed(folder: Path, outside: Path):
    """Today: `templates/md/root -> /` plus an include printed a file from outside the folder."""
    (folder / "templates" / "md").mkdir(parents=True)
    os.symlink(outside.parent, folder / "templates" / "md" / "root")
    local(folder, "md/local.md.j2", """
        {% macro mal(s) %}{% include "md/root/secret.txt" %}{% endmacro %}
        """)
    result = render(folder, "--format", "md")
    assert result.code == 1 and "HEMMELIG-UTENFOR" not in result.out + result.err
    assert result.err_lines == [result.err_lines[0]] and "templates/md/root" in result.err and "link" in result.err
    found = stafett("validate", cwd=folder)
    assert found.code == 1 and "D001" in codes(found) and "templates/md/root:1:1: D001" in found.out


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need privileges on Windows")
@pytest.mark.parametrize("link", ["templates", "templates/html/local.html.j2", "templates/profiles/standard.yaml"])
def test_no_link_anywhere_in_templates_is_read(folder: Path, outside: Path, link: str):
    target = folder / link
    target.parent.mkdir(parents=True, exist_ok=True)
    body = "bygger_pa: standard\nnavn: HEMMELIG-UTENFOR\n" if link.endswith(".yaml") else "HEMMELIG-UTENFOR"
    outside.write_text(body, encoding="utf-8")
    os.symlink(outside.parent if link == "templates" else outside, target)
    for fmt in ("md", "html"):
        result = render(folder, "--format", fmt)
        assert result.code == 1 and "HEMMELIG-UTENFOR" not in result.out + result.err, result.err
        assert "symbolic link" in result.err
    assert "D001" in codes(stafett("validate", cwd=folder))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_in_templates_does_not_hang_render(folder: Path):
    (folder / "templates" / "html").mkdir(parents=True)
    os.mkfifo(folder / "templates" / "html" / "local.html.j2")
    r = run_subprocess(folder, "render", CASE_ID, "--format", "html", "--layout", "standard", timeout=30)
    assert r.returncode == 1 and "not a regular file" in r.stderr and "Traceback" not in r.stderr
    r = run_subprocess(folder, "validate", timeout=30)
    assert r.returncode == 1 and "D001" in r.stdout


# --- the rendered HTML loads nothing and runs nothing -----------------------------------------------

class Head(html.parser.HTMLParser):
    """The elements of a document in order, as (tag, attrs)."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def first_in_head(doc: str) -> tuple[str, dict]:
    parser = Head()
    parser.feed(doc)
    tags = [t for t, _ in parser.elements]
    return parser.elements[tags.index("head") + 1]


def test_shipped_html_puts_the_content_security_policy_first(folder: Path):
    doc = render(folder, "--format", "html").out
    tag, attrs = first_in_head(doc)
    assert (tag, attrs.get("http-equiv"), attrs.get("content")) == ("meta", "Content-Security-Policy", CSP)
    assert doc.count("Content-Security-Policy") == 1


def test_an_override_without_the_policy_gets_it_first(folder: Path):
    local(folder, "html/document.html.j2", """
        <!DOCTYPE html>
        <html lang="nb">
        <head><title>Egen</title><style>{% include "html/style.css" %}</style></head>
        <body><img src="https://tracker.example/p.gif" alt=""><p>{{ c.hovedperson.navn }}</p></body>
        </html>
        """)
    doc = render(folder, "--format", "html").out
    tag, attrs = first_in_head(doc)
    assert (tag, attrs.get("content")) == ("meta", CSP)  # the remote image is blocked by img-src data:


@pytest.mark.parametrize("hostile", [
    '<script>fetch("https://x.example")</script><!DOCTYPE html><html lang="nb"><head></head><body></body></html>',
    '<!DOCTYPE html><html lang="nb"><script>alert(1)</script><head></head><body></body></html>',
    '<!DOCTYPE html><html lang="nb"><head><meta http-equiv="refresh" content="0;url=https://x.example"></head></html>',
    '<!DOCTYPE html><html lang="nb"><head><META HTTP-EQUIV=refresh content="0;url=https://x.example"></head></html>',
    '<!DOCTYPE html><html lang="nb"><head><link rel="dns-prefetch" href="//x.example"></head></html>',
    '<!DOCTYPE html><html lang="nb"><head><base href="https://x.example/"></head></html>',
    '<!DOCTYPE html><html lang="nb"><head></head><body><svg><script>alert(1)</script></svg></body></html>',
    '<!DOCTYPE html><html lang="nb"><head></head><body><iframe srcdoc="x"></iframe></body></html>',
    '<!DOCTYPE html><html lang="nb"><head></head><body><object data="https://x.example/a"></object></body></html>',
    '<!DOCTYPE html><html lang="nb"><head></head><body><meta name="a>b" http-equiv="refresh"></body></html>',
])
def test_an_override_that_runs_or_loads_something_is_refused(folder: Path, hostile: str):
    local(folder, "html/document.html.j2", hostile)
    result = render(folder, "--format", "html")
    assert result.code == 1 and result.out == "" and len(result.err_lines) == 1, result.err


def test_a_section_macro_cannot_slip_a_refresh_past_the_check(folder: Path):
    local(folder, "html/local.html.j2", """
        {% macro mal(s) %}<meta http-equiv="refresh" content="0;url=https://x.example">{% endmacro %}
        """)
    result = render(folder, "--format", "html")
    assert result.code == 1 and "<meta>" in result.err


# --- validate reads templates/ --------------------------------------------------------------------

HOSTILE_LOCAL = """\
{% macro mal(s) %}
<img src="https://tracker.example/p.gif" onerror="alert(1)">
<script>alert(1)</script>
<iframe src="x"></iframe>
<meta http-equiv="refresh" content="0;url=https://x.example">
{{ c.__class__ }}{{ c.mal.append(1) }}
{% endmacro %}
"""


def test_validate_reports_what_a_hostile_template_does_at_its_line(folder: Path):
    local(folder, "html/local.html.j2", HOSTILE_LOCAL)
    local(folder, "html/style.css", "body { background: url(https://t.example/x.png); }\n@import 'x.css';\n")
    local(folder, "md/local.md.j2", "{% macro mal(s) %}\n{% if %}\n{% endmacro %}\n")
    local(folder, "profiles/kort.yaml", "bygger_pa: standard\nstafettlogg: [tiltak, tilak]\n")
    result = stafett("validate", cwd=folder)
    assert result.code == 1
    out = result.out
    assert "templates/html/local.html.j2:2:11: D004" in out
    assert "templates/html/local.html.j2:2:42: D005" in out      # onerror=
    assert "templates/html/local.html.j2:3:1: D005" in out       # <script
    assert "templates/html/local.html.j2:4:1: D006" in out       # <iframe
    assert "templates/html/local.html.j2:5:1: D006" in out       # <meta http-equiv=refresh
    assert "templates/html/local.html.j2:6:1: D003" in out and "'__class__'" in out and "'append'" in out
    assert "templates/html/style.css:1:24: D004" in out and "templates/html/style.css:2:1: D004" in out
    assert "templates/md/local.md.j2:2:1: D002" in out
    assert "templates/profiles/kort.yaml:1:1: D007" in out and "tilak" in out
    github = stafett("validate", "--format", "github", cwd=folder)
    assert "D005" in github.out


def test_copies_of_the_shipped_templates_validate_clean(folder: Path):
    import shutil

    shutil.copytree(SHIPPED, folder / "templates", ignore=shutil.ignore_patterns("README.md"))
    result = stafett("validate", cwd=folder)
    assert not [c for c in codes(result) if c.startswith("D")], result.out
    assert render(folder, "--format", "html").code == 0


# --- a render has a time limit -------------------------------------------------------------------

@pytest.mark.parametrize("body", [
    "{% for a in range(9999) %}{% for b in range(9999) %}x{% endfor %}{% endfor %}",
    "{% for a in range(9999) %}{% for b in range(9999) %}{% set y = a %}{% endfor %}{% endfor %}",
    "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(60) }}",
])
def test_a_runaway_template_stops_at_the_time_limit(folder: Path, body: str):
    """Today nested loops in a local template hang render (the test's own timeout would fail it)."""
    local(folder, "html/local.html.j2", "{% macro mal(s) %}" + body + "{% endmacro %}\n")
    r = run_subprocess(folder, "render", CASE_ID, "--format", "html", "--layout", "standard",
                       STAFETT_RENDER_SECONDS="1", timeout=60)
    assert r.returncode == 1 and r.stdout == "", r.stderr
    assert [line for line in r.stderr.splitlines() if line.strip()] == [r.stderr.strip()]
    assert "time limit (1 s)" in r.stderr and "STAFETT_RENDER_SECONDS" in r.stderr


@pytest.mark.parametrize("expr", ['"x" * 999999999', "[1] * 999999999", "9 ** 99999999"])
def test_a_template_cannot_ask_for_absurd_sizes(folder: Path, expr: str):
    local(folder, "md/local.md.j2", "{% macro mal(s) %}{{ " + expr + " }}{% endmacro %}\n")
    r = run_subprocess(folder, "render", CASE_ID, "--format", "md", "--layout", "standard", timeout=60)
    assert r.returncode == 1 and "template error" in r.stderr and "Traceback" not in r.stderr


# --- invisible characters --------------------------------------------------------------------------

BIDI_CASE = CASE.replace("  navn: Ola Testesen", "  navn: \"Ola \\u202eTestesen\"").replace(
    "tekst: Undring registrert.", "tekst: \"Undring\\u200b registrert.\"")


def test_bidi_controls_and_invisible_characters_are_warned_at_their_value(folder: Path):
    (folder / "saker" / f"{CASE_ID}.yaml").write_text(BIDI_CASE, encoding="utf-8")
    result = stafett("validate", cwd=folder)
    assert result.code == 0  # warnings
    lines = CASE.split("\n")
    name_line = next(n for n, line in enumerate(lines, 1) if "navn: Ola Testesen" in line)
    text_line = next(n for n, line in enumerate(lines, 1) if "Undring registrert" in line)
    assert f"saker/{CASE_ID}.yaml:{name_line}:9: U001 (warning)" in result.out, result.out
    assert f"saker/{CASE_ID}.yaml:{text_line}:12: U002 (warning)" in result.out
    assert "U+202E" in result.out and "Testesen" not in result.out.split("U001")[1].split("\n")[0]
    assert stafett("validate", "--strict", cwd=folder).code == 1


def test_renders_show_invisible_characters_instead_of_obeying_them(folder: Path):
    (folder / "saker" / f"{CASE_ID}.yaml").write_text(BIDI_CASE, encoding="utf-8")
    doc = render(folder, "--format", "html").out
    md = render(folder, "--format", "md").out
    for text, shown in ((doc, "Ola &lt;U+202E&gt;Testesen"), (md, "Ola <U+202E>Testesen")):
        assert "\u202e" not in text and "\u200b" not in text
        assert shown in text


def test_the_character_table_covers_every_format_character():
    """The check's table is written out (fast at import); it must hold every Cf code point but the soft hyphen."""
    from stafett.textcheck import invisible

    every = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf" and c != 0xAD]
    assert invisible("x" + "".join(every)) == every
    assert invisible("Bjørn Åsheim\u00ad, 12.3.") == []


def test_the_byte_screen_lets_no_format_character_past():
    """validate looks for invisible characters only in files the byte screen flags: it must flag every one,
    alone in Norwegian typography, and let that typography through without one."""
    from stafett.textcheck import any_invisible

    plain = "tekst: «Bjørn – Åsheim» sa ‘ja’ … “kanskje” — 12 € og 5 %\n"
    assert not any_invisible(plain.encode()) and not any_invisible(b"\xef\xbb\xbf" + plain.encode())
    every = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf" and c != 0xAD]
    missed = [f"U+{ord(ch):04X}" for ch in every if not any_invisible(plain.replace("Åsheim", "Å" + ch + "sheim").encode())]
    assert missed == []


# --- render --anonymize hides what export --anonymize hides ---------------------------------------

def _fnr() -> str:
    from stdnum.no import fodselsnummer

    for individual in range(500, 1000):
        base = f"040521{individual:03d}"
        d1 = fodselsnummer.calc_check_digit1(base)
        number = base + d1 + fodselsnummer.calc_check_digit2(base + d1)
        if len(number) == 11 and fodselsnummer.is_valid(number):
            return number
    raise AssertionError


FNR = _fnr()
TYPED = (f"Mor oppga fnr {FNR[:6]} {FNR[6:]} og telefon 412 34 567 (jobb +47 22334455), e-post "
         f"mor.hemmelig@example.invalid, adresse Solbergveien 14B, 1234 Testvik. Møtet 14.11.2026.")
ANON_CASE = (CASE.replace("tekst: Undring registrert.", f"tekst: \"{TYPED}\"")
             .replace("eier: kari.lund\n", "eier: kari.lund\nmoter:\n  - id: mo-1\n    type: samarbeidsmøte\n"
                      "    tidspunkt: 2026-12-01 10:00:00\n    sted: Barnehagen\n    leder: kari.lund\n"
                      "    referent: ukjent.hemmeligsen\n    innkalt: [Gunnhild Hemmeligsen, f-mor]\n"))


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_render_anonymize_hides_numbers_contacts_addresses_and_every_person(folder: Path, fmt: str):
    (folder / "saker" / f"{CASE_ID}.yaml").write_text(ANON_CASE, encoding="utf-8")
    out = stafett("render", CASE_ID, "--anonymize", "--format", fmt, "--layout", "standard", cwd=folder)
    assert out.code == 0, out.err
    for secret in (FNR[:6] + " " + FNR[6:], FNR, "412 34 567", "22334455", "mor.hemmelig", "Solbergveien",
                   "1234 Testvik", "14.11.2026", "Hemmeligsen", "hemmeligsen", "Gunnhild", "Ola", "Eva", "Kari Lund"):
        assert secret not in out.out, secret
    shown = out.out.replace("\\", "")  # Markdown escapes the brackets
    assert "[telefon]" in shown and "[fødselsnummer]" in shown and "[adresse]" in shown and "[e-post]" in shown


@pytest.mark.parametrize("made", ["![](https://tracker.example/p.gif)", "[lenke](https://x.example)",
                                  "<img src=x>", "<https://x.example>"])
def test_a_markdown_override_cannot_add_an_image_or_remote_link(folder: Path, made: str):
    """No policy guards a Markdown file in a viewer: stafett checks the finished document itself."""
    local(folder, "md/local.md.j2", "{% macro mal(s) %}\n" + made + "\n{% endmacro %}\n")
    result = render(folder, "--format", "md")
    assert result.code == 1 and result.out == "" and len(result.err_lines) == 1, result.err
