"""implhub's URLs and the benchmark's floor (bench/views.py), for bench/settings.py only."""

from django.urls import path

from bench import views
from implhub.urls import handler500
from implhub.urls import urlpatterns as implhub_urlpatterns

urlpatterns = [path("bench/floor/<int:size>/", views.floor, name="bench_floor"), *implhub_urlpatterns]

__all__ = ["handler500", "urlpatterns"]
