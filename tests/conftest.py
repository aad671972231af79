import pytest
from django.core.management import call_command

from assessments.reports.charts.base import Chart
from tests.factories import CONTENT_FILE
from tests.plotly_figures import assert_plotly_figure


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def content(db):
    """The real framework content, as `make run` loads it: Implementation Drivers v1, published."""
    from drivers.models import FrameworkVersion

    call_command("load_framework", str(CONTENT_FILE), verbosity=0, stdout=None)
    return FrameworkVersion.objects.get(framework__slug="implementation-drivers", number=1)


@pytest.fixture(autouse=True)
def _charts_are_plotly_figures(monkeypatch):
    """Every chart a test draws, through a page or directly, is checked by plotly when the test ends."""
    drawn = []
    init = Chart.__init__

    def recorded(self, *args, **kwargs):
        init(self, *args, **kwargs)
        drawn.append(self)

    monkeypatch.setattr(Chart, "__init__", recorded)
    yield
    for chart in drawn:
        assert_plotly_figure(chart.figure)
        if chart.narrow is not None:
            assert_plotly_figure(chart.narrow)
