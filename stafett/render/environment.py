"""The Jinja environments. Both are sandboxed (templates may come from a kommune's case folder) and
immutable (a template cannot change the case view), and both fail on a missing name (StrictUndefined).

- HTML: autoescape is ON for every template this environment loads. It is set to True outright, not
  by file suffix: `select_autoescape` does not match `*.html.j2`.
- Markdown: every `{{ value }}` is escaped for Markdown by `finalize`, except Markdown stafett made
  itself (`MdSafe`: rendered free text, macro output).

Search path: the case folder's `templates/` first, then the shipped `templates/`. The shipped files are
also reachable as `stafett/<name>`, so a kommune's template can extend or import the one it replaces.
The case folder's `templates/` came with a clone and may be hostile: it is read through
`localfiles` (no links, only regular files inside it), and every render has a time limit: each
loop step and each call in a template checks the clock (`time_limit`), and `*` and `**` refuse
results too large to compute.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import time
from functools import lru_cache
from pathlib import Path

from jinja2 import BaseLoader, ChoiceLoader, FileSystemLoader, PrefixLoader, StrictUndefined, TemplateNotFound, nodes
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from jinja2.runtime import Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

import stafett
from stafett.errors import StafettError
from stafett.i18n import _
from stafett.render import localfiles, markdown

_PACKAGE = Path(stafett.__file__).resolve().parent
# A source checkout keeps the templates at the top level (templates/); a wheel may carry them inside
# the package as stafett/_templates (see the note on package data in templates/README.md).
SHIPPED_CANDIDATES = (_PACKAGE / "_templates", _PACKAGE.parent / "templates")


def shipped_dir() -> Path:
    for candidate in SHIPPED_CANDIDATES:
        if (candidate / "profiles").is_dir():
            return candidate
    from stafett.errors import StafettError

    raise StafettError(_("the shipped templates are missing (looked in {folders})").format(
                           folders=", ".join(map(str, SHIPPED_CANDIDATES))),
                       _("reinstall stafett (pip install -e . from a source checkout)"))


def search_dirs(case_root: Path | None) -> list[Path]:
    """The case folder's templates/ (refused outright if anything in it is a link or a special file),
    then the shipped templates."""
    dirs = []
    if case_root is not None:
        local = case_root.resolve() / "templates"
        localfiles.check_tree(local)
        if local.is_dir():
            dirs.append(local)
    dirs.append(shipped_dir())
    return dirs


class LocalLoader(BaseLoader):
    """The case folder's templates/: like FileSystemLoader, but read through `localfiles`, so no
    link, '..' or special file is ever opened."""

    def __init__(self, dirs: tuple[Path, ...]) -> None:
        self.dirs = dirs

    def get_source(self, environment, template):
        pieces = split_template_path(template)
        for d in self.dirs:
            data = localfiles.read_inside(d, pieces)
            if data is None:
                continue
            path = d.joinpath(*pieces)
            try:
                source = data.decode("utf-8")
            except UnicodeDecodeError:
                raise localfiles.TemplateFileError(_("{path} is not UTF-8 text").format(path=path),
                                                   _("save the template as UTF-8")) from None
            mtime = os.lstat(path).st_mtime_ns

            def uptodate(path=path, mtime=mtime) -> bool:
                try:
                    return os.lstat(path).st_mtime_ns == mtime
                except OSError:
                    return False

            return source, str(path), uptodate
        raise TemplateNotFound(template)


# --- the time limit --------------------------------------------------------------------------------

DEFAULT_SECONDS = 5.0
MAX_REPEAT = 1_000_000   # items or characters that `*` may make
MAX_POWER_BITS = 10_000  # bits of an integer that `**` may make
_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar("stafett_render_deadline", default=None)


class RenderTimeout(StafettError):
    """A template ran past the render's time limit (a hostile or runaway loop)."""


