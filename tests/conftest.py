import pytest
from django.core.management import call_command

from tests.factories import CONTENT_FILE


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def content(db):
    """The real framework content, as `make run` loads it: Implementation Drivers v1, published."""
    from drivers.models import FrameworkVersion

    call_command("load_framework", str(CONTENT_FILE), verbosity=0, stdout=None)
    return FrameworkVersion.objects.get(framework__slug="implementation-drivers", number=1)
