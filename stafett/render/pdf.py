"""PDF/A-2b: the HTML document (the same templates, the same print stylesheet) laid out by WeasyPrint.

What every PDF stafett writes is held to:
- PDF/A-2b, tagged, every font embedded (subset), the document language (nb or nn) in the catalog.
- Metadata says what the document is and who issued it, never whom it is about: the title is the
  document's title and the case id ("Stafettlogg – S-20260212-p3xd9e"), the author the kommune (and
  the issuing service when stafett knows the actor), the creator stafett. Nothing is taken from the
  HTML's <title> or <meta> (the <title> names the child). No dates either, so the same case and
  template give the same bytes: the embedded font subsets would carry the time they were made (fontTools
  stamps a font's `head` table when it saves one), so they are made under SOURCE_DATE_EPOCH (the
  reproducible-builds convention, which fontTools honours): the caller's when it sets one, else 0. The
  file identifier is WeasyPrint's hash of the content, so it follows.
- Nothing is fetched. The case folder's templates/ may be hostile and WeasyPrint, unlike a browser,
  does not obey the document's Content-Security-Policy: every URL the document names (an image, an
  @import, a font, an attachment; file:, http:, anything) goes to a fetcher that refuses it, except
  `data:image/...`, which the policy allows too. So a PDF shows what a browser under the policy shows.
- WeasyPrint has no `display: contents` and sizes flex items differently from a browser; the few
  rules in PRINT_FIXES give the shipped stylesheet's print look in the PDF.

WeasyPrint is an optional dependency (`pip install 'stafett[pdf]'`); it needs Pango from the system.
"""

from __future__ import annotations

import os
import re
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from stafett.errors import StafettError
from stafett.i18n import N_, _

INSTALL_HINT = N_("install it with: pip install 'stafett[pdf]' (WeasyPrint; it needs the Pango library)")
OPTIONS = {"pdf_variant": "pdf/a-2b", "pdf_tags": True, "presentational_hints": False, "pdf_forms": False}
NEEDED_CHARS = "æøåÆØÅ"
_DATA_IMAGE = re.compile(r"\Adata:image/[a-z0-9.+-]+[;,]", re.IGNORECASE)

# Rules the browser needs no help with (see the module's docstring). User-origin rules lose to the
# author's stylesheet, so each is !important; they only touch stafett's own classes.
PRINT_FIXES = """
dl.fields { display: table !important; table-layout: fixed; width: 100%; border-collapse: collapse; }
dl.fields > div { display: table-row !important; }
dl.fields > div > dt, dl.fields > div > dd { display: table-cell !important; padding: 0 0 0.25rem 0; }
dl.fields > div > dt { width: 14rem; padding-right: 1rem; }
.doc-head .meta { display: block !important; }
.doc-head .meta > div { display: inline-block !important; margin: 0 1.5rem 0.2rem 0; }
.doc-head .meta > div > dt, .doc-head .meta > div > dd { display: inline !important; }
.doc-head .meta > div > dt { margin-right: 0.4rem; }
"""


class PdfError(StafettError):
    """A PDF that cannot be made here (no WeasyPrint, no font, a document WeasyPrint cannot lay out)."""


@dataclass(frozen=True)
class PdfMetadata:
    title: str
    author: str
    lang: str


def render_pdf(folder, case, *, kind: str = "stafettlogg", meeting_id: Optional[str] = None,
               layout: str = "standard", lang: Optional[str] = None, for_foresatte: bool = False,
               show_fnr: bool = False, actor: Optional[str] = None) -> bytes:
    """The document as PDF/A-2b bytes. The arguments are render_case's; `actor` (a staff id or None)
    names the issuing service in the metadata."""
    from stafett.render import render_case

    require()
    lang = lang or case.malform_in(folder.settings)
    html = render_case(folder, case, kind=kind, meeting_id=meeting_id, layout=layout, fmt="html", lang=lang,
                       for_foresatte=for_foresatte, show_fnr=show_fnr)
    meta = PdfMetadata(title=document_title(folder, case, kind=kind, meeting_id=meeting_id, layout=layout, lang=lang),
                       author=author(folder, actor), lang=lang)
    return html_to_pdf(html, meta)


def document_title(folder, case, *, kind: str, meeting_id: Optional[str], layout: str, lang: str) -> str:
    """'Stafettlogg – S-…' in the profile's words; a referat adds the meeting's id, never its title."""
    from stafett.render import environment, labels, profiles

    profile = profiles.load_profile(layout, environment.search_dirs(folder.root))
    L = labels.labels_for(lang, profile.labels)
    if kind == "referat":
        return f"{L['tittel_referat']} – {case.id}" + (f" – {meeting_id}" if meeting_id else "")
    return f"{L['tittel_stafettlogg']} – {case.id}"


def author(folder, actor: Optional[str]) -> str:
    """The kommune, and the actor's service when it is known: who issued the document, not who wrote it."""
    kommune = folder.settings.kommune
    person = folder.people.get(actor) if actor else None
    service = folder.settings.service(person.tjeneste) if person is not None and person.tjeneste else None
    return f"{kommune}, {service.navn}" if service is not None else kommune


