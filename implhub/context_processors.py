from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from assessments.access import navigation


def navigation_links(request: HttpRequest) -> dict:
    """What the navigation offers beyond home (asked only when a page shows the navigation)."""
    return {"navigation": SimpleLazyObject(lambda: navigation(request.user))}