def limit_seconds() -> float:
    """STAFETT_RENDER_SECONDS, else the default; a value that is not a positive number is the default."""
    try:
        value = float(os.environ.get("STAFETT_RENDER_SECONDS", DEFAULT_SECONDS))
    except ValueError:
        return DEFAULT_SECONDS
    return value if value > 0 else DEFAULT_SECONDS


@contextlib.contextmanager
def time_limit(seconds: float):
    token = _deadline.set(time.monotonic() + seconds)
    try:
        yield
    finally:
        _deadline.reset(token)


def _tick() -> None:
    deadline = _deadline.get()
    if deadline is not None and time.monotonic() > deadline:
        raise RenderTimeout(_("rendering took longer than the time limit ({seconds} s); a template loops too long").format(
                                seconds=f"{limit_seconds():g}"),
                            _("check the templates/ overrides in the case folder, or raise STAFETT_RENDER_SECONDS"))


def _counted(iterable):
    for item in iterable:
        _tick()
        yield item


def _check_binop(operator: str, left, right) -> None:
    if operator == "*":
        for seq, n in ((left, right), (right, left)):
            if isinstance(seq, (str, list, tuple)) and isinstance(n, int) and len(seq) * n > MAX_REPEAT:
                raise SecurityError(_("a template asked for a sequence too long to build"))
    elif operator == "**" and isinstance(left, int) and isinstance(right, int) and right > 0:
        if max(abs(left), 2).bit_length() * right > MAX_POWER_BITS:
            raise SecurityError(_("a template asked for a number too large to compute"))


class _Sandbox(ImmutableSandboxedEnvironment):
    """The sandbox with the clock: every call and every loop step checks the render's deadline.
    Loops are reached by wrapping each `{% for %}`'s iterable when the template is parsed."""

    intercepted_binops = frozenset({"*", "**"})

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 - Jinja's signature
        _tick()
        return super().call(__context, __obj, *args, **kwargs)

    def call_binop(self, context, operator, left, right):
        _tick()
        _check_binop(operator, left, right)
        return super().call_binop(context, operator, left, right)

    def stafett_counted(self, iterable):
        return _counted(iterable)

    def _parse(self, source, name, filename):
        tree = super()._parse(source, name, filename)
        for loop in tree.find_all(nodes.For):
            loop.iter = nodes.Call(nodes.EnvironmentAttribute("stafett_counted"), [loop.iter], [], None, None,
                                   lineno=loop.iter.lineno)
        return tree


def css_string(value: object) -> Markup:
    """A CSS string literal: everything but letters, digits, space and a few marks as a CSS escape."""
    out = []
    for ch in str(value):
        if ch.isalnum() and ord(ch) < 128 or ch in " .-_:/,":
            out.append(ch)
        else:
            out.append(f"\\{ord(ch):06x}")
    return Markup('"' + "".join(out) + '"')


def cells(headers, row) -> tuple:
    """(header, value) pairs of a table row whose value is not empty: a row as a journal-note line."""
    return tuple((h, v) for h, v in zip(headers, row) if v is not None and v != "" and v != ())


class _MarkdownEnvironment(_Sandbox):
    """Macro output is Markdown the templates made (its values were escaped when it was built)."""

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 - Jinja's signature
        rv = super().call(__context, __obj, *args, **kwargs)
        if isinstance(__obj, Macro) and isinstance(rv, str):
            return markdown.MdSafe(rv)
        return rv


def md_indent(value, width: int = 2) -> markdown.MdSafe:
    """Markdown indented under a list item (continuation lines need the item's indent)."""
    text = value if isinstance(value, markdown.MdSafe) else markdown.md_escape(value)
    pad = " " * width
    return markdown.MdSafe("\n".join(pad + line if line.strip() else "" for line in text.split("\n")))


def md_one_line(value) -> markdown.MdSafe:
    """A table cell: one line, whatever the template put around it."""
    if value is None:
        return markdown.MdSafe("")
    text = value if isinstance(value, markdown.MdSafe) else markdown.md_escape(value)
    return markdown.MdSafe(" ".join(text.split()))