def require():
    """WeasyPrint, or one line saying how to install it."""
    try:
        import weasyprint
    except ImportError:
        raise PdfError(_("PDF output needs WeasyPrint, which is not installed"), _(INSTALL_HINT)) from None
    except OSError as e:  # WeasyPrint is there, the Pango library it loads is not
        raise PdfError(_("PDF output needs the Pango library, which WeasyPrint could not load ({error})").format(
                           error=_first_line(e)),
                       _("install Pango (Debian/Ubuntu: apt-get install libpango-1.0-0 libpangoft2-1.0-0)")) from None
    return weasyprint


def html_to_pdf(html: str, meta: PdfMetadata) -> bytes:
    """PDF/A-2b bytes of a finished stafett HTML document, with `meta` as its only metadata."""
    weasyprint = require()
    check_fonts()
    fetcher = refusing_fetcher()
    try:
        document = weasyprint.HTML(string=html, base_url=None, url_fetcher=fetcher, media_type="print").render(
            stylesheets=[weasyprint.CSS(string=PRINT_FIXES, url_fetcher=fetcher)], **OPTIONS)
        # A new metadata object: nothing of the HTML's (its <title> names the child) survives.
        document.metadata = type(document.metadata)(title=meta.title, authors=[meta.author], generator="stafett",
                                                    lang=meta.lang)
        with _fixed_timestamps():
            return document.write_pdf(**OPTIONS)
    except (RecursionError, MemoryError, OverflowError) as e:
        raise PdfError(_("the document is too large or too deeply nested to lay out as PDF ({error})").format(
                           error=type(e).__name__),
                       _("check the templates/ overrides in the case folder")) from None


_EPOCH_LOCK = threading.Lock()


@contextmanager
def _fixed_timestamps():
    """SOURCE_DATE_EPOCH set while the PDF is written (see the module's docstring), then as it was."""
    with _EPOCH_LOCK:
        before = os.environ.get("SOURCE_DATE_EPOCH")
        if before is None or not before.strip().isdigit():
            os.environ["SOURCE_DATE_EPOCH"] = "0"
        try:
            yield
        finally:
            if before is None:
                os.environ.pop("SOURCE_DATE_EPOCH", None)
            else:
                os.environ["SOURCE_DATE_EPOCH"] = before


class RefusedFetch(ValueError):
    """WeasyPrint reports this as a resource it could not load, and leaves the resource out."""


def refusing_fetcher():
    """A WeasyPrint URL fetcher that loads nothing: `data:image/…` is decoded, every other URL refused.
    `refused` lists what the document asked for."""
    return _fetcher_class()()


@lru_cache(maxsize=1)
def _fetcher_class():
    from weasyprint.urls import URLFetcher

    class Refusing(URLFetcher):
        def __init__(self) -> None:
            super().__init__(timeout=1, allowed_protocols={"data"}, allow_redirects=False, fail_on_errors=False)
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            if isinstance(url, str) and _DATA_IMAGE.match(url):
                return super().fetch(url, headers)  # the data: handler only: no file, no network
            self.refused.append(str(url)[:200])
            raise RefusedFetch("stafett's documents load nothing")

    return Refusing


@lru_cache(maxsize=1)
def check_fonts() -> None:
    """Refuse, with one line, when the font fontconfig gives for sans-serif cannot write æ, ø and å
    (a machine with no fonts at all, or only symbol fonts): the PDF would show empty boxes."""
    path = _sans_serif_file()
    if path is None:
        raise PdfError(_("no font found for the PDF"),
                       _("install a font with æ, ø and å (Debian/Ubuntu: apt-get install fonts-dejavu-core)"))
    try:
        from fontTools.ttLib import TTFont

        with TTFont(path, lazy=True, fontNumber=0) as font:
            cmap = font.getBestCmap() or {}
    except Exception:  # a font fontTools cannot read (a Type 1 font, say): Pango may still; let it try
        return
    missing = [ch for ch in NEEDED_CHARS if ord(ch) not in cmap]
    if missing:
        raise PdfError(_("the font for the PDF ({path}) has no {characters}").format(path=path, characters=" ".join(missing)),
                       _("install a font with æ, ø and å (Debian/Ubuntu: apt-get install fonts-dejavu-core)"))


def _sans_serif_file() -> Optional[str]:
    """The file fontconfig matches for sans-serif, as Pango would pick it; None when there is none."""
    try:
        from weasyprint.text.ffi import ffi, fontconfig
    except (ImportError, AttributeError, OSError):  # pragma: no cover - require() said so already
        return None
    config = fontconfig.FcInitLoadConfigAndFonts()
    if config == ffi.NULL:
        return None
    try:
        pattern = fontconfig.FcPatternCreate()
        try:
            fontconfig.FcPatternAddString(pattern, b"family", b"sans-serif")
            fontconfig.FcConfigSubstitute(config, pattern, fontconfig.FcMatchPattern)
            fontconfig.FcDefaultSubstitute(pattern)
            result = ffi.new("FcResult *")
            match = fontconfig.FcFontMatch(config, pattern, result)
            if match == ffi.NULL:
                return None
            try:
                value = ffi.new("FcChar8 **")
                if fontconfig.FcPatternGetString(match, b"file", 0, value) != fontconfig.FcResultMatch:
                    return None
                return ffi.string(value[0]).decode("utf-8", "surrogateescape")
            finally:
                fontconfig.FcPatternDestroy(match)
        finally:
            fontconfig.FcPatternDestroy(pattern)
    finally:
        fontconfig.FcConfigDestroy(config)


def _first_line(e: BaseException) -> str:
    text = str(e).strip().splitlines()
    return text[0][:160] if text else type(e).__name__
