"""Free text in a case is Markdown. Here it becomes safe HTML, or safe Markdown again.

- markdown-it-py with the CommonMark preset and raw HTML OFF (the preset's default passes raw HTML
  through), images off (a self-contained document loads nothing), and no live links at all: an
  http(s) or mailto link becomes its text followed by the address as text, "tekst (https://…)", so
  case text can neither load a tracking pixel nor send a reader to a host with one click.
  `javascript:`, `data:` (even images), `file:` and relative links stay the literal Markdown text.
- Headings inside free text would break the document's heading outline (one h1, ordered levels),
  so they become bold paragraphs.
- For Markdown output the parsed tree is written back as Markdown with every text run escaped, so
  raw HTML or link tricks in the source cannot reach whoever renders the Markdown next. That includes
  GitHub-flavoured autolinks: the colon of `https://` and the dot of `www.` are escaped, so a bare
  address stays text.
- `md_escape` escapes a plain string (a name, a place) for Markdown: inline-safe, one line, and
  safe inside a table cell.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape as html_escape

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode
from markupsafe import Markup

from stafett.i18n import _

SAFE_SCHEMES = ("http:", "https:", "mailto:")


class MdSafe(str):
    """Markdown that stafett produced and already escaped; the Markdown environment prints it as is."""

    __slots__ = ()


def _validate_link(url: str) -> bool:
    return url.strip().lower().startswith(SAFE_SCHEMES)


def _heading_open(self, tokens, idx, options, env):
    return "<p><strong>"


def _heading_close(self, tokens, idx, options, env):
    return "</strong></p>\n"


def _unlink(state) -> None:
    """Every link as its text, then ' (address)' as text; an autolink (<https://…>) as its address."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        out: list[Token] = []
        opened: list[Token] = []
        for token in block.children:
            if token.type == "link_open":
                opened.append(token)
            elif token.type == "link_close":
                link = opened.pop()
                if link.markup != "autolink":
                    shown = Token("text", "", 0)
                    shown.content = f" ({link.attrGet('href')})"
                    out.append(shown)
            else:
                out.append(token)
        block.children = out


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "xhtmlOut": False, "linkify": False, "typographer": False})
    md.disable("image")
    md.validateLink = _validate_link
    md.core.ruler.push("stafett_unlink", _unlink)
    md.add_render_rule("heading_open", _heading_open)
    md.add_render_rule("heading_close", _heading_close)
    return md


# Most free text in a case is plain sentences. Text with nothing Markdown could read as markup is
# rendered without the parser (the test suite checks both paths give the same result).
_MARKUP = re.compile(
    r"[\\`*_\[\]<>&#|~!\x00]|[^\S \n]"   # inline markup, entities, escapes, NUL, other spaces
    r"|://|(?i:www)\."                      # what GitHub's Markdown would turn into a link
    r"|^[ ]*(?:[-+=]|\d{1,9}[.)])"          # a list item, a setext underline (or a line the escaper marks)
    r"|^[ ]{4}|\n[ ]*\n|[ ]{2,}\n"           # indented code, several paragraphs, a hard break
    r"|^[ ]*$",                             # an empty line
    re.MULTILINE,
)


def _plain_lines(text: str) -> list[str] | None:
    """The lines of a one-paragraph text without markup, as markdown-it would keep them; else None."""
    if _MARKUP.search(text.strip("\n")) or not text.strip():
        return None
    return [line.strip(" ") for line in text.strip("\n").split("\n")]


def _escape_text(line: str) -> str:
    # markdown-it's escapeHtml: & < > and " (the fast path never sees & < >, but stay exact)
    return line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


# --- HTML ------------------------------------------------------------------------------------------

@lru_cache(maxsize=4096)
def to_html(text: str | None) -> Markup:
    """Free text as an HTML fragment (block level: <p>, <ul>, ...)."""
    if not text:
        return Markup("")
    lines = _plain_lines(str(text))
    if lines is not None:
        return Markup("<p>" + "\n".join(_escape_text(line) for line in lines) + "</p>")
    return Markup(parser().render(str(text)).strip())


@lru_cache(maxsize=4096)
def to_html_inline(text: str | None) -> Markup:
    """Free text where only phrasing content may stand (a table cell, a list line, a span): the
    inline markup is kept, paragraphs are joined by a line break and list items by '; '."""
    if not text:
        return Markup("")
    lines = _plain_lines(str(text))
    if lines is not None:
        return Markup("\n".join(_escape_text(line) for line in lines))
    md = parser()
    tokens = md.parse(str(text))
    tree = SyntaxTreeNode(tokens)
    parts = [p for node in tree.children for p in _html_phrasing(md, node)]
    return Markup("<br>".join(p for p in parts if p.strip()))


