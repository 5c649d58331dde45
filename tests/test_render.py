"""`stafett render`: escaping, links, masking, the family copy, profiles and overrides, the CLI.

Every test runs the real command on real files in a temporary case folder. The fixture case is an
invented family whose texts try every trick a case file could hold.
"""

from __future__ import annotations

import html.parser
import os
import re
import textwrap
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from stafett.cli import app, load_commands

load_commands()

CASE_ID = "S-20260105-tr7x2k"

SETTINGS = """\
kommune: Prøvdal kommune
malform: nb
tjenester:
  - id: barnehage
    navn: Barnehagen
    fagsystem: vigilo
  - id: helsestasjon
    navn: Helsestasjonen
    fagsystem: infodoc
  - id: ppt
    navn: PPT
    fagsystem: hk-oppvekst
  - id: fastlege
    navn: Fastlegen
innstillinger:
  skjul_for_foresatte:
    - logg
"""

PEOPLE = """\
personer:
  - id: lise.strand
    navn: Lise Strand
    stilling: pedagogisk leder
    tjeneste: barnehage
    enhet: Tusenfryd barnehage
    leder: odd.bakke
    epost: lise.strand@provdal.example
  - id: odd.bakke
    navn: Odd Bakke
    stilling: styrer
    tjeneste: barnehage
    roller: [leder]
  - id: nina.holm
    navn: Nina Holm
    stilling: helsesykepleier
    tjeneste: helsestasjon
    epost: nina.holm@provdal.example
  - id: ulf.vik
    navn: Ulf Vik
    stilling: fastlege
    tjeneste: fastlege
    epost: ulf.vik@provdal.example
"""

# The hovedperson's name and the texts try HTML, Markdown, Jinja and link injection.
CASE = """\
# yaml-language-server: $schema=../schemas/sak.schema.json
versjon: 2
id: S-20260105-tr7x2k
opprettet: 2026-01-05
niva: 2
hovedperson:
  navn: 'Ola <script>alert("x")</script> & {{ 7*7 }}'
  kategori: barn
  fodselsdato: 2016-02-08
  fodselsnummer: '08021610160'
foresatte:
  - id: f-mor
    navn: 'Kari | *Nordmann*'
    relasjon: mor
    telefon: '+47 400 00 000'
bekymring:
  dato: 2026-01-02
  meldt_av: lise.strand
  tjeneste: barnehage
  beskrivelse: |
    # Overskrift i fritekst

    Se [klikk](javascript:alert(1)), [data](data:text/html;base64,PHNjcmlwdD4=) og
    ![bilde](data:image/png;base64,AAAA) og <img src=x onerror=alert(1)> og [god lenke](https://example.org).

    Jinja: {{ 7*7 }} {% for x in range(3) %}x{% endfor %} {{ c.hovedperson.navn }}
eier: lise.strand
voldsmistanke:
  - tid: 2026-01-05 09:00:00
    handling: reist
    av: lise.strand
    grunn: MISTANKE-GRUNN om vold hjemme.
konsultasjoner:
  - id: k-bv1
    tid: 2026-01-05 10:00:00
    dato: 2026-01-05
    med: barnevern
    konsultert: Barnevernsvakten
    rad: Barnevernet rådet til å snakke med mor.
    familiekontakt: klarert
    registrert_av: odd.bakke
stafettholder:
  person: lise.strand
  fra: 2026-01-05
  oppnevnt_av: odd.bakke
samtykker:
  - id: s-1
    gitt_av: f-mor
    dato: 2026-01-05
    omfang: [stafettlogg, barnehage, helsestasjon]
    form: skriftlig
    registrert_av: lise.strand
deltakere:
  - person: lise.strand
    tjeneste: barnehage
    fra: 2026-01-05
  - person: nina.holm
    tjeneste: helsestasjon
    rolle: 'helsesykepleier | <b>fet</b>'
    fra: 2026-01-06
mal:
  - id: m-1
    tekst: Ola leker med andre barn.
kartlegginger:
  - id: k-1
    dato: 2026-01-10
    av: nina.holm
    tekst: Åpen kartlegging om språk.
  - id: k-2
    dato: 2026-01-11
    av: nina.holm
    tekst: HEMMELIG-KARTLEGGING som er skjermet.
    skjermet: true
tiltak:
  - id: t-1
    beskrivelse: |
      Fast voksen i frileken:

      - på morgenen
      - etter lunsj
    mal: [m-1]
    ansvarlig: lise.strand
    start: 2026-01-08
    evalueres: 2026-02-08
    evalueringer:
      - dato: 2026-01-20
        av: lise.strand
        utfall: effekt men ikke i mål
        vurdering: Bedre i frileken.
moter:
  - id: mo-1
    type: samarbeidsmøte
    nummer: 1
    tidspunkt: 2026-01-15 14:00:00
    sted: 'Tusenfryd <i>barnehage</i>'
    leder: lise.strand
    referent: lise.strand
    innkalt: [f-mor, lise.strand, nina.holm]
    dagsorden:
      - Velkommen
      - Språk
    referat:
      skrevet: 2026-01-15
      skrevet_av: lise.strand
      tilstede: [f-mor, lise.strand, hovedperson]
      fravaerende: [nina.holm]
      samtykke: s-1
      notater:
        - punkt: Velkommen
          notat: Mor ønsket velkommen.
        - punkt: Språk
          notat: '[lenke](javascript:alert(2)) og <script>x</script>'
      beslutninger:
        - Vi fortsetter med fast voksen.
      oppgaver:
        - tekst: Ringe mor.
          ansvarlig: nina.holm
          frist: 2026-01-22
      barnets_stemme: Ola sier at han liker å gynge.
      neste_mote: 2026-02-08 09:30:00
      kopi_til: [f-mor, nina.holm]
logg:
  - tid: 2026-01-05 09:00:00
    av: lise.strand
    type: opprettet
    tekst: Sak opprettet.
  - tid: 2026-01-12 10:00:00
    av: lise.strand
    type: lysglimt
    tekst: Ola lo hele formiddagen.
  - tid: 2026-01-13 10:00:00
    av: nina.holm
    type: lysglimt
    tekst: SKJERMET-LYSGLIMT om noe ømtålig.
    skjermet: true
"""

