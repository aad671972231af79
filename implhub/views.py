from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
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
    """For load balancers and uptime checks: 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
