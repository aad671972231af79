"""Formatting of score changes in the results templates, the same words as in the chart tables."""

from django import template

from assessments.reports import formatting

register = template.Library()

register.filter("points_change", formatting.points_change)
register.filter("percent_change", formatting.signed)


@register.filter
def item_codes(items) -> str:
    """The codes of best practices in a sentence: "SI-1 and SI-5"."""
    return formatting.in_words([item.code for item in items])
