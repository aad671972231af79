import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("who", "shown"), [("coach", True), ("admin", True), ("member", False), ("facilitator", False)]
)
def test_the_portfolio_is_in_the_navigation_of_coaches_and_staff(client, cast, who, shown):
    client.force_login(getattr(cast, who))
    page = client.get(reverse("home")).content.decode()
    assert (f'href="{reverse("assessments:portfolio")}">Portfolio</a>' in page) is shown
