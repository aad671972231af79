from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from assessments.access import portfolio_in_navigation


def navigation(request: HttpRequest) -> dict:
    """Whether the navigation offers the portfolio (asked only when a page shows the navigation)."""
    return {"shows_portfolio": SimpleLazyObject(lambda: portfolio_in_navigation(request.user))}