def _html_phrasing(md: MarkdownIt, node: SyntaxTreeNode) -> list[str]:
    if node.type in ("paragraph", "heading"):
        inline = node.children[0].to_tokens() if node.children else []
        html = md.renderer.render(inline, md.options, {}).strip()
        return [f"<strong>{html}</strong>" if node.type == "heading" else html]
    if node.type in LISTS:
        return ["; ".join(" ".join(p for child in item.children for p in _html_phrasing(md, child))
                          for item in node.children)]
    if node.type == "blockquote":
        return [" ".join(p for child in node.children for p in _html_phrasing(md, child))]
    if node.type in ("fence", "code_block"):
        return [f"<code>{html_escape(node.content.strip())}</code>"]
    return []


# --- Markdown --------------------------------------------------------------------------------------

_ALWAYS = re.compile(r"([\\`*_\[\]|#~])")
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
# At a line start: a list marker, a thematic break or setext underline, a blockquote.
_LINE_START = re.compile(r"^(\s*)(>|([-+=])(?=\s|$|\3)|\d{1,9}(?=[.)](?:\s|$)))")


_AUTOLINK = re.compile(r":(?=//)|(?<![^\W_])((?i:www))\.")


def _escape_run(text: str) -> str:
    text = _ALWAYS.sub(r"\\\1", text)
    text = _TAG_START.sub(r"\\<", text)
    text = _AUTOLINK.sub(lambda m: f"{m.group(1)}\\." if m.group(1) else "\\:", text)
    return _ENTITY.sub(r"\\&", text)


def _escape_line_start(line: str) -> str:
    m = _LINE_START.match(line)
    if not m:
        return line
    lead, mark = m.group(1), m.group(2)
    if mark.isdigit():  # "1. klasse" would start an ordered list: escape the dot or paren
        rest = line[m.end():]
        return f"{lead}{mark}\\{rest}"
    return f"{lead}\\{line[m.end(1):]}"


def md_escape(value: object) -> MdSafe:
    """A plain value as Markdown text: one line, no markup, safe in a paragraph, a list or a table cell."""
    text = " ".join(str(value).split())
    return MdSafe(_escape_line_start(_escape_run(text)))


def _inline(node: SyntaxTreeNode, cell: bool = False) -> str:
    """Inline children as Markdown. In a table cell a code span becomes escaped text: GFM tables split
    on '|' even inside code spans."""
    out: list[str] = []
    for child in node.children:
        kind = child.type
        if kind == "text":
            out.append(_escape_run(child.content))
        elif kind == "softbreak":
            out.append("\n")
        elif kind == "hardbreak":
            out.append("\\\n")
        elif kind == "em":
            out.append(f"*{_inline(child, cell)}*")
        elif kind == "strong":
            out.append(f"**{_inline(child, cell)}**")
        elif kind == "code_inline":
            out.append(_escape_run(child.content) if cell else _code_span(child.content))
        else:  # anything else (html_inline cannot occur with html off): its text, escaped
            out.append(_escape_run(child.content or ""))
    return "".join(out)


def _code_span(content: str) -> str:
    runs = [len(r) for r in re.findall(r"`+", content)]
    fence = "`" * (max(runs, default=0) + 1)
    pad = " " if content.startswith("`") or content.endswith("`") or not content.strip() else ""
    return f"{fence}{pad}{content}{pad}{fence}"


def _paragraph_lines(node: SyntaxTreeNode, strong: bool = False, cell: bool = False) -> list[str]:
    inline = node.children[0] if node.children else None
    text = _inline(inline, cell) if inline is not None else ""
    if strong and text:
        text = f"**{text}**"
    return [_escape_line_start(line) for line in text.split("\n")]


def _blocks(nodes: list[SyntaxTreeNode], tight: bool = False) -> list[str]:
    lines: list[str] = []
    previous = None
    for node in nodes:
        block = _list(node, after_list=previous == node.type) if node.type in LISTS else _block(node)
        previous = node.type
        if not block:
            continue
        if lines and not tight:
            lines.append("")
        lines.extend(block)
    return lines


LISTS = ("bullet_list", "ordered_list")


