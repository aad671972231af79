"""The action plan in templates: `{% if row.response|needs_action %}` offers "Plan an action" beside an item
whose consensus answer leaves something to do (the rule is `selectors.plan.not_fully_in_place`)."""

from django import template

from assessments.actions.selectors.plan import not_fully_in_place

register = template.Library()

register.filter("needs_action", not_fully_in_place)
