"""The Jinja environments. Both are sandboxed (templates may come from a kommune's case folder) and
immutable (a template cannot change the case view), and both fail on a missing name (StrictUndefined).

- HTML: autoescape is ON for every template this environment loads. It is set to True outright, not
  by file suffix: `select_autoescape` does not match `*.html.j2`.
- Markdown: every `{{ value }}` is escaped for Markdown by `finalize`, except Markdown stafett made
  itself (`MdSafe`: rendered free text, macro output).

Search path: the case folder's `templates/` first, then the shipped `templates/`. The shipped files are
also reachable as `stafett/<name>`, so a kommune's template can extend or import the one it replaces.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader, StrictUndefined
from jinja2.runtime import Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

import stafett
from stafett.render import markdown

_PACKAGE = Path(stafett.__file__).resolve().parent
# A source checkout keeps the templates at the top level (templates/); a wheel may carry them inside
# the package as stafett/_templates (see the note on package data in templates/README.md).
SHIPPED_CANDIDATES = (_PACKAGE / "_templates", _PACKAGE.parent / "templates")


def shipped_dir() -> Path:
    for candidate in SHIPPED_CANDIDATES:
        if (candidate / "profiles").is_dir():
            return candidate
    from stafett.errors import StafettError

    raise StafettError(f"the shipped templates are missing (looked in {', '.join(map(str, SHIPPED_CANDIDATES))})",
                       "reinstall stafett (pip install -e . from a source checkout)")


def search_dirs(case_root: Path | None) -> list[Path]:
    dirs = []
    if case_root is not None and (case_root / "templates").is_dir():
        dirs.append((case_root / "templates").resolve())
    dirs.append(shipped_dir())
    return dirs


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


class _MarkdownEnvironment(ImmutableSandboxedEnvironment):
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
        for p in sorted(d.rglob("*")):
            if p.is_file():
                st = p.stat()
                stamp.append((str(p), st.st_mtime_ns, st.st_size))
    return tuple(stamp)


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
        return FileSystemBytecodeCache(pattern="stafett-%s.cache")
    except (OSError, RuntimeError):
        return None


@lru_cache(maxsize=16)
def _environment(fmt: str, dirs: tuple[Path, ...], stamp: tuple) -> ImmutableSandboxedEnvironment:
    shipped = dirs[-1]
    loader = ChoiceLoader([
        FileSystemLoader([str(d) for d in dirs], encoding="utf-8"),
        PrefixLoader({"stafett": FileSystemLoader(str(shipped), encoding="utf-8")}),
    ])
    common = dict(loader=loader, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                  keep_trailing_newline=True, auto_reload=True, bytecode_cache=_bytecode_cache())
    if fmt == "html":
        env = ImmutableSandboxedEnvironment(autoescape=True, finalize=_html_finalize, **common)
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
