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

SHIPPED_TEMPLATES = Path(stafett.__file__).resolve().parent.parent / "templates"


def shipped_dir() -> Path:
    if not (SHIPPED_TEMPLATES / "profiles").is_dir():
        from stafett.errors import StafettError

        raise StafettError(f"the shipped templates are missing ({SHIPPED_TEMPLATES})",
                           "reinstall stafett from a source checkout (pip install -e .)")
    return SHIPPED_TEMPLATES


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
    text = value if isinstance(value, markdown.MdSafe) else markdown.md_escape(value)
    return markdown.MdSafe(" ".join(text.split()))


def _md_finalize(value):
    if isinstance(value, markdown.MdSafe):
        return value
    if value is None:
        return ""
    return markdown.md_escape(value)


def _html_finalize(value):
    # None prints as nothing, never as the word "None".
    return "" if value is None else value


@lru_cache(maxsize=16)
def environment(fmt: str, dirs: tuple[Path, ...]) -> ImmutableSandboxedEnvironment:
    shipped = dirs[-1]
    loader = ChoiceLoader([
        FileSystemLoader([str(d) for d in dirs], encoding="utf-8"),
        PrefixLoader({"stafett": FileSystemLoader(str(shipped), encoding="utf-8")}),
    ])
    common = dict(loader=loader, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                  keep_trailing_newline=True, auto_reload=True)
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
    else:  # pragma: no cover - the CLI checks the format
        raise ValueError(fmt)
    env.globals["cells"] = cells
    return env
