"""E-mail goes to the console unless an SMTP server is named; an explicit backend wins over both."""

from tests.test_settings import manage

SHOW = (
    "from django.conf import settings as s; "
    "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS, s.DEFAULT_FROM_EMAIL, sep='|')"
)
# Blank means the default for these (not for EMAIL_USE_TLS, where blank is "no", as for every yes/no value).
EMAIL_VARIABLES = ("EMAIL_HOST", "EMAIL_PORT", "EMAIL_BACKEND", "DEFAULT_FROM_EMAIL")


def email_settings(**env) -> list[str]:
    blank = dict.fromkeys(EMAIL_VARIABLES, "")
    result = manage("shell", "--no-imports", "-c", SHOW, **(blank | env))
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().split("|")


def test_email_goes_to_the_console_by_default():
    backend, _host, _port, _tls, sender = email_settings()
    assert backend == "django.core.mail.backends.console.EmailBackend"
    assert sender == "implhub <noreply@localhost>"


def test_naming_an_smtp_server_sends_through_it_with_starttls_on_587():
    assert email_settings(EMAIL_HOST="smtp.example.org", DEFAULT_FROM_EMAIL="Team <team@example.org>") == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.org",
        "587",
        "True",
        "Team <team@example.org>",
    ]


def test_an_explicit_backend_wins_and_a_nonsense_tls_value_fails_loudly():
    backend = email_settings(
        EMAIL_HOST="smtp.example.org", EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"
    )
    assert backend[0] == "django.core.mail.backends.dummy.EmailBackend"
    result = manage("check", EMAIL_HOST="smtp.example.org", EMAIL_USE_TLS="perhaps")
    assert result.returncode != 0
    assert "EMAIL_USE_TLS='perhaps' is not a yes/no value" in result.stderr
