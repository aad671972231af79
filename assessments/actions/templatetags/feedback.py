"""Lookups the comment templates need: an item's threads, a team's count of new comments."""

from django import template

from assessments.actions.selectors.comments import BODY_MAX_LENGTH, AssessmentThreads, ItemThreads, seen_key

register = template.Library()


@register.filter
def item_threads(comments: AssessmentThreads, item_code: str) -> ItemThreads | None:
    """The threads about one item of the assessment (None when it has none)."""
    return comments.by_item.get(item_code)


@register.filter
def count_for(counts: dict[int, int], team_id: int) -> int:
    """A team's number in a mapping of team id -> count (0 when absent)."""
    return counts.get(team_id, 0)


@register.simple_tag
def comment_max_length() -> int:
    """The longest comment the service accepts, for the forms' maxlength."""
    return BODY_MAX_LENGTH


@register.filter
def comment_seen_key(comment_id: int) -> str:
    """The key that marks a comment seen (the same in the coach queue and on the team page)."""
    return seen_key(comment_id)
