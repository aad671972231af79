from django.urls import path

from drivers import views

app_name = "drivers"
urlpatterns = [
    path("", views.framework_list, name="framework_list"),
    path("<slug:framework_slug>/v<int:number>/", views.version_detail, name="version_detail"),
    path("<slug:framework_slug>/v<int:number>/export.json", views.version_export, name="version_export"),
    path("<slug:framework_slug>/compare/v<int:before>/v<int:after>/", views.version_compare, name="compare"),
]
