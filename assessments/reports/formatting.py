"""How the read side writes numbers, changes and dates: the same words in charts, tables, pages and files."""

from __future__ import annotations

import datetime

from django.utils.formats import date_format

from assessments.scoring import whole

DASH = "—"  # nothing to show: no score, nothing to compare with


def percent(value: float | None) -> str:
    return DASH if value is None else f"{whole(value)}%"


def day(date: datetime.date) -> str:
    """1 May 2026: the date as every page of implhub writes it."""
    return date_format(date, "j M Y")


def signed(value: float | None) -> str:
    """A change in percentage points: "+5 pts", "-3 pts", "±0 pts"."""
    if value is None:
        return DASH
    points = whole(value)
    return f"{points:+d} pts" if points else "±0 pts"


def points_change(value: int | None) -> str:
    """An item's change in points: "+1", "-2", "no change"."""
    if value is None:
        return DASH
    return f"{value:+d}" if value else "no change"
