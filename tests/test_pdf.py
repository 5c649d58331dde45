"""`stafett render --format pdf`: PDF/A-2b that real readers open, with metadata that names no one.

Every test runs the CLI on real files (a copy of cases.example, or the invented Testvik kommune) and reads
the PDF back with poppler's pdftotext (the text a reader extracts) and pikepdf (the PDF/A identification,
the document information, the XMP packet and every string in the file). WeasyPrint and pikepdf come with
the test extra; without pdftotext (poppler-utils) or Pango the tests skip and say why.
"""

from __future__ import annotations

import contextlib
import html.parser
import http.server
import io
import itertools
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from commands_kit import ACTIVE, ACTIVE_ID, ok, stafett, write_case, write_kommune

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "cases.example"
LAYOUTS = ("standard", "vigilo", "profil", "infodoc", "hk-oppvekst", "familia", "compilo")
LANGS = ("nb", "nn")
PDFTOTEXT = shutil.which("pdftotext")

pikepdf = pytest.importorskip("pikepdf", reason="pikepdf is in the test extra: pip install -e '.[test]'")


def _weasyprint_problem() -> str | None:
    from stafett.errors import StafettError
    from stafett.render.pdf import require

    try:
        require()
    except StafettError as e:
        return str(e)
    return None


pytestmark = pytest.mark.skipif(bool(_weasyprint_problem()), reason=f"no PDF output here: {_weasyprint_problem()}")
needs_pdftotext = pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils) is not installed; "
                                                               ".ci/run installs it with apt-get")


# ---------- reading a PDF back ----------

def pdf_text(path: Path) -> str:
    done = subprocess.run([PDFTOTEXT, "-enc", "UTF-8", str(path), "-"], capture_output=True, timeout=120)
    assert done.returncode == 0, f"pdftotext could not read {path.name}: {done.stderr.decode(errors='replace')}"
    return done.stdout.decode("utf-8")


def flat(text: str) -> str:
    """Whitespace collapsed, case folded: a name broken over two lines is still found."""
    return " ".join(text.split()).casefold()


def metadata(path: Path) -> dict:
    """The document information dictionary, the XMP packet and the catalog's language."""
    with pikepdf.open(path) as pdf:
        info = {str(k): str(v) for k, v in pdf.docinfo.items()}
        with pdf.open_metadata() as xmp:
            xmp_values = {k: xmp.get(k) for k in ("pdfaid:part", "pdfaid:conformance", "dc:title", "dc:creator",
                                                  "xmp:CreatorTool", "pdf:Producer")}
        xmp_raw = pdf.Root.Metadata.read_bytes().decode("utf-8")
        return {"info": info, "xmp": xmp_values, "xmp_raw": xmp_raw, "lang": str(pdf.Root.get("/Lang", "")),
                "marked": bool(pdf.Root.get("/MarkInfo", {}).get("/Marked", False)),
                "struct": "/StructTreeRoot" in pdf.Root, "intents": [str(i.get("/S")) for i in pdf.Root.get("/OutputIntents", [])],
                "fonts": _fonts(pdf)}


def _fonts(pdf) -> list[tuple[str, bool]]:
    """(name, embedded) for every font any page uses."""
    found = {}
    for page in pdf.pages:
        fonts = page.Resources.get("/Font", {})
        for key in fonts.keys():
            font = fonts[key]
            descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
            descriptor = descendant.get("/FontDescriptor", {})
            embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            found[str(font.get("/BaseFont", key))] = embedded
    return sorted(found.items())


def every_string(path: Path) -> str:
    """Every string object in the file (metadata, outline, structure tree, annotations, names) and the XMP
    packet: everything a reader could show that is not drawn text."""
    out: list = []
    seen: set = set()  # one walk for the file: each indirect object once, however many point to it
    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            _strings(obj, out, seen)
        out.append(pdf.Root.Metadata.read_bytes().decode("utf-8"))
    return "\n".join(out)


def _strings(obj, out: list, seen: set) -> None:
    if isinstance(obj, pikepdf.String):
        out.append(str(obj))
    elif isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
        key = obj.objgen if obj.is_indirect else None
        if key is not None and key != (0, 0):
            if key in seen:
                return
            seen.add(key)
        for k in obj.keys():
            _strings(obj.get(k), out, seen)
    elif isinstance(obj, pikepdf.Array):
        for item in obj:
            _strings(item, out, seen)


