"""The formatting of content text: the one small, safe subset that statements, guidance, definitions,
rubric text and the introduction may use.

The source texts stress a word now and then (FA-6: "share information ... *and* receive and respond to
feedback"), and that stress is part of the text, so the content keeps it with markers:

- `*words*` is emphasis, `**words**` is strong;
- a blank line starts a new paragraph (block text only);
- nothing else. Any HTML in the text is shown as text: everything is escaped first, and the only tags
  written are the three above, always balanced.

A marker counts only at the edge of a word: it opens before a non-space and after a space, a line's
start or punctuation, and closes after a non-space and before a space, the end or punctuation. A `*`
inside a word (`2*3`, `un*fair*ly`) or one without its partner stays a `*`. Emphasis never spans a
paragraph or the edge of a strong part, so the markup written is always well nested.

Files (CSV, XLSX, content files) keep the text as stored, markers included; `plain` gives the text
without markers where no HTML can be written (chart hover text).
"""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

# What may stand before an opening marker and after a closing one: not a letter, digit or another `*`.
_STRONG = re.compile(r"(?<![\w*])\*\*(?=[^\s*])(.+?)(?<=[^\s*])\*\*(?![\w*])")
_EMPHASIS = re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_EM = r"<em>\1</em>"
# The start of an HTML tag, comment or declaration: "<b", "</p", "<!--" (a "<" before a space is text).
_TAG = re.compile(r"<[A-Za-z/!?][^<>]{0,40}>?")


def _inline(text: str, *, strong: str = "<strong>{}</strong>", emphasis: str = _EM) -> str:
    """Strong parts first, then emphasis within each strong part and within the text between them."""
    out, end = [], 0
    for match in _STRONG.finditer(text):
        out.append(_EMPHASIS.sub(emphasis, text[end : match.start()]))
        out.append(strong.format(_EMPHASIS.sub(emphasis, match.group(1))))
        end = match.end()
    out.append(_EMPHASIS.sub(emphasis, text[end:]))
    return "".join(out)


def inline(text: str) -> SafeString:
    """One line of content (a statement, a heading): emphasis and strong, line breaks as spaces kept."""
    return mark_safe(_inline(escape(text or "")))  # escaped above; only our tags are added


def paragraphs(text: str) -> SafeString:
    """Block content (a definition, guidance, the introduction): paragraphs at blank lines, a single line
    break kept as a break."""
    parts = [p.strip() for p in _PARAGRAPH_BREAK.split((text or "").strip()) if p.strip()]
    html = "".join("<p>" + _inline(escape(p)).replace("\n", "<br>") + "</p>" for p in parts)
    return mark_safe(html)  # escaped above; only our tags are added


def plain(text: str) -> str:
    """The text as a reader sees it, without the markers (where only plain text can be shown)."""
    return _inline(text or "", strong="{}", emphasis=r"\1")


def markup_problem(text: str) -> str | None:
    """What is wrong with the markup of a content text, or None. HTML is refused where content is written
    (the admin, content files), so that nobody believes a tag they typed will work; pages escape it anyway."""
    tag = _TAG.search(text or "")
    if tag is None:
        return None
    return gettext(
        "contains HTML (%(tag)s); content text may use only *emphasis*, **strong** and a blank line "
        "between paragraphs"
    ) % {"tag": tag.group(0)}
