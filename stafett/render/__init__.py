"""Rendering: one case (or one meeting's referat) as Markdown or HTML, in a fagsystem's layout.

Rendering only reads. The pieces:
  labels.py       the keys of every visible word; the words themselves live in the catalogs
  profiles.py     layout profiles as data (templates/profiles/<name>.yaml), overridable per case folder
  context.py      the read-only view of a case the templates see (names, dates, masking, family copy)
  markdown.py     free text: markdown-it-py without raw HTML, safe links, Markdown re-emitted escaped
  environment.py  the sandboxed Jinja environments, the template search path and the time limit
  localfiles.py   reading the case folder's templates/ without following links or opening special files
  htmlguard.py    the Content-Security-Policy first in every HTML document; unsafe elements refused
Invisible format characters (bidi controls and the like) are shown as <U+202E> in every render
(stafett/textcheck.py).
"""

from __future__ import annotations

from typing import Optional

from jinja2 import TemplateError

from stafett.errors import StafettError, UsageError
from stafett.i18n import _
from stafett.model import Case

KINDS = ("stafettlogg", "referat")
FORMATS = ("md", "html")
LANGS = ("nb", "nn")


def default_layout(folder, actor: Optional[str]) -> str:
    """The layout stafett.yaml gives the actor's service; 'standard' when that is unknown."""
    if actor is None:
        return "standard"
    person = folder.people.get(actor)
    service = folder.settings.service(person.tjeneste) if person else None
    return service.fagsystem if service else "standard"


def render_case(folder, case: Case, *, kind: str = "stafettlogg", meeting_id: Optional[str] = None,
                layout: str = "standard", fmt: str = "html", lang: Optional[str] = None,
                for_foresatte: bool = False, show_fnr: bool = False) -> str:
    """The document as text. `folder` is a loaded case folder (its settings, people and templates/)."""
    from stafett.render import context, environment, labels, profiles

    if kind not in KINDS:
        raise UsageError(_("unknown kind '{kind}'").format(kind=kind), _("use one of: {choices}").format(choices=", ".join(KINDS)))
    if fmt not in FORMATS:
        raise UsageError(_("unknown format '{format}'").format(format=fmt), _("use md or html"))
    lang = lang or case.malform_in(folder.settings)
    if lang not in LANGS:
        raise UsageError(_("unknown målform '{malform}'").format(malform=lang), _("use nb (bokmål) or nn (nynorsk)"))

    dirs = environment.search_dirs(folder.root)
    profile = profiles.load_profile(layout, dirs)
    L = labels.labels_for(lang, profile.labels)
    data = context.build(folder, case, L, kind=kind, meeting_id=meeting_id, for_foresatte=for_foresatte,
                         show_fnr=show_fnr)
    hidden = set(folder.settings.innstillinger.skjul_for_foresatte) if for_foresatte else set()
    sections = tuple(
        context.View(id=s, heading=L[s]) for s in profile.sections(kind) if s not in hidden
    )
    env = environment.environment(fmt, tuple(dirs))
    try:
        with environment.time_limit(environment.limit_seconds()):
            template = env.get_template(f"{fmt}/document.{fmt}.j2")
            text = template.render(
                **data, L=L, kind=kind, lang=lang, sections=sections, section_ids=tuple(x.id for x in sections),
                for_foresatte=for_foresatte,
                profile=context.View(name=profile.name, title=profile.title, shape=profile.shape),
                journal=profile.shape == "journalnotat",
            )
    except TemplateError as e:
        raise _template_error(e, dirs) from None
    except (OverflowError, RecursionError, MemoryError) as e:
        # The sandbox caps range(); a template can still ask for absurd numbers or endless recursion.
        raise StafettError(_("a template asked for more than stafett will compute ({error})").format(error=type(e).__name__),
                           _("check the templates/ overrides in the case folder")) from None
    return finish(text, fmt)


def finish(text: str, fmt: str) -> str:
    """What every document gets whatever its template did: tidy whitespace, invisible characters shown,
    for HTML the Content-Security-Policy first in <head> (see htmlguard), and for Markdown no image,
    remote link or raw HTML (a Markdown viewer has no policy to stop them)."""
    from stafett.render import htmlguard
    from stafett.textcheck import neutralise

    text = neutralise(tidy(text), fmt)
    if fmt == "html":
        return htmlguard.enforce(text)
    from stafett.render.markdown import remote_references

    found = remote_references(text)
    if found:
        raise htmlguard.UnsafeTemplateOutput(
            _("a template put {found} into the Markdown document; stafett's documents load nothing").format(found=found[0]),
            _("remove it from the templates/ override"))
    return text


def _template_error(e, dirs) -> StafettError:
    """A broken template (most likely a kommune's override) as one line that says where."""
    from jinja2 import TemplateSyntaxError

    where = ""
    if isinstance(e, TemplateSyntaxError):
        where = f"{e.filename or e.name}:{e.lineno}: "
    else:
        import traceback

        frames = [f for f in traceback.extract_tb(e.__traceback__) if f.filename.endswith(".j2")]
        if frames:
            where = f"{frames[-1].filename}:{frames[-1].lineno}: "
    if len(dirs) > 1:
        hint = _("fix or remove the template (the case folder's templates/ come first: {folder})").format(folder=dirs[0])
    else:
        hint = _("fix or remove the template")
    return StafettError(where + _("template error: {reason}").format(reason=e.message or type(e).__name__), hint)


def tidy(text: str) -> str:
    """Template whitespace out: no trailing blanks, at most one empty line in a row, one final newline."""
    lines = [line.rstrip() for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if not line and (not out or not out[-1]):
            continue
        out.append(line)
    return "\n".join(out).strip("\n") + "\n"
