"""URL converters for content codes: a URL names a best practice (`FA-3`) or a driver (`FA`) only in the
characters a code may have, so anything else (a slash, a NUL, a space) is a 404 before a view runs."""

from django.urls import register_converter


class ItemCode:
    regex = r"[A-Za-z0-9][A-Za-z0-9._-]{0,15}"  # BestPractice.code: at most 16 characters

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class DriverCode(ItemCode):
    regex = r"[A-Za-z0-9][A-Za-z0-9_-]{0,11}"  # Driver.code: at most 12 characters


def register() -> None:
    register_converter(ItemCode, "item")
    register_converter(DriverCode, "driver")
