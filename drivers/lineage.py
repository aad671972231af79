"""Which best practices and drivers of different framework versions are the same one.

A team's assessments may sit on different versions of the content. Wherever two of them are compared (the
change since the previous assessment, progress over time, the portfolio's driver columns, and later the
action loop and version upgrades) the items and drivers are matched by their *lineage key*, defined here
and nowhere else. Today an item continues the item of an earlier version that has the same code (`FA-3`),
and a driver the driver of the same code (`FA`); recorded renames, splits and merges will be added here
without touching the callers.

Each key comes two ways: from a row in memory, and as a database expression, so that a query can key its
rows the same way without a second round trip.
"""

from __future__ import annotations

from django.db.models import F

from drivers.models import BestPractice, Driver


def item_key(item: BestPractice) -> str:
    return item.code


def item_key_expression(path: str = "") -> F:
    """The lineage key of the item at `path` ("" for a BestPractice query, "item" for one of answers)."""
    return F(f"{path}__code" if path else "code")


def driver_key(driver: Driver) -> str:
    return driver.code


def driver_key_expression(path: str = "") -> F:
    """The lineage key of the driver at `path` ("" for a Driver query, "driver" for one of items)."""
    return F(f"{path}__code" if path else "code")
