from django.urls import path

from drivers import views

app_name = "drivers"
urlpatterns = [
    path("", views.framework_list, name="framework_list"),
    path("<slug:framework_slug>/v<int:number>/", views.version_detail, name="version_detail"),
]
