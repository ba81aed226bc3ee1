"""HTML and Markdown -> readable text, with the title and date their metadata carries.

Why: the analysis reads prose, not markup. The text is reduced to its paragraphs, separated by
blank lines like a plain-text article; the title is kept apart (never prepended to the text), and
an HTML page is never fetched from here (:mod:`geo.read.url` fetches). A page the HTML parser
gives up on (elements nested more than 256 deep, libxml2's limit) is refused with that reason, not
read as an empty page.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from geo.errors import DocumentError
from geo.read.extracted import Extracted, clean_title

if TYPE_CHECKING:
    import lxml.html

__all__ = ["extract_html", "markdown_to_text"]


def extract_html(html: str) -> Extracted:
    """(body text with paragraphs separated by blank lines, title, metadata date); never fetches.

    Raises DocumentError (without a file name) if the HTML parser gives up on the page: what follows
    the point where it stopped would be lost without a word.
    """
    import trafilatura

    root, problem = _parse_html(html)
    if problem:
        raise DocumentError(problem)
    result = None
    try:
        result = trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            include_images=False,
            include_links=False,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception:  # trafilatura fails on odd markup; the visible-text fallback still works
        result = None
    body = getattr(result, "text", None) or ""
    title = clean_title(getattr(result, "title", None)) or _html_title(root)
    published = _iso_date(getattr(result, "date", None))
    if not body.strip():
        body = _visible_text(root)
    return _paragraphs(body), title, published


def _paragraphs(body: str) -> str:
    """One paragraph per non-empty line, paragraphs separated by a blank line."""
    lines = (" ".join(line.split()) for line in body.splitlines())
    return "\n\n".join(line for line in lines if line)


def _iso_date(value: str | None) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


_INVISIBLE_TAGS = ("script", "style", "noscript", "template", "head", "svg", "iframe", "object")
_BLOCK_TAGS = frozenset(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 tr td th table section article header footer "
    "blockquote pre figcaption dd dt dl aside nav main address hr".split()
)


_XML_DECLARATION = re.compile(r"\A\s*<\?xml[^>]*>")
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
"""Characters an lxml tree can hold but not be given (:func:`_visible_text` sets texts): spaces here."""


def _parse_html(html: str) -> tuple[lxml.html.HtmlElement | None, str | None]:
    """The page's tree (None if lxml finds no document), and why the parser gave up part-way, if it did."""
    import lxml.html
    from lxml import etree

    parser = lxml.html.HTMLParser()
    markup = _NOT_IN_XML.sub(" ", _XML_DECLARATION.sub("", html, count=1))
    try:  # lxml refuses str input that declares an encoding
        root = lxml.html.document_fromstring(markup, parser=parser)
    except (etree.ParserError, ValueError):
        return None, None
    fatal = [error.message for error in parser.error_log if error.level == etree.ErrorLevels.FATAL]
    return root, _parser_problem(fatal[0]) if fatal else None


def _parser_problem(message: str) -> str:
    """libxml2's fatal error in a user's words (its own text names its C options)."""
    if "depth" in message.lower():
        return "the HTML is nested too deeply (more than 256 elements inside one another)"
    return f"the HTML parser gave up ({message.split(',')[0].strip()})"


def _visible_text(root: lxml.html.HtmlElement | None) -> str:
    """Text a browser would show: no script/style, one line per block element (changes ``root``)."""
    if root is None:
        return ""
    for element in list(root.iter(*_INVISIBLE_TAGS)):
        if element.getparent() is not None:
            element.drop_tree()
    for element in root.iter(*_BLOCK_TAGS):
        element.tail = "\n" + (element.tail or "")
        element.text = "\n" + (element.text or "")
    body = root.find("body")
    return (body if body is not None else root).text_content()


def _html_title(root: lxml.html.HtmlElement | None) -> str | None:
    title = root.findtext(".//title") if root is not None else None
    return clean_title(title)


_TARGET = r"\((?:[^()\n]|\([^()\n]*\))*\)"
"""A link's target in parentheses, which may hold one pair of its own (Wikipedia's ``Foo_(bar)``)."""
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_MARKDOWN_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.M), replacement)
    for pattern, replacement in (
        (r"<!--(?:(?!<!--).)*?-->", ""),  # one-line comments (a comment cannot hold another's start)
        (r"^[ \t]*(?:```|~~~).*$", ""),  # code fence lines (the code itself stays)
        (r"^[ \t]*\[[^\]\n]+\]:[ \t]+\S.*$", ""),  # reference link definitions
        (r"^[ \t]*(?:[-*_][ \t]*){3,}$", ""),  # horizontal rules
        (r"^[ \t]*(?:=+|-+)[ \t]*$", ""),  # setext heading underlines
        (r"^[ \t]{0,3}#{1,6}[ \t]+(.*?)[ \t]*#*[ \t]*$", r"\n\1\n"),  # ATX headings: own paragraph
        (r"^[ \t]*>[ \t]?", ""),  # block quotes
        (r"^([ \t]*)[-*+][ \t]+", r"\1"),  # bullets (numbers stay: "12. September" may be a date)
        (rf"!\[([^\[\]\n]*)\]{_TARGET}", r"\1"),  # images -> alt text
        (rf"\[([^\[\]\n]+)\](?:{_TARGET}|\[[^\[\]\n]*\])", r"\1"),  # links -> link text
        (r"<(https?://[^<>\s]+)>", r"\1"),  # autolinks
        (r"(\*\*|__)(?=\S)((?:(?!\1).)+?)(?<=\S)\1", r"\2"),  # strong
        (r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])", r"\1"),  # emphasis
        (r"`([^`\n]+)`", r"\1"),  # inline code
    )
)


def markdown_to_text(markdown: str) -> Extracted:
    """(readable text, title, date) from Markdown; YAML front matter may carry title and date."""
    title, published, body = None, None, markdown
    front = _FRONT_MATTER.match(markdown)
    if front:
        fields = dict(_front_matter_fields(front[1]))
        title, published = fields.get("title"), _iso_date(fields.get("date"))
        body = markdown[front.end() :]
    for pattern, replacement in _MARKDOWN_RULES:
        body = pattern.sub(replacement, body)
    return re.sub(r"\n[ \t]*\n(?:[ \t]*\n)+", "\n\n", body).strip("\n"), title, published


def _front_matter_fields(block: str) -> Iterator[tuple[str, str]]:
    for line in block.splitlines():
        key, colon, value = line.partition(":")
        if colon and key.strip() and value.strip():
            yield key.strip().lower(), value.strip().strip("\"'")
