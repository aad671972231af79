"""Content text in templates, through the one formatting subset of drivers/formatting.py:
`{{ item.statement|content }}` for a line, `{{ driver.definition|content_block }}` for paragraphs."""

from django import template

from drivers import formatting

register = template.Library()

register.filter("content", formatting.inline)
register.filter("content_block", formatting.paragraphs)
register.filter("content_plain", formatting.plain)
