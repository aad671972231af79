from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from assessments.selectors import home_team_cards
from drivers.selectors import latest_published_version


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "home.html",
        {"cards": home_team_cards(user=request.user), "latest_version": latest_published_version()},
    )


@never_cache
def health(request: HttpRequest) -> HttpResponse:
    """For load balancers and uptime checks: 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


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
