"""Response headers and session rules that apply to every page."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def permissions_policy(get_response: Callable[[HttpRequest], HttpResponse]):
    """Tells browsers that no page may use the camera, microphone, location and the like (settings.
    PERMISSIONS_POLICY), so injected content could not either."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response

    return middleware


def idle_session_timeout(get_response: Callable[[HttpRequest], HttpResponse]):
    """Staff sessions end sooner when idle than other people's (SESSION_COOKIE_AGE): staff can change
    every organization. The session is saved on every request (SESSION_SAVE_EVERY_REQUEST), so the
    expiry set here runs from the last request."""

    def middleware(request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            request.session.set_expiry(settings.STAFF_SESSION_IDLE_SECONDS)
        return get_response(request)

    return middleware
