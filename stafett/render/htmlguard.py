"""What every rendered HTML document is held to, whatever a case folder's own template emits.

A kommune may replace `html/document.html.j2`; a cloned repository may carry a hostile one. So the
guarantee is not left to the template: after rendering,

- the document must begin `<!DOCTYPE html>`, `<html lang="…">`, `<head>`, and the Content-Security-Policy
  meta is made the first element of the head (inserted when the template left it out). A meta CSP
  binds only what comes after it, so nothing may stand before it: not a script before <html>, not
  a second element in front of it.
- elements the policy cannot stop, or that would make the policy moot, are refused outright: a
  `<meta>` other than stafett's own (`http-equiv="refresh"` navigates to a remote host, and CSP does
  not govern navigation), `<base>`, `<link>` (dns-prefetch and preconnect reach a host), `<script>`,
  `<iframe>`, `<frame>`, `<object>`, `<embed>`, `<applet>`, `<portal>`.

User text never produces a tag (it is escaped before it reaches the document), so the scan below
looks at what templates made. It reads every '<' followed by a letter, as a browser's tokenizer
starts a tag, and so sees a tag in places a browser would not (inside <style>, say): it may refuse
too much, never too little.
"""

from __future__ import annotations

import re

from stafett.errors import StafettError
from stafett.i18n import N_, _

POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'"
CSP_META = f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">'
ALLOWED_META = (
    CSP_META,
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="generator" content="stafett">',
)
REFUSED = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "portal", "base", "link"}
_PREFIX = re.compile(r'\A[ \t\r\n]*<!DOCTYPE html>[ \t\r\n]*<html(?:[ \t\r\n]+lang="[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")?>'
                     r"[ \t\r\n]*<head>", re.IGNORECASE)
_TAG = re.compile(r"<([A-Za-z][^\t\n\f\r />]*)")
_HINT = N_("start from the shipped templates/html/document.html.j2; see templates/README.md")


class UnsafeTemplateOutput(StafettError):
    """A template made HTML that stafett will not write."""


def enforce(doc: str) -> str:
    """The document with the CSP first in <head>; refused if a template made it unsafe."""
    m = _PREFIX.match(doc)
    if not m:
        raise UnsafeTemplateOutput(_("the HTML document template must begin with <!DOCTYPE html>, <html lang=\"…\"> "
                                     "and <head>, so stafett can put its Content-Security-Policy first"), _(_HINT))
    head, rest = doc[:m.end()], doc[m.end():]
    if not rest.lstrip(" \t\r\n").startswith(CSP_META):
        rest = "\n" + CSP_META + rest
    out = head + rest
    _refuse_unsafe_tags(out)
    return out


def _refuse_unsafe_tags(doc: str) -> None:
    for m in _TAG.finditer(doc):
        name = m.group(1).lower()
        if name in REFUSED:
            raise UnsafeTemplateOutput(_("a template put <{tag}> into the HTML document (line {line}); "
                                         "stafett's documents load nothing and run no script").format(
                                             tag=name, line=_line(doc, m.start())), _(_HINT))
        if name == "meta" and not doc.startswith(ALLOWED_META, m.start()):
            raise UnsafeTemplateOutput(_("a template put a <meta> element of its own into the HTML document (line "
                                         "{line}); only stafett's own are allowed").format(line=_line(doc, m.start())),
                                       _(_HINT))


def _line(doc: str, offset: int) -> int:
    return doc.count("\n", 0, offset) + 1
