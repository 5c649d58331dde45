"""`validate` on a case folder's `templates/`: what a render would refuse, said before anyone renders.

A case folder's templates came with a clone, so `validate` (and CI) read them the way the renderer
does, with a finding per problem:

  D001  a link or a special file under templates/ (render refuses the whole folder)
  D002  a template that does not parse (file:line)
  D003  what Jinja's sandbox refuses at render time: `_private` or internal attributes, changing data
  D004  an address of another host (http://, https://, //host, CSS url() and @import): warning
  D005  script: <script, on…= event handlers, javascript: addresses
  D006  <iframe>, <frame>, <object>, <embed>, <applet>, <portal>, <base>, <link>, a <meta> of its own
        (http-equiv="refresh" would send the reader to another host)
  D007  a layout profile (templates/profiles/*.yaml) that cannot be loaded

Render holds the same line whatever validate says (stafett/render/htmlguard.py and the
Content-Security-Policy), so a template that slips past these text checks still cannot load or run
anything; the checks are there so a kommune hears about it in CI, at the line.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Callable, Iterator

from stafett.findings import Finding
from stafett.i18n import N_, _

TEMPLATE_SUFFIXES = (".j2", ".css", ".html", ".htm", ".md", ".txt")
_HINT_REMOTE = N_("a stafett document is self-contained: write the address as text, or remove it")
_HINT_SCRIPT = N_("stafett documents run no script; remove it")
_HINT_ELEMENT = N_("stafett documents embed and load nothing; remove the element")

_REMOTE = re.compile(r"(?i)(?:\bhttps?:)?//[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9-]+)+"
                     r"|\burl\(\s*(?!['\"]?\s*data:)|@import\b")
_SCRIPT = re.compile(r"(?i)<\s*script\b|\bjavascript\s*:")
_TAG = re.compile(r"<[A-Za-z][^>]*>")
_HANDLER = re.compile(r"(?i)[\s\"'/]on[a-z]+\s*=")
_ELEMENT = re.compile(r"(?i)<\s*(iframe|frame|frameset|object|embed|applet|portal|base|link)\b")
_META = re.compile(r"(?i)<\s*meta\b")
_COMMENT = re.compile(r"\{#.*?#\}", re.DOTALL)


def check_folder(root: Path, shown: Callable[[Path], str]) -> list[Finding]:
    """Every finding for `root`/templates, located; [] when the folder has none."""
    base = root.resolve() / "templates"
    if not os.path.lexists(base):  # most folders: validate then imports no templating at all
        return []
    from stafett.render import localfiles

    refused = list(localfiles.refusals(base))
    out = [Finding("D001", f"{p.relative_to(base.parent).as_posix()} {why}", path=shown(p), line=1, col=1,
                   hint=_("replace it with a regular file inside templates/, or remove it; render refuses the folder"))
           for p, why in refused]
    if refused or not base.is_dir():
        return out
    for path in sorted(p for p in base.rglob("*") if p.is_file()):
        rel = path.relative_to(base).as_posix()
        if rel.startswith("profiles/") and path.suffix == ".yaml":
            out += _profile(base, path, shown(path))
        elif path.suffix.lower() in TEMPLATE_SUFFIXES:
            out += list(_template(base, path, rel, shown(path)))
    return out


def _template(base: Path, path: Path, name: str, shown: str) -> Iterator[Finding]:
    from stafett.render.localfiles import TemplateFileError, read_inside

    try:
        raw = read_inside(base, Path(name).parts)
        source = (raw or b"").decode("utf-8")
    except (TemplateFileError, OSError, UnicodeDecodeError) as e:
        yield Finding("D002", _("template cannot be read: {reason}").format(
                          reason=getattr(e, "message", None) or type(e).__name__),
                      path=shown, line=1, col=1, hint=_("save the template as UTF-8 text"))
        return
    yield from _syntax_and_sandbox(source, name, shown)
    yield from _text(_without_comments(source), shown)


def _without_comments(source: str) -> str:
    """Jinja comments never reach a document: blanked, keeping every line and column in place."""
    return _COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), source)


def _syntax_and_sandbox(source: str, name: str, shown: str) -> Iterator[Finding]:
    from jinja2 import TemplateSyntaxError, nodes

    from stafett.render.environment import _Sandbox

    try:
        tree = _Sandbox().parse(source, name, name)
    except TemplateSyntaxError as e:
        yield Finding("D002", _("template syntax error: {error}").format(error=e.message), path=shown,
                      line=e.lineno or 1, col=1, hint=_("fix the template; `stafett render` shows the same error"))
        return
    for node in tree.find_all((nodes.Getattr, nodes.Getitem, nodes.Call)):
        attr = _attribute(node)
        if attr is None:
            continue
        refused = _refused(attr, called=isinstance(node, nodes.Call))
        if refused:
            yield Finding("D003", _("the sandbox refuses '{attribute}' ({reason})").format(attribute=attr, reason=_(refused)),
                          path=shown, line=node.lineno or 1, col=1, hint=_("templates may only read the case view; remove it"))


def _attribute(node) -> str | None:
    from jinja2 import nodes

    if isinstance(node, nodes.Call):
        return node.node.attr if isinstance(node.node, nodes.Getattr) else None
    if isinstance(node, nodes.Getattr):
        return node.attr
    if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
        return node.arg.value
    return None


def _refused(attr: str, called: bool) -> str | None:
    from jinja2 import sandbox

    unsafe = (sandbox.UNSAFE_FUNCTION_ATTRIBUTES | sandbox.UNSAFE_METHOD_ATTRIBUTES
              | sandbox.UNSAFE_GENERATOR_ATTRIBUTES | sandbox.UNSAFE_COROUTINE_ATTRIBUTES
              | sandbox.UNSAFE_ASYNC_GENERATOR_ATTRIBUTES | {"mro"})
    if attr.startswith("_") or attr in unsafe:
        return N_("an internal attribute")
    changing = set().union(*(names for _, names in sandbox._mutable_spec))
    if called and attr in changing:
        return N_("templates cannot change data")
    return None


def _text(source: str, shown: str) -> Iterator[Finding]:
    from stafett.render.htmlguard import ALLOWED_META

    def at(offset: int) -> tuple[int, int]:
        line = source.count("\n", 0, offset) + 1
        return line, offset - (source.rfind("\n", 0, offset) + 1) + 1

    for m in _REMOTE.finditer(source):
        yield Finding("D004", _("template refers to another host or stylesheet ('{found}')").format(found=_short(m.group(0))),
                      severity="warning", path=shown, line=at(m.start())[0], col=at(m.start())[1], hint=_(_HINT_REMOTE))
    for m in _SCRIPT.finditer(source):
        yield Finding("D005", _("template holds script ('{found}')").format(found=_short(m.group(0))), path=shown,
                      line=at(m.start())[0], col=at(m.start())[1], hint=_(_HINT_SCRIPT))
    for tag in _TAG.finditer(source):
        for m in _HANDLER.finditer(tag.group(0)):
            offset = tag.start() + m.start() + 1
            yield Finding("D005", _("template holds an event handler attribute (on…=)"), path=shown,
                          line=at(offset)[0], col=at(offset)[1], hint=_(_HINT_SCRIPT))
    for m in _ELEMENT.finditer(source):
        yield Finding("D006", _("template holds a <{element}> element").format(element=m.group(1).lower()), path=shown,
                      line=at(m.start())[0], col=at(m.start())[1], hint=_(_HINT_ELEMENT))
    for m in _META.finditer(source):
        if not source.startswith(ALLOWED_META, m.start()):
            yield Finding("D006", _("template holds a <meta> element of its own (only stafett's own are allowed)"),
                          path=shown, line=at(m.start())[0], col=at(m.start())[1], hint=_(_HINT_ELEMENT))


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."


def _profile(base: Path, path: Path, shown: str) -> list[Finding]:
    from stafett.errors import StafettError
    from stafett.render import environment, profiles

    try:
        profiles.load_profile(path.stem, [base, environment.shipped_dir()])
    except StafettError as e:
        return [Finding("D007", _("layout profile cannot be used: {problem}").format(problem=e.message.split(": ", 1)[-1]),
                        path=shown, line=1, col=1, hint=e.hint or _("see templates/README.md for the profile keys"))]
    return []
