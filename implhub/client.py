"""The address a request comes from, for throttling sign-ins and for the log.

Behind a reverse proxy every request arrives from the proxy, and the client's address is the last one the
proxy appended to X-Forwarded-For. Anybody can send that header, though, so it is read only when the
settings say a trusted proxy sits in front (BEHIND_PROXY); otherwise REMOTE_ADDR is the client.
"""

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return request.META.get("REMOTE_ADDR", "")
