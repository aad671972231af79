"""A database restart between two requests costs no request and no write (PostgreSQL): the connection the
app kept (CONN_MAX_AGE) is checked before reuse (CONN_HEALTH_CHECKS) and replaced."""

import psycopg2
import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse

from assessments.models import Vote

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="kills PostgreSQL backends (CI runs it)"),
]


def terminate_the_apps_connection():
    """What a restart or a failover does to the app: its server process goes, from outside."""
    pid = connection.connection.get_backend_pid()
    database = connection.settings_dict
    killer = psycopg2.connect(
        dbname=database["NAME"],
        user=database["USER"],
        host=database["HOST"] or None,
        port=database["PORT"] or None,
        password=database["PASSWORD"] or None,
    )
    killer.autocommit = True
    with killer.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    killer.close()


CSRF = "a" * 32  # a CSRF secret sent as cookie and header, as the page's JavaScript does


def serve(request_factory_call, cookies: dict[str, str]):
    """One request through Django's real WSGI handler, as a gunicorn worker runs it: unlike the test client,
    it lets the request start and end with Django's connection housekeeping, health check included."""
    environ = dict(request_factory_call.environ)
    environ["HTTP_COOKIE"] = "; ".join(f"{k}={v}" for k, v in {**cookies, "csrftoken": CSRF}.items())
    environ["HTTP_X_CSRFTOKEN"] = CSRF
    status = []
    body = b"".join(WSGIHandler()(environ, lambda s, headers, exc_info=None: status.append(s)))
    return int(status[0].split()[0]), body.decode()


def test_the_autosave_after_a_restart_is_saved_and_acknowledged(client, cast, open_assessment):
    client.force_login(cast.member)
    session = {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}
    factory = RequestFactory()
    assert serve(factory.get(reverse("assessments:vote", args=[open_assessment.pk])), session)[0] == 200
    code = cast.version.best_practices.order_by("pk").first().code
    terminate_the_apps_connection()
    status, body = serve(
        factory.post(
            reverse("assessments:vote_item", args=[open_assessment.pk, code]),
            {f"answer-{code}": "2"},
            HTTP_HX_REQUEST="true",
        ),
        session,
    )
    assert status == 200 and "Saved" in body
    assert Vote.objects.get(assessment=open_assessment, member=cast.member, item__code=code).answer == "2"


def test_the_health_check_after_a_restart_answers_ok(db):
    factory = RequestFactory()
    assert serve(factory.get(reverse("health")), {})[0] == 200
    terminate_the_apps_connection()
    assert serve(factory.get(reverse("health")), {}) == (200, '{"status": "ok"}')