class _BodyText(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.skip = 0
        self.parts: list[str] = []
        self.h1 = ""
        self._in_h1 = False

    def handle_starttag(self, tag, attrs):
        if tag in ("head", "style", "title"):
            self.skip += 1
        self._in_h1 = self._in_h1 or tag == "h1"

    def handle_endtag(self, tag):
        if tag in ("head", "style", "title"):
            self.skip -= 1
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)
            if self._in_h1:
                self.h1 += data


def body_text(html_text: str) -> tuple[str, str]:
    parser = _BodyText()
    parser.feed(html_text)
    return " ".join(parser.parts), " ".join(parser.h1.split())


# ---------- the example folder ----------

@pytest.fixture(scope="module")
def example(tmp_path_factory) -> tuple[Path, str]:
    """A copy of cases.example and its largest case (the one with the most to show)."""
    root = tmp_path_factory.mktemp("pdf") / "fjordvik"
    shutil.copytree(EXAMPLE, root)
    case = max((root / "saker").glob("S-*.yaml"), key=lambda p: p.stat().st_size).stem
    return root, case


@pytest.fixture(autouse=True)
def nobody_acts(monkeypatch):
    """No git identity names anyone, so the author is the kommune alone (the tests' --by says otherwise)."""
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "nobody@pdf-test.invalid")
    monkeypatch.setenv("GIT_AUTHOR_NAME", "nobody")
    monkeypatch.delenv("CI", raising=False)


def _kommune(root: Path) -> str:
    from stafett.folder import load_folder

    return load_folder(root).settings.kommune


def _names(root: Path, case_id: str) -> set[str]:
    """Every name in the case and the staff directory."""
    from stafett.folder import load_folder
    from stafett.store.cases import read_case

    folder = load_folder(root)
    found: set[str] = {p.navn for p in folder.people.personer}

    def walk(value):
        if isinstance(value, dict):
            for k, v in value.items():
                if k == "navn" and isinstance(v, str):
                    found.add(v)
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(read_case(root / "saker" / f"{case_id}.yaml").model.model_dump(mode="json"))
    return {n for n in found if n.strip()}


@needs_pdftotext
@pytest.mark.parametrize("layout,lang", list(itertools.product(LAYOUTS, LANGS)))
def test_every_layout_and_malform_is_pdfa_with_the_norwegian_text(example, tmp_path: Path, layout: str, lang: str):
    root, case = example
    target = tmp_path / f"{case}-{layout}-{lang}.pdf"
    ok("render", case, "--layout", layout, "--lang", lang, "--format", "pdf", "-o", target, "-C", root)
    data = target.read_bytes()
    assert data.startswith(b"%PDF-1.7") and data.rstrip().endswith(b"%%EOF")

    # The text a reader extracts: every word with æ, ø or å the HTML document shows is in the PDF too.
    page = ok("render", case, "--layout", layout, "--lang", lang, "--format", "html", "-C", root).out
    shown, h1 = body_text(page)
    words = {w for w in re.findall(r"\w+", shown) if re.search("[æøåÆØÅ]", w)}
    assert len(words) >= 5, f"the example case shows too few words with æ, ø or å to test ({words})"
    text = pdf_text(target)
    squeezed = "".join(text.split()).casefold()  # a long word may wrap inside a narrow cell
    missing = sorted(w for w in words if w.casefold() not in squeezed)
    assert not missing, f"not in the PDF's text ({layout}, {lang}): {missing[:10]}"
    assert case in "".join(text.split())

    # PDF/A-2b, tagged, every font embedded, the language, and metadata that says what and by whom.
    meta = metadata(target)
    assert meta["xmp"]["pdfaid:part"] == "2" and meta["xmp"]["pdfaid:conformance"] == "B"
    assert meta["intents"] == ["/GTS_PDFA1"], "PDF/A needs its sRGB output intent"
    assert meta["marked"] and meta["struct"], "the PDF is not tagged"
    assert meta["fonts"] and all(embedded for _, embedded in meta["fonts"]), meta["fonts"]
    assert meta["lang"] == lang
    title = f"{h1} – {case}"
    assert meta["info"]["/Title"] == title and meta["xmp"]["dc:title"] == title
    assert meta["info"]["/Author"] == _kommune(root) and meta["xmp"]["dc:creator"] == [_kommune(root)]
    assert meta["info"]["/Creator"] == "stafett"
    assert "/CreationDate" not in meta["info"] and "/ModDate" not in meta["info"]  # same case, same bytes
    for name in _names(root, case):
        assert name not in meta["xmp_raw"] and all(name not in v for v in meta["info"].values()), \
            f"{name} is in the metadata ({layout}, {lang})"