LAYOUTS = ("standard", "vigilo", "profil", "infodoc", "hk-oppvekst", "familia", "compilo")


class Runner(CliRunner):
    """typer's CliRunner, but the click command is built once: typer rebuilds every registered
    command on each invoke (~60 ms), which would dominate a test suite that renders hundreds of times."""

    _command = None

    def invoke(self, app_, args=None, **kwargs):
        import typer.testing as tt

        if Runner._command is None:
            Runner._command = tt._get_command(app_)
        saved = tt._get_command
        tt._get_command = lambda _app: Runner._command
        try:
            return super().invoke(app_, args, **kwargs)
        finally:
            tt._get_command = saved


RUNNER = Runner()


def write_folder(root: Path, case: str = CASE, settings: str = SETTINGS) -> Path:
    (root / "saker").mkdir(parents=True)
    (root / "stafett.yaml").write_text(settings, encoding="utf-8")
    (root / "personer.yaml").write_text(PEOPLE, encoding="utf-8")
    (root / "saker" / f"{CASE_ID}.yaml").write_text(case, encoding="utf-8")
    return root


@pytest.fixture
def kommune(tmp_path: Path, monkeypatch) -> Path:
    """A case folder, and a git with no user.email (so no actor unless --by)."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "gitconfig").write_text("", encoding="utf-8")
    return write_folder(tmp_path / "provdal")


def render(root: Path, *args: str, ok: bool = True):
    result = RUNNER.invoke(app, ["render", CASE_ID, "-C", str(root), *args])
    if ok:
        assert result.exit_code == 0, (result.stdout, result.stderr, result.exception)
    return result


def html_of(root: Path, *args: str) -> str:
    return render(root, "--format", "html", "--layout", "standard", *args).stdout


def md_of(root: Path, *args: str) -> str:
    return render(root, "--format", "md", "--layout", "standard", *args).stdout


# --- HTML structure helpers -----------------------------------------------------------------------

class Outline(html.parser.HTMLParser):
    """Headings, tables and links of an HTML document."""

    def __init__(self) -> None:
        super().__init__()
        self.lang = None
        self.headings: list[tuple[int, str]] = []
        self.links: list[str] = []
        self.tables: list[list[str]] = []  # header texts per table
        self.table_has_thead: list[bool] = []
        self.th_scopes: list[str | None] = []
        self.tags: list[str] = []
        self._heading: int | None = None
        self._text: list[str] = []
        self._in_th = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        if tag == "html":
            self.lang = a.get("lang")
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = int(tag[1])
            self._text = []
        if tag == "a":
            self.links.append(a.get("href", ""))
        if tag == "table":
            self.tables.append([])
            self.table_has_thead.append(False)
        if tag == "thead":
            self.table_has_thead[-1] = True
        if tag == "th":
            self._in_th = True
            self._text = []
            self.th_scopes.append(a.get("scope"))

    def handle_endtag(self, tag):
        if self._heading and tag == f"h{self._heading}":
            self.headings.append((self._heading, " ".join("".join(self._text).split())))
            self._heading = None
        if tag == "th":
            self.tables[-1].append(" ".join("".join(self._text).split()))
            self._in_th = False

    def handle_data(self, data):
        if self._heading or self._in_th:
            self._text.append(data)


def outline(doc: str) -> Outline:
    o = Outline()
    o.feed(doc)
    return o


def md_outline(doc: str) -> tuple[list[tuple[int, str]], list[list[str]], list[str]]:
    """Headings, table header rows and link targets of a Markdown document, as markdown-it reads it."""
    md = MarkdownIt("commonmark").enable("table")
    tokens = md.parse(doc)
    headings, tables, links = [], [], []
    for i, t in enumerate(tokens):
        if t.type == "heading_open":
            headings.append((int(t.tag[1]), " ".join(_plain(tokens[i + 1]).split())))
        if t.type == "thead_open":
            row, j = [], i
            while tokens[j].type != "thead_close":
                if tokens[j].type == "inline":
                    row.append(" ".join(_plain(tokens[j]).split()))
                j += 1
            tables.append(row)
        if t.type == "inline":
            links += [c.attrs.get("href", "") for c in t.children or [] if c.type == "link_open"]
    return headings, tables, links


def _plain(inline) -> str:
    return "".join(c.content for c in inline.children or [] if c.type in ("text", "code_inline"))


# --- every layout, both formats, both målformer -----------------------------------------------------

@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_layout_renders_both_formats_and_malformer(kommune: Path, layout: str) -> None:
    for lang in ("nb", "nn"):
        for fmt in ("md", "html"):
            doc = render(kommune, "--layout", layout, "--lang", lang, "--format", fmt).stdout
            assert "Tusenfryd" in doc or layout in ("profil", "infodoc", "hk-oppvekst")  # enhet appears in names
            ref = render(kommune, "--layout", layout, "--lang", lang, "--format", fmt, "--meeting", "mo-1").stdout
            assert "Samarbeidsmøte" in ref


def test_nynorsk_and_bokmal_labels(kommune: Path) -> None:
    nb = html_of(kommune, "--lang", "nb")
    nn = html_of(kommune, "--lang", "nn")
    assert 'lang="nb"' in nb and 'lang="nn"' in nn
    assert "Hovedperson" in nb and "Hovudperson" in nn
    assert "Stafettholder" in nb and "Stafetthaldar" in nn
    assert "Foresatte" in nb and "Føresette" in nn
    assert "Deltakere" in nb and "Deltakarar" in nn
    ref_nb = html_of(kommune, "--lang", "nb", "--meeting", "mo-1")
    ref_nn = html_of(kommune, "--lang", "nn", "--meeting", "mo-1")
    assert "Barnets stemme" in ref_nb and "Barnet si stemme" in ref_nn
    assert "Neste møte" in ref_nb and "Neste møte" in ref_nn


def test_default_malform_is_the_kommunes(kommune: Path) -> None:
    settings = (kommune / "stafett.yaml").read_text(encoding="utf-8").replace("malform: nb", "malform: nn")
    (kommune / "stafett.yaml").write_text(settings, encoding="utf-8")
    assert 'lang="nn"' in html_of(kommune)


# --- escaping and links ---------------------------------------------------------------------------

def test_html_escapes_every_user_string(kommune: Path) -> None:
    for args in ((), ("--meeting", "mo-1")):
        doc = html_of(kommune, *args)
        assert "<script" not in doc
        assert "<img" not in doc and "onerror=alert" not in doc.replace("onerror=alert(1)&gt;", "")
        assert "<b>fet</b>" not in doc and "<i>barnehage</i>" not in doc
        assert "&lt;script&gt;" in doc


def test_jinja_syntax_in_case_text_prints_literally(kommune: Path) -> None:
    doc = html_of(kommune)
    assert "{{ 7*7 }}" in doc and "49" not in doc
    assert "{% for x in range(3) %}x{% endfor %}" in doc
    assert "{{ c.hovedperson.navn }}" in doc
    md = md_of(kommune)
    rendered = MarkdownIt("commonmark").enable("table").render(md)
    assert "{{ 7*7 }}" in rendered and "49" not in rendered


def test_javascript_and_data_links_never_become_links(kommune: Path) -> None:
    for args in ((), ("--meeting", "mo-1")):
        links = outline(html_of(kommune, *args)).links
        assert all(not h.lower().startswith(("javascript:", "data:")) for h in links), links
        _, _, md_links = md_outline(md_of(kommune, *args))
        assert all(not h.lower().startswith(("javascript:", "data:")) for h in md_links), md_links
    assert "god lenke (https://example.org)" in html_of(kommune)  # the address as text, not a link
    assert "god lenke (https\\://example.org)" in md_of(kommune)


def test_case_text_never_becomes_a_remote_image_or_link(kommune: Path) -> None:
    """Today `![x](https://tracker…)` in a log text came back as an image in the Markdown output, and
    every http(s) link as a live link in both."""
    case = CASE.replace("tekst: Ola lo hele formiddagen.",
                        "tekst: 'Se ![x](https://tracker.example/p.gif), [her](https://a.example/b), "
                        "<https://auto.example/c> og www.bare.example'")
    root = write_folder(kommune.parent / "sporing", case=case)
    doc, md = html_of(root), md_of(root)
    o = outline(doc)
    assert "<img" not in doc and not [h for h in o.links if "example" in h], o.links
    assert "tracker.example/p.gif" in doc  # shown as text
    tokens = MarkdownIt("commonmark").enable("table").parse(md)
    inline = [c for t in tokens if t.type == "inline" for c in t.children or []]
    assert not [c for c in inline if c.type in ("image", "link_open")], [c for c in inline if c.type != "text"][:5]
    # GitHub's Markdown also links bare addresses; escaped (https\\://, www\\.) they stay text there too.
    assert "https://" not in md and "www.bare" not in md


def test_markdown_output_carries_no_raw_html(kommune: Path) -> None:
    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    for args in ((), ("--meeting", "mo-1")):
        tokens = md.parse(md_of(kommune, *args))
        inline = [c for t in tokens if t.type == "inline" for c in t.children or []]
        assert not [t for t in tokens if t.type == "html_block"]
        assert not [c for c in inline if c.type == "html_inline"]


def test_free_text_headings_do_not_break_the_outline(kommune: Path) -> None:
    o = outline(html_of(kommune))
    assert [h for h in o.headings if h[0] == 1] == [(1, "Stafettlogg")]
    assert "Overskrift i fritekst" not in [h[1] for h in o.headings]


def test_user_text_cannot_break_a_markdown_table(kommune: Path) -> None:
    md = md_of(kommune)
    tokens = MarkdownIt("commonmark").enable("table").parse(md)
    rows, cells = [], 0
    for t in tokens:
        if t.type == "tr_open":
            cells = 0
        if t.type in ("th_open", "td_open"):
            cells += 1
        if t.type == "tr_close":
            rows.append(cells)
    assert rows and len(set(rows)) > 1  # several tables of different widths
    html = MarkdownIt("commonmark").enable("table").render(md)
    assert "Kari | *Nordmann*" in html  # the pipe and stars stayed text, inside one cell


# --- Markdown and HTML have the same structure ------------------------------------------------------

@pytest.mark.parametrize("layout", ["standard", "profil", "familia"])
@pytest.mark.parametrize("meeting", [None, "mo-1"])
def test_markdown_parses_back_to_the_html_structure(kommune: Path, layout: str, meeting: str | None) -> None:
    extra = ("--meeting", meeting) if meeting else ()
    html_doc = render(kommune, "--layout", layout, "--format", "html", *extra).stdout
    md_doc = render(kommune, "--layout", layout, "--format", "md", *extra).stdout
    o = outline(html_doc)
    headings, tables, _ = md_outline(md_doc)
    assert headings == o.headings
    assert tables == o.tables


# --- fødselsnummer, dates ----------------------------------------------------------------------------

def test_fodselsnummer_is_masked_unless_asked(kommune: Path) -> None:
    for fmt in ("html", "md"):
        doc = render(kommune, "--format", fmt).stdout
        assert "08021610160" not in doc and "10160" not in doc
        assert "080216 \\*\\*\\*\\*\\*" in doc if fmt == "md" else "080216 *****" in doc
        assert "8.2.2016" in doc
        shown = render(kommune, "--format", fmt, "--show-fnr").stdout
        assert "080216 10160" in shown


def test_dates_and_times_are_norwegian(kommune: Path) -> None:
    doc = html_of(kommune, "--meeting", "mo-1")
    assert "15.1.2026 kl. 14.00" in doc
    assert "8.2.2026 kl. 9.30" in doc  # neste møte
    assert "22.1.2026" in doc
    assert not re.search(r"\d{4}-\d\d-\d\d", doc.split("<body", 1)[1])


# --- the family copy -----------------------------------------------------------------------------------

def test_family_copy_leaves_out_hidden_sections_and_shielded_items(kommune: Path) -> None:
    full = html_of(kommune)
    family = html_of(kommune, "--for", "foresatte")
    assert 'id="logg"' in full and 'id="logg"' not in family  # skjul_for_foresatte: [logg]
    assert "HEMMELIG-KARTLEGGING" in full and "HEMMELIG-KARTLEGGING" not in family
    assert "Åpen kartlegging" in family
    assert "SKJERMET-LYSGLIMT" in full and "SKJERMET-LYSGLIMT" not in family
    assert "Ola lo hele formiddagen" in family
    assert "Mistanke om vold" in full and "Mistanke om vold" not in family
    assert "Barnevernet rådet" in full and "Barnevernet rådet" not in family
    assert "Kopi til foresatte" in family and "Kopi til foresatte" not in full
    md_family = md_of(kommune, "--for", "foresatte")
    assert "HEMMELIG-KARTLEGGING" not in md_family and "SKJERMET-LYSGLIMT" not in md_family
    assert "## Logg" not in md_family


def test_family_copy_of_a_referat_follows_the_setting(kommune: Path) -> None:
    settings = (kommune / "stafett.yaml").read_text(encoding="utf-8").replace("    - logg", "    - oppgaver")
    (kommune / "stafett.yaml").write_text(settings, encoding="utf-8")
    assert "Ringe mor" in html_of(kommune, "--meeting", "mo-1")
    assert "Ringe mor" not in html_of(kommune, "--meeting", "mo-1", "--for", "foresatte")


def test_for_accepts_only_foresatte(kommune: Path) -> None:
    result = render(kommune, "--for", "naboen", ok=False)
    assert result.exit_code == 2 and "foresatte" in result.stderr


# --- layouts: default, overrides ------------------------------------------------------------------------

def test_default_layout_comes_from_the_actors_service(kommune: Path) -> None:
    assert "Journalnotat" in render(kommune, "--format", "html", "--by", "nina.holm").stdout  # infodoc
    assert "tilrettelegging" in render(kommune, "--format", "html", "--by", "lise.strand").stdout  # vigilo
    # a service without a fagsystem, and no actor at all: standard
    assert "<h1>Stafettlogg</h1>" in render(kommune, "--format", "html", "--by", "ulf.vik").stdout
    assert "<h1>Stafettlogg</h1>" in render(kommune, "--format", "html").stdout


def test_default_layout_from_git_user_email(kommune: Path, tmp_path: Path) -> None:
    (tmp_path / "gitconfig").write_text("[user]\n\temail = Nina.Holm@provdal.example\n", encoding="utf-8")
    assert "Journalnotat" in render(kommune, "--format", "html").stdout


def test_unknown_by_and_unknown_layout_are_usage_errors(kommune: Path) -> None:
    assert render(kommune, "--by", "nobody", ok=False).exit_code == 2
    result = render(kommune, "--layout", "word", ok=False)
    assert result.exit_code == 2 and "standard" in result.stderr
    result = render(kommune, "--layout", "../../etc/passwd", ok=False)
    assert result.exit_code == 2


def test_kommune_override_changes_a_heading_without_code(kommune: Path) -> None:
    before = html_of(kommune)
    assert "<h2 id=\"h-tiltak\">Tiltak</h2>" in before
    profiles = kommune / "templates" / "profiles"
    profiles.mkdir(parents=True)
    (profiles / "standard.yaml").write_text(textwrap.dedent("""\
        bygger_pa: standard
        tekster:
          tiltak:
            nb: Tiltak i Prøvdal
            nn: Tiltak i Prøvdal
        """), encoding="utf-8")
    after = html_of(kommune)
    assert "<h2 id=\"h-tiltak\">Tiltak i Prøvdal</h2>" in after
    assert "## Tiltak i Prøvdal" in md_of(kommune)
    assert after.replace("Tiltak i Prøvdal", "Tiltak") == before  # nothing else moved


def test_kommune_profile_can_reorder_and_drop_sections(kommune: Path) -> None:
    profiles = kommune / "templates" / "profiles"
    profiles.mkdir(parents=True)
    (profiles / "kort.yaml").write_text("bygger_pa: standard\nstafettlogg: [tiltak, oversikt]\n", encoding="utf-8")
    o = outline(render(kommune, "--layout", "kort", "--format", "html").stdout)
    assert [h for h in o.headings if h[0] == 2] == [(2, "Tiltak"), (2, "Om saken")]


def test_kommune_template_override_by_name(kommune: Path) -> None:
    local = kommune / "templates" / "html"
    local.mkdir(parents=True)
    (local / "local.html.j2").write_text(textwrap.dedent("""\
        {% macro mal(s) %}
        <section id="{{ s.id }}" aria-labelledby="h-{{ s.id }}">
        <h2 id="h-{{ s.id }}">{{ s.heading }}</h2>
        <p class="egen">Egen mal: {{ c.mal|length }} mål for {{ c.hovedperson.navn }}</p>
        </section>
        {% endmacro %}
        """), encoding="utf-8")
    doc = html_of(kommune)
    assert '<p class="egen">Egen mal: 1 mål for Ola &lt;script&gt;' in doc  # still escaped
    (local / "style.css").write_text("body { color: #000000; }\n", encoding="utf-8")
    assert "body { color: #000000; }" in html_of(kommune)


def test_broken_or_unsafe_override_fails_loudly(kommune: Path) -> None:
    local = kommune / "templates" / "html"
    local.mkdir(parents=True)
    (local / "local.html.j2").write_text("{% macro mal(s) %}{{ c.no_such_field }}{% endmacro %}\n", encoding="utf-8")
    result = render(kommune, "--format", "html", ok=False)
    assert result.exit_code == 1 and "no_such_field" in result.stderr and "local.html.j2" in result.stderr
    (local / "local.html.j2").write_text("{% macro mal(s) %}{{ c.__class__.__mro__ }}{% endmacro %}\n", encoding="utf-8")
    result = render(kommune, "--format", "html", ok=False)
    assert result.exit_code == 1 and "template error" in result.stderr
    (local / "local.html.j2").write_text("{% macro mal(s) %}{{ c.mal.append(1) }}{% endmacro %}\n", encoding="utf-8")
    assert render(kommune, "--format", "html", ok=False).exit_code == 1


def test_bad_profile_file_is_a_clear_error(kommune: Path) -> None:
    profiles = kommune / "templates" / "profiles"
    profiles.mkdir(parents=True)
    (profiles / "standard.yaml").write_text("bygger_pa: standard\nstafettlogg: [tiltak, tilak]\n", encoding="utf-8")
    result = render(kommune, ok=False)
    assert result.exit_code == 1 and "tilak" in result.stderr and "standard.yaml" in result.stderr


# --- output and read-only ---------------------------------------------------------------------------------

def test_render_writes_only_the_output_file(kommune: Path, tmp_path: Path) -> None:
    before = {p: p.read_bytes() for p in kommune.rglob("*") if p.is_file()}
    out = tmp_path / "ut" / "stafettlogg.html"
    out.parent.mkdir()
    result = render(kommune, "-o", str(out))
    assert result.stdout == ""
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")  # .html chooses the format
    md_out = tmp_path / "ut" / "logg.md"
    render(kommune, "-o", str(md_out), "--meeting", "mo-1")
    assert md_out.read_text(encoding="utf-8").startswith("# Referat")
    after = {p: p.read_bytes() for p in kommune.rglob("*") if p.is_file()}
    assert after == before


def test_output_refuses_directories_and_case_files(kommune: Path, tmp_path: Path) -> None:
    case_file = kommune / "saker" / f"{CASE_ID}.yaml"
    original = case_file.read_bytes()
    for target in (tmp_path, case_file, kommune / "stafett.yaml", kommune / "saker" / "ny.html"):
        result = render(kommune, "-o", str(target), ok=False)
        assert result.exit_code == 2, target
    assert case_file.read_bytes() == original
    assert render(kommune, "-o", str(tmp_path / "nope" / "x.md"), ok=False).exit_code == 2


def test_unknown_meeting_and_meeting_without_referat(kommune: Path) -> None:
    result = render(kommune, "--meeting", "mo-9", ok=False)
    assert result.exit_code == 1 and "mo-1" in result.stderr
    no_referat = CASE.split("    referat:\n")[0] + CASE.split("      kopi_til: [f-mor, nina.holm]\n")[1]
    (kommune / "saker" / f"{CASE_ID}.yaml").write_text(no_referat, encoding="utf-8")
    result = render(kommune, "--meeting", "mo-1", ok=False)
    assert result.exit_code == 1 and "no referat" in result.stderr


def test_bad_format_and_lang(kommune: Path) -> None:
    for fmt in ("docx", "PDF", "txt"):  # pdf is a format now (tests/test_pdf.py); these are not
        result = render(kommune, "--format", fmt, ok=False)
        assert result.exit_code == 2 and "unknown format" in result.stderr, (fmt, result.stderr)
    assert render(kommune, "--lang", "se", ok=False).exit_code == 2


# --- accessibility --------------------------------------------------------------------------------------

def _contrast(a: str, b: str) -> float:
    def lum(hexcolor: str) -> float:
        rgb = [int(hexcolor[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_html_is_accessible(kommune: Path) -> None:
    for layout in ("standard", "profil"):
        for args in ((), ("--meeting", "mo-1")):
            doc = render(kommune, "--layout", layout, "--format", "html", *args).stdout
            o = outline(doc)
            assert o.lang == "nb"
            levels = [level for level, _ in o.headings]
            assert levels.count(1) == 1 and levels[0] == 1
            assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), o.headings
            assert all(o.table_has_thead) and all(o.tables)
            assert all(s == "col" for s in o.th_scopes)
            if layout == "standard":
                assert o.tables and o.th_scopes
            assert "<script" not in doc and "http://" not in doc.split("</style>")[0]
    css = (Path(__file__).resolve().parent.parent / "templates" / "html" / "style.css").read_text(encoding="utf-8")
    var = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-f]{6})", css))
    for fg, bg in (("fg", "bg"), ("muted", "bg"), ("accent", "bg"), ("fg", "head-bg"), ("fg", "note-bg"),
                   ("warn-fg", "warn-bg"), ("muted", "head-bg")):
        assert _contrast(var[fg], var[bg]) >= 4.5, (fg, bg)


def test_stylesheet_fits_a_narrow_window() -> None:
    """A 500 px window: long words wrap, labels go above values, and a wide table scrolls in its own box."""
    css = (Path(__file__).resolve().parent.parent / "templates" / "html" / "style.css").read_text(encoding="utf-8")
    narrow = re.search(r"@media screen and \(max-width: 40rem\) \{(.*?)\n\}", css, re.S)
    assert narrow, "no narrow-window rules"
    assert re.search(r"table \{[^}]*display: block;[^}]*overflow-x: auto;", narrow.group(1))
    assert re.search(r"dl\.fields \{[^}]*grid-template-columns: 1fr;", narrow.group(1))
    assert re.search(r"th, td, dd, p, li, pre \{ overflow-wrap: break-word; \}", css)


def test_print_stylesheet_numbers_pages_and_names_the_case(kommune: Path) -> None:
    doc = html_of(kommune)
    assert "size: A4" in doc
    assert "counter(page)" in doc and "counter(pages)" in doc
    assert f'content: "Sak {CASE_ID}"' in doc
    assert "@media print" in doc


# --- labels and profiles are data ------------------------------------------------------------------------

def test_every_label_has_bokmal_and_nynorsk() -> None:
    from stafett.render.labels import LABELS, labels_for

    nb, nn = labels_for("nb"), labels_for("nn")
    for key in LABELS:
        assert nb[key].strip() and nn[key].strip(), key


def test_shipped_profiles_load_and_differ() -> None:
    from stafett.render.environment import search_dirs
    from stafett.render.profiles import ALIASES, SHIPPED, load_profile

    dirs = search_dirs(None)
    # compilo was merged into standard: the name still loads, as standard, and has no file of its own.
    assert ALIASES == {"compilo": "standard"}
    assert not (dirs[-1] / "profiles" / "compilo.yaml").exists()
    assert load_profile("compilo", dirs) == load_profile("standard", dirs)
    own = [name for name in SHIPPED if name not in ALIASES]
    assert len(own) == 6
    profiles = [load_profile(name, dirs) for name in own]
    assert [p.name for p in profiles] == own
    assert {p.shape for p in profiles} == {"dokument", "journalnotat"}
    # The six differ in the document and in the journal note they give.
    assert len({(p.stafettlogg, p.referat, tuple(sorted(p.labels))) for p in profiles}) == 6
    assert len({(p.journal_sections, p.journal_width, p.journal_heading) for p in profiles}) == 6
    readme = (dirs[-1] / "README.md").read_text(encoding="utf-8")
    for name in SHIPPED:
        assert f"| `{name}` |" in readme


def test_compilo_renders_as_standard_and_says_so(kommune: Path) -> None:
    for fmt in ("md", "html"):
        alias = render(kommune, "--layout", "compilo", "--format", fmt)
        standard = render(kommune, "--layout", "standard", "--format", fmt)
        assert alias.stdout == standard.stdout
        assert "note: layout 'compilo' is merged into 'standard'" in alias.stderr
        assert "compilo" not in standard.stderr


def test_no_profile_is_larger_than_standard(kommune: Path, tmp_path: Path) -> None:
    """For the same case, every profile gives at most what standard gives (the fixture case and the largest
    example case, both formats, both målformer, the staff and the family copy)."""
    import shutil

    from stafett.render.profiles import ALIASES, SHIPPED

    example = tmp_path / "fjordvik"
    shutil.copytree(Path(__file__).resolve().parent.parent / "cases.example", example)
    largest = max((example / "saker").glob("S-*.yaml"), key=lambda p: p.stat().st_size).stem
    for root, case in ((kommune, CASE_ID), (example, largest)):
        for fmt, lang, extra in (("md", "nb", ()), ("html", "nn", ()), ("md", "nb", ("--for", "foresatte"))):
            def size(layout: str) -> int:
                result = RUNNER.invoke(app, ["render", case, "-C", str(root), "--layout", layout, "--format", fmt,
                                             "--lang", lang, *extra])
                assert result.exit_code == 0, result.stderr
                return len(result.stdout.encode("utf-8"))

            standard = size("standard")
            for name in SHIPPED:
                if name not in ALIASES:
                    assert size(name) <= standard, (case, name, fmt, lang, extra)


def test_render_does_not_depend_on_the_working_directory(kommune: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    a = html_of(kommune)
    monkeypatch.chdir(kommune)
    b = RUNNER.invoke(app, ["render", CASE_ID, "--format", "html", "--layout", "standard"]).stdout
    assert a == b and os.fspath(kommune) not in a


# --- the Markdown fast path ---------------------------------------------------------------------------

def test_plain_text_fast_path_matches_markdown_it() -> None:
    """Plain sentences skip the Markdown parser; the result must be what markdown-it would give.
    (The one test here that is not a CLI run: the two paths cannot be told apart from outside.)"""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    import stafett.render.markdown as M

    pieces = st.sampled_from(list("abcæøå ÆØÅ.,:;-+=0123456789()\"'\n\u00a0\t/?%{}") + ["  ", "    ", "\n\n", "1. ", "- ", " \n"])
    functions = (M.to_html, M.to_html_inline, M.to_markdown, M.to_markdown_inline)

    def slow(fn, text):
        saved, M._plain_lines = M._plain_lines, (lambda _t: None)
        try:
            return fn.__wrapped__(text)
        finally:
            M._plain_lines = saved

    @settings(max_examples=300, deadline=None, database=None)
    @given(st.one_of(st.lists(pieces, max_size=25).map("".join), st.text(max_size=30)))
    def check(text: str) -> None:
        for fn in functions:
            assert fn.__wrapped__(text) == slow(fn, text), (fn.__name__, text)

    check()
