"""Sessions end after a stretch without requests (SESSION_COOKIE_AGE; staff sooner, STAFF_SESSION_IDLE_
SECONDS: they can change every organization).

Saving the session on every request would restart the idle clock exactly, at the price of a database write
on every page and autosave. Instead the session is saved again only when its clock is more than
REFRESH_SECONDS old, so a session ends between the idle time and the idle time plus REFRESH_SECONDS after
the last request, and most requests write nothing.
"""

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

REFRESH_SECONDS = 300
CLOCK = "_idle_clock"


def restart_idle_clock(request: HttpRequest, user) -> None:
    """Stamps the session (which saves it, with a new expiry), with the shorter expiry for staff."""
    request.session[CLOCK] = int(time.time())
    if user.is_staff:
        request.session.set_expiry(settings.STAFF_SESSION_IDLE_SECONDS)


def on_sign_in(sender, request: HttpRequest, user, **kwargs) -> None:
    """user_logged_in: the clock starts with the session."""
    restart_idle_clock(request, user)


def idle_session_timeout(get_response: Callable[[HttpRequest], HttpResponse]):
    def middleware(request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            stamped = request.session.get(CLOCK, 0)
            if time.time() - stamped > REFRESH_SECONDS:
                restart_idle_clock(request, user)
        return get_response(request)

    return middleware
