from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from assessments.access import organizations_in_navigation, portfolio_in_navigation


def navigation(request: HttpRequest) -> dict:
    """What the navigation offers beyond home: the portfolio, and the organizations the user administers
    (each asked only when a page shows the navigation)."""
    return {
        "shows_portfolio": SimpleLazyObject(lambda: portfolio_in_navigation(request.user)),
        "administered_organizations": SimpleLazyObject(lambda: organizations_in_navigation(request.user)),
    }