def test_the_same_case_gives_the_same_bytes_and_the_author_is_the_issuing_service(example, tmp_path: Path):
    root, case = example
    first, again = tmp_path / "a.pdf", tmp_path / "b.pdf"
    ok("render", case, "-o", first, "-C", root)  # -o *.pdf means PDF
    ok("render", case, "-o", again, "-C", root)
    assert first.read_bytes().startswith(b"%PDF-") and first.read_bytes() == again.read_bytes()
    from stafett.folder import load_folder

    folder = load_folder(root)
    person = next(p for p in folder.people.personer if p.tjeneste and folder.settings.service(p.tjeneste))
    by = tmp_path / "by.pdf"
    ok("render", case, "--by", person.id, "--layout", "standard", "-o", by, "-C", root)
    author = metadata(by)["info"]["/Author"]
    assert author == f"{folder.settings.kommune}, {folder.settings.service(person.tjeneste).navn}"
    assert person.navn not in every_string(by), "the author is the service, not the person"


@needs_pdftotext
def test_the_anonymised_pdf_names_nobody(example, tmp_path: Path):
    from stafett.anonymize import FIRST, LAST

    root, case = example
    names = _names(root, case)
    plain = tmp_path / "plain.pdf"
    ok("render", case, "-o", plain, "-C", root)
    plain_text = flat(pdf_text(plain))
    seen = [n for n in names if flat(n) in plain_text]
    assert seen, "the ordinary copy shows names (else this test proves nothing)"
    for layout, lang in (("standard", "nb"), ("compilo", "nn"), ("profil", "nb")):
        target = tmp_path / f"anon-{layout}-{lang}.pdf"
        ok("render", case, "--anonymize", "--layout", layout, "--lang", lang, "-o", target, "-C", root)
        text, strings = flat(pdf_text(target)), flat(every_string(target))
        for name in names:
            assert flat(name) not in text, f"{name} is in the anonymised PDF's text ({layout})"
            assert flat(name) not in strings, f"{name} is in the anonymised PDF's metadata or structure ({layout})"
        surnames = {n.split()[-1] for n in names if len(n.split()) > 1} - set(LAST) - set(FIRST)
        for surname in surnames:
            assert not re.search(rf"(?<!\w){re.escape(surname.casefold())}(?!\w)", text), surname
        assert case not in text and case not in strings, "the case id carries the exact opening day"


# ---------- the family copy ----------

C = ACTIVE_ID
PROTECTED = ("GRUNN-HEMMELIG", "VINDU-NOTAT-HEMMELIG", "KONSULTERT-NAVN", "RAD-KLARERT-HEMMELIG", "SKJERMET-HEMMELIG",
             "Mistanke om v", "onsultasjon", "onsultert")


@pytest.fixture(scope="module")
def flagged(tmp_path_factory) -> Path:
    """A case with a suspicion of violence, consultations and a skjermet note, cleared before the
    family was contacted: what test_child_safety.py builds, through the same commands."""
    root = write_kommune(tmp_path_factory.mktemp("family") / "testvik")
    write_case(root, ACTIVE)
    mp = pytest.MonkeyPatch()
    try:
        by = ("--by", "mona.birkeland", "-C", root)
        for day, args in (
            ("2026-11-02", ("suspicion", "raise", C, "--grunn", "GRUNN-HEMMELIG: Nora fortalte om slag.")),
            ("2026-11-02", ("log", C, "VINDU-NOTAT-HEMMELIG: drøftet med rektor.")),
            ("2026-11-04", ("log", C, "SKJERMET-HEMMELIG notat.", "--skjermet")),
            ("2026-11-05", ("suspicion", "consult", C, "--med", "politi", "--konsultert", "KONSULTERT-NAVN",
                            "--rad", "RAD-KLARERT-HEMMELIG: familien kan kontaktes.", "--familiekontakt", "klarert")),
            ("2026-11-06", ("log", C, "ETTER-KLARERING: ringte mor.", "--med", "f-mor")),
        ):
            mp.setenv("STAFETT_TODAY", day)
            ok(*args, *by)
    finally:
        mp.undo()
    return root


