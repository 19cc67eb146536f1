"""URL of the search box's results."""

from django.urls import path

from governance.search.views import SearchView

urlpatterns = [path("search/", SearchView.as_view(), name="search")]
