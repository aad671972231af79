from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from implhub import views

admin.site.site_header = _("implhub administration")
admin.site.site_title = _("implhub admin")

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("content/", include("drivers.urls")),
    path("", include("assessments.urls")),
    path("admin/", admin.site.urls),
]