def _block(node: SyntaxTreeNode) -> list[str]:
    kind = node.type
    if kind == "paragraph":
        return _paragraph_lines(node)
    if kind == "heading":
        return _paragraph_lines(node, strong=True)
    if kind in LISTS:
        return _list(node)
    if kind == "blockquote":
        return [f"> {line}" if line else ">" for line in _blocks(node.children)]
    if kind in ("fence", "code_block"):
        content = node.content.rstrip("\n")
        runs = [len(r) for r in re.findall(r"^`{3,}", content, re.MULTILINE)]
        fence = "`" * max(3, max(runs, default=0) + 1)
        return [fence, *content.split("\n"), fence]
    if kind == "hr":
        return ["---"]
    return [_escape_run(node.content)] if node.content else []


def _list(node: SyntaxTreeNode, after_list: bool = False) -> list[str]:
    """A list with normalised markers: '-' and '1.'; a list right after another of its kind gets '+'
    or '1)', since the same marker would join the two. stafett's own field lists use '*', so free
    text followed by fields never merges into one list either."""
    ordered = node.type == "ordered_list"
    start = int(node.attrs.get("start", 1)) if ordered else 1
    items = node.children
    tight = all(p.hidden for item in items for p in item.children if p.type == "paragraph")
    delim = (")" if after_list else ".") if ordered else ("+" if after_list else "-")
    lines: list[str] = []
    for n, item in enumerate(items):
        marker = f"{start + n}{delim}" if ordered else delim
        pad = " " * (len(marker) + 1)
        body = _blocks(item.children, tight=tight) or [""]
        if lines and not tight:
            lines.append("")
        lines.append(f"{marker} {body[0]}".rstrip())
        lines.extend(f"{pad}{line}" if line else "" for line in body[1:])
    return lines


@lru_cache(maxsize=4096)
def to_markdown(text: str | None) -> MdSafe:
    """Free text as safe, normalised Markdown blocks."""
    if not text:
        return MdSafe("")
    lines = _plain_lines(str(text))
    if lines is not None:
        return MdSafe("\n".join(lines))
    tree = SyntaxTreeNode(parser().parse(str(text)))
    return MdSafe("\n".join(_blocks(tree.children)).strip("\n"))


def _cell_text(node: SyntaxTreeNode) -> list[str]:
    """The text of a block for a one-line cell: no block markers, every run escaped."""
    if node.type in ("paragraph", "heading"):
        return [" ".join(_paragraph_lines(node, strong=node.type == "heading", cell=True))]
    if node.type in ("bullet_list", "ordered_list"):
        return ["; ".join(" ".join(t for child in item.children for t in _cell_text(child)) for item in node.children)]
    if node.type == "blockquote":
        return [" ".join(t for child in node.children for t in _cell_text(child))]
    if node.type in ("fence", "code_block"):
        return [_escape_run(node.content)]
    return []


@lru_cache(maxsize=4096)
def to_markdown_inline(text: str | None) -> MdSafe:
    """Free text on one line (a table cell): blocks joined by ' / ', list items by '; '."""
    if not text:
        return MdSafe("")
    lines = _plain_lines(str(text))
    if lines is not None:
        return MdSafe(" ".join(" ".join(lines).split()))
    tree = SyntaxTreeNode(parser().parse(str(text)))
    parts = [t for node in tree.children for t in _cell_text(node)]
    joined = " / ".join(p for p in parts if p.strip())
    return MdSafe(_escape_line_start(" ".join(joined.split())))


# --- the whole Markdown document -------------------------------------------------------------------

@lru_cache(maxsize=1)
def _reader() -> MarkdownIt:
    """How a viewer reads the finished document: CommonMark with images and links."""
    return MarkdownIt("commonmark", {"html": True})


def remote_references(document: str) -> list[str]:
    """Images (any address) and links to another host in a finished Markdown document. Case text never
    makes one (it is escaped); a template can, and no policy guards a Markdown file in a viewer."""
    found = []
    for token in _reader().parse(document):
        for child in token.children or []:
            src = child.attrGet("src") if child.type == "image" else None
            href = child.attrGet("href") if child.type == "link_open" else None
            if child.type == "html_inline":
                found.append(_("raw HTML"))
            elif src is not None:
                found.append(_("an image ({address})").format(address=src[:40]))
            elif href and (href.lower().startswith(("http:", "https:", "//"))):
                found.append(_("a link to another host ({address})").format(address=href[:40]))
        if token.type == "html_block":
            found.append(_("raw HTML"))
    return found
