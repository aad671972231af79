import sys

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from assessments.actions.selectors.comments import new_comment_counts
from assessments.reports.queue import coach_queue
from assessments.selectors import home_team_cards
from drivers.selectors import latest_published_version


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "home.html",
        {
            "cards": home_team_cards(user=request.user),
            "latest_version": latest_published_version(),
            "new_comments": new_comment_counts(user=request.user),
            "queue": coach_queue(user=request.user),
        },
    )


@never_cache
def health(request: HttpRequest) -> HttpResponse:
    """For load balancers and uptime checks: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except (OperationalError, InterfaceError):
        return JsonResponse({"status": "database unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


# Seconds after which a browser or a proxy may try again while the database is unreachable.
RETRY_AFTER_SECONDS = 30


def server_error(request: HttpRequest) -> HttpResponse:
    """The answer to an unexpected error (handler500). An unreachable database (a restart, a failover) is
    not the page's fault and passes: it gets 503 with Retry-After and says so. The page is rendered
    without the request's context, whose navigation and user would need the database."""
    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        page = loader.render_to_string(
            "server_error.html",
            {
                "title": _("implhub cannot reach its database"),
                "explanation": _(
                    "Nothing you saved before this is lost. Wait a minute and try again; what you were "
                    "typing is still in the page you came from."
                ),
            },
        )
        response = HttpResponse(page, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    page = loader.render_to_string(
        "server_error.html",
        {
            "title": _("Something went wrong on our side"),
            "explanation": _("The error is logged for the people who run implhub. Try again in a moment."),
        },
    )
    return HttpResponse(page, status=500)


def sign_in_paused(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """What django-axes answers a sign-in while the account is paused from this address (429): how long
    the pause lasts and how to get back in sooner."""
    return render(
        request,
        "registration/locked_out.html",
        {
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        },
        status=429,
    )
