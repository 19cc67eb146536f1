from django.urls import include, path
from rest_framework.routers import SimpleRouter

from governance.api import views

router = SimpleRouter()
for governed in views.API_LISTS:
    router.register(governed.prefix, governed.view(), basename=governed.basename)

app_name = "api"
urlpatterns = [
    path("schema/", views.SchemaView.as_view(), name="schema"),
    path("docs/", views.SwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", views.RedocView.as_view(url_name="api:schema"), name="redoc"),
    path("v1/", include(router.urls)),
]
