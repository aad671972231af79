from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def navigation(request: HttpRequest) -> dict:
    """Whether the navigation offers the portfolio: to coaches and staff. Asked only when a page shows it."""

    def shows_portfolio() -> bool:
        user = request.user
        if not user.is_authenticated:
            return False
        return user.is_staff or user.coach_assignments.exists()

    return {"shows_portfolio": SimpleLazyObject(shows_portfolio)}
