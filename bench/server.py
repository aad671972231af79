"""implhub under gunicorn for a measurement: a server on a free port of 127.0.0.1 for as long as a block
runs, and a visitor who signs in and sends requests to it over plain HTTP. `make bench` and `make load`
both start their servers here."""

from __future__ import annotations

import contextlib
import http.client
import http.cookies
import os
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class BenchError(Exception):
    """A measurement cannot run, or a request did not answer as it should."""


class Browser:
    """A signed-in (or anonymous) visitor over plain HTTP: cookies, the CSRF token, a new connection per
    request (gunicorn's sync workers close each one)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None, htmx: bool = False):
        """(status, body, seconds) of one request, the whole body read."""
        headers = {"Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        if htmx:
            headers["HX-Request"] = "true"
        started = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        seconds = time.perf_counter() - started
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in http.cookies.SimpleCookie(header).items():
                if morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response.status, content, seconds

    def sign_in(self, username: str, password: str) -> None:
        self.request("GET", "/login/")
        form = {"username": username, "password": password, "csrfmiddlewaretoken": self.cookies["csrftoken"]}
        status, _body, _seconds = self.request("POST", "/login/", form)
        if status != 302:
            raise BenchError(f"{username} could not sign in (HTTP {status}): is the password {password!r}?")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def server(*, workers: int, scratch: Path) -> Iterator[int]:
    """implhub under gunicorn on a free port of 127.0.0.1, for as long as the block runs. It runs the
    settings and the database of this process's environment (DJANGO_SETTINGS_MODULE, DATABASE_URL);
    `scratch` is its runtime folder."""
    import gunicorn

    port = free_port()
    command = [
        sys.executable,
        *("-m", "gunicorn", "implhub.wsgi:application"),
        *("--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--timeout", "300"),
        *("--log-level", "warning", "--chdir", str(ROOT)),
    ]
    if gunicorn.version_info >= (27,):
        command.append("--no-control-socket")  # no socket in ~/.gunicorn for a throwaway server
    env = {**os.environ, "XDG_RUNTIME_DIR": str(scratch)}
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise BenchError(f"gunicorn stopped at start (exit {process.returncode})")
            with contextlib.suppress(OSError):
                if Browser(port).request("GET", "/health/")[0] == 200:
                    break
            if time.monotonic() > deadline:
                raise BenchError("gunicorn did not answer /health/ within a minute")
            time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
