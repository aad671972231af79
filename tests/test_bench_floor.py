"""The benchmark's floor (bench/views.py): a page of exactly the size asked for, without a query, reachable
only under the benchmark's settings (bench/settings.py), which refuse production."""

import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings

from bench import settings as bench_settings

ROOT = django_settings.BASE_DIR


@pytest.fixture
def bench_urls(settings):
    settings.ROOT_URLCONF = bench_settings.ROOT_URLCONF
    settings.TEMPLATES = bench_settings.TEMPLATES


@pytest.mark.django_db
def test_the_floor_does_not_exist_under_implhubs_own_settings(client):
    assert client.get("/bench/floor/1000/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("size", [0, 99, 100, 101, 12_345])
def test_the_floor_answers_exactly_the_bytes_asked_for_without_a_query(
    client, bench_urls, django_assert_num_queries, size
):
    with django_assert_num_queries(0):
        response = client.get(f"/bench/floor/{size}/")
    assert response.status_code == 200
    assert len(response.content) == size


def test_the_benchmark_settings_refuse_production():
    env = {
        **os.environ,
        "IMPLHUB_ENV": "production",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "implhub.example.org",
    }
    imported = subprocess.run(
        [sys.executable, "-c", "import bench.settings"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert imported.returncode != 0
    assert "not for production" in imported.stderr
