"""Formatting of score changes in the results templates, the same words as in the chart tables."""

from django import template

from assessments.charts import signed

register = template.Library()


@register.filter
def points_change(value: int | None) -> str:
    """An item's change in points: "+1", "-2", "no change", or a dash when there is nothing to compare."""
    if value is None:
        return "—"
    return f"{value:+d}" if value else "no change"


@register.filter
def percent_change(value: float | None) -> str:
    return signed(value)