@needs_pdftotext
def test_the_family_copy_pdf_holds_no_protected_string_in_text_or_metadata(flagged: Path, tmp_path: Path):
    staff = tmp_path / "staff.pdf"
    ok("render", C, "--format", "pdf", "-o", staff, "-C", flagged)
    staff_text = pdf_text(staff)
    assert "GRUNN-HEMMELIG" in staff_text and "SKJERMET-HEMMELIG" in staff_text, "the staff copy shows them"
    for n, layout in enumerate(LAYOUTS):
        lang = LANGS[n % 2]
        target = tmp_path / f"family-{layout}.pdf"
        ok("render", C, "--for", "foresatte", "--layout", layout, "--lang", lang, "-o", target, "-C", flagged)
        text, strings = pdf_text(target), every_string(target)
        for secret in PROTECTED:
            assert secret not in text, f"{secret} is in the family copy's text ({layout}, {lang})"
            assert secret not in strings, f"{secret} is in the family copy's metadata or structure ({layout}, {lang})"
        assert "Nora Testdatter" not in strings and "Ida Testdatter" not in strings, "names in the metadata"
        assert metadata(target)["info"]["/Title"].endswith(f" – {C}")
    family = tmp_path / "family-standard.pdf"
    assert "ETTER-KLARERING" in pdf_text(family), "the family copy still shows what came after the clearance"


# ---------- refusals: one line, nothing written ----------

def test_a_pdf_is_never_written_to_a_terminal(example, tmp_path: Path):
    from stafett.cli.app import run

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    root, case = example
    out, err = Terminal(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run(["render", case, "--format", "pdf", "-C", str(root)])
    assert code != 0 and out.getvalue() == ""
    assert len(err.getvalue().strip().splitlines()) == 1 and "terminal" in err.getvalue()


def test_without_weasyprint_one_line_says_how_to_install_and_nothing_changes(example, tmp_path: Path, monkeypatch):
    root, case = example
    target = tmp_path / "logg.pdf"
    target.write_bytes(b"an earlier copy")
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # `import weasyprint` now fails as if not installed
    result = stafett("render", case, "-o", target, "-C", root)
    assert result.code != 0 and len(result.err_lines) == 1, result.err
    assert "pip install 'stafett[pdf]'" in result.err and "Traceback" not in result.err
    assert target.read_bytes() == b"an earlier copy"


def test_a_failed_pdf_render_leaves_the_file_as_it_was(example, tmp_path: Path):
    root, case = example
    target = tmp_path / "logg.pdf"
    target.write_bytes(b"an earlier copy")
    result = stafett("render", case, "--meeting", "mo-finnesikke", "-o", target, "-C", root)
    assert result.code != 0 and len(result.err_lines) == 1 and "Traceback" not in result.err
    assert target.read_bytes() == b"an earlier copy"
    result = stafett("render", case, "--format", "pdf", "--layout", "ingen-slik", "-o", target, "-C", root)
    assert result.code != 0 and len(result.err_lines) == 1
    assert target.read_bytes() == b"an earlier copy"


# ---------- a hostile template loads nothing ----------

CANARY_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="400" height="40">'
              '<text x="0" y="20">FILE-CANARY-SVG</text></svg>')
CANARY_CSS = 'body::before { content: "FILE-CANARY-CSS"; }'
PNG_1PX = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True


@contextlib.contextmanager
def _counting_server():
    """A server on 127.0.0.1 that records every request and answers with a canary."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            body = b'body::after { content: "HTTP-CANARY"; }'
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = _Server(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()


def _hostile_folder(base: Path, http_base: str) -> tuple[Path, Path]:
    root = write_kommune(base / "testvik")
    write_case(root, ACTIVE)
    canary_dir = base / "outside"
    canary_dir.mkdir()
    (canary_dir / "canary.svg").write_text(CANARY_SVG, encoding="utf-8")
    (canary_dir / "canary.css").write_text(CANARY_CSS, encoding="utf-8")
    svg, css = (canary_dir / "canary.svg").as_uri(), (canary_dir / "canary.css").as_uri()
    template = f"""<!DOCTYPE html>