def md_join(value, d: str = "", attribute=None) -> markdown.MdSafe:
    """`join` for Markdown, like Jinja's join under autoescape: plain items are escaped, Markdown
    items (MdSafe) are kept, and the result is Markdown, so it is not escaped a second time."""
    items = list(value)
    if attribute is not None:
        items = [getattr(i, attribute, None) if not isinstance(i, dict) else i.get(attribute) for i in items]
    return markdown.MdSafe(str(d).join(i if isinstance(i, markdown.MdSafe) else markdown.md_escape(i) for i in items))


def md_trim(value) -> object:
    return markdown.MdSafe(value.strip()) if isinstance(value, markdown.MdSafe) else str(value).strip()


def _md_finalize(value):
    if isinstance(value, markdown.MdSafe):
        return value
    if value is None:
        return ""
    return markdown.md_escape(value)


def _html_finalize(value):
    # None prints as nothing, never as the word "None".
    return "" if value is None else value


def environment(fmt: str, dirs: tuple[Path, ...]) -> ImmutableSandboxedEnvironment:
    """The environment for a format and search path. Cached per process; a change in the case
    folder's templates/ (a file added, edited or removed) makes a new one, since Jinja's own reload
    check cannot see a new file that shadows a shipped one."""
    return _environment(fmt, dirs, _stamp(dirs[:-1]))


def _stamp(local_dirs: tuple[Path, ...]) -> tuple:
    stamp = []
    for d in local_dirs:
        for folder, _, files in os.walk(d, followlinks=False):
            for name in sorted(files):
                st = os.lstat(os.path.join(folder, name))
                stamp.append((os.path.join(folder, name), st.st_mtime_ns, st.st_size))
    return tuple(sorted(stamp))


@lru_cache(maxsize=1)
def _bytecode_cache():
    """Compiled templates kept between runs, so a render does not compile ~1000 template lines each
    time (~150 ms). Jinja's own per-user cache folder (created 0700 and checked for its owner); no
    cache when that folder cannot be made, or with STAFETT_NO_TEMPLATE_CACHE=1."""
    import os

    from jinja2 import FileSystemBytecodeCache

    if os.environ.get("STAFETT_NO_TEMPLATE_CACHE") == "1":
        return None
    try:
        # The name carries the compile scheme: bytecode from before loops were counted must not be reused.
        return FileSystemBytecodeCache(pattern="stafett-counted-%s.cache")
    except (OSError, RuntimeError):
        return None


@lru_cache(maxsize=16)
def _environment(fmt: str, dirs: tuple[Path, ...], stamp: tuple) -> ImmutableSandboxedEnvironment:
    shipped = dirs[-1]
    loader = ChoiceLoader([
        LocalLoader(dirs[:-1]),
        FileSystemLoader(str(shipped), encoding="utf-8"),
        PrefixLoader({"stafett": FileSystemLoader(str(shipped), encoding="utf-8")}),
    ])
    common = dict(loader=loader, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                  keep_trailing_newline=True, auto_reload=True, bytecode_cache=_bytecode_cache())
    if fmt == "html":
        env = _Sandbox(autoescape=True, finalize=_html_finalize, **common)
        env.filters["md"] = markdown.to_html
        env.filters["md_inline"] = markdown.to_html_inline
        env.filters["css_string"] = css_string
    elif fmt == "md":
        env = _MarkdownEnvironment(autoescape=False, finalize=_md_finalize, **common)
        env.filters["md"] = markdown.to_markdown
        env.filters["md_inline"] = markdown.to_markdown_inline
        env.filters["md_indent"] = md_indent
        env.filters["one_line"] = md_one_line
        env.filters["join"] = md_join
        env.filters["trim"] = md_trim
    else:  # pragma: no cover - the CLI checks the format
        raise ValueError(fmt)
    env.globals["cells"] = cells
    return env
