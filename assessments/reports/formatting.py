"""How the read side writes numbers, changes and dates: the same words in charts, tables, pages and files."""

from __future__ import annotations

import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from assessments.scoring import whole

DASH = "—"  # nothing to show: no score, nothing to compare with


def percent(value: float | None) -> str:
    if value is None:
        return DASH
    # Translators: a score in percent, e.g. "83%".
    return _("%(percent)d%%") % {"percent": whole(value)}


def in_words(words: list[str]) -> str:
    """A list in a sentence: "SI-1", "SI-1 and SI-5", "FA-2, SI-1 and SI-5"."""
    if len(words) < 2:
        return "".join(words)
    # Translators: the end of a list in a sentence, e.g. "FA-2, SI-1 and SI-5".
    return _("%(items)s and %(last)s") % {"items": ", ".join(words[:-1]), "last": words[-1]}


def day(date: datetime.date) -> str:
    """1 May 2026: the date as every page of implhub writes it."""
    return date_format(date, "j M Y")


def signed(value: float | None) -> str:
    """A change in percentage points: "+5 pts", "-3 pts", "±0 pts"."""
    if value is None:
        return DASH
    points = whole(value)
    # Translators: a change in percentage points, always with its sign: "+5 pts", "-3 pts".
    return _("%(points)+d pts") % {"points": points} if points else _("±0 pts")


def points_change(value: int | None) -> str:
    """An item's change in points: "+1", "-2", "no change"."""
    if value is None:
        return DASH
    return f"{value:+d}" if value else _("no change")