<html lang="nb">
<head>
<title>{{{{ c.id }}}}</title>
<style>
@import url("{css}");
@import url("{http_base}/import.css");
@import url("file:///etc/passwd");
@font-face {{ font-family: Fremmed; src: url("{http_base}/font.ttf"), url("file:///etc/passwd"); }}
body {{ font-family: Fremmed, sans-serif; background: url("{http_base}/bg.png"); }}
h2 {{ background-image: url("file:///etc/passwd"); }}
</style>
</head>
<body>
<h1>Fiendtleg mal – særs lærerikt for åtaket</h1>
<img src="{svg}" alt="">
<img src="file:///etc/passwd" alt="">
<img src="{http_base}/img.png" alt="">
<img src="/etc/passwd" alt="">
<img src="data:image/png;base64,{PNG_1PX}" alt="">
<a rel="attachment" href="file:///etc/passwd">vedlegg</a>
<a rel="attachment" href="{http_base}/attachment.bin">vedlegg 2</a>
<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20"><image href="{http_base}/svg.png" width="20" height="20"/>
<image href="file:///etc/passwd" width="20" height="20"/></svg>
<h2>{{{{ c.id }}}}</h2>
</body>
</html>
"""
    (root / "templates" / "html").mkdir(parents=True)
    (root / "templates" / "html" / "document.html.j2").write_text(template, encoding="utf-8")
    return root, canary_dir


@needs_pdftotext
def test_a_hostile_template_makes_no_request_and_reads_no_file(tmp_path: Path):
    with _counting_server() as (http_base, hits):
        root, canary_dir = _hostile_folder(tmp_path, http_base)
        target = tmp_path / "hostile.pdf"
        ok("render", C, "-o", target, "-C", root)  # like the HTML under its policy: rendered, nothing loaded
        # In another process, with an audit hook that sees every file opened and every connection made.
        hook = (
            "import sys\n"
            "seen = []\n"
            "def hook(event, args):\n"
            "    if event == 'open' and isinstance(args[0], (str, bytes)) and ("
            "'passwd' in str(args[0]) or 'canary' in str(args[0])): seen.append(f'open {args[0]}')\n"
            # The one data: image the template holds is decoded by urllib's data: handler, in the process.
            "    elif event == 'urllib.Request' and str(args[0]).startswith('data:image/'): pass\n"
            "    elif event in ('socket.connect', 'urllib.Request', 'http.client.connect'): seen.append(f'{event} {str(args[0] if event == \"urllib.Request\" else args[1:2])[:60]}')\n"
            "sys.addaudithook(hook)\n"
            "from stafett.cli import load_commands\n"
            "from stafett.cli.app import run\n"
            "load_commands()\n"
            "code = run(sys.argv[1:])\n"
            "print('SEEN:' + repr(seen), file=sys.stderr)\n"
            "sys.exit(code)\n"
        )
        again = tmp_path / "hostile-2.pdf"
        env = {**os.environ, "STAFETT_NO_TEMPLATE_CACHE": "1"}
        done = subprocess.run([sys.executable, "-c", hook, "render", C, "-o", str(again), "-C", str(root)],
                              capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "SEEN:[]" in done.stderr, f"the render touched something outside: {done.stderr}"
    assert hits == [], f"the render fetched from the server: {hits}"
    text = pdf_text(target)
    assert "særs lærerikt for åtaket" in " ".join(text.split()), "the hostile template's own text is there"
    for canary in ("FILE-CANARY-SVG", "FILE-CANARY-CSS", "HTTP-CANARY", "root:"):
        assert canary not in text, f"{canary}: the PDF shows a file or a response it should never have loaded"
    with pikepdf.open(target) as pdf:
        assert "/EmbeddedFiles" not in pdf.Root.get("/Names", {}), "an attachment was embedded"
        assert not any(isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/Filespec" for o in pdf.objects)
    assert again.read_bytes() == target.read_bytes()


def test_the_fetcher_refuses_everything_but_data_images():
    from stafett.render.pdf import refusing_fetcher

    fetcher = refusing_fetcher()
    for url in ("file:///etc/passwd", "http://127.0.0.1:9/x.css", "https://example.invalid/font.woff2",
                "ftp://example.invalid/a", "data:text/css,body{}", "data:font/ttf;base64,AAAA", "/etc/passwd"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 7
    response = fetcher.fetch(f"data:image/png;base64,{PNG_1PX}")
    assert response.read().startswith(b"\x89PNG")
