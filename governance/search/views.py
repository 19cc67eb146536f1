"""The search page behind the search box in the header."""

from django.core.exceptions import PermissionDenied
from django.views.generic import TemplateView

from governance.core.search import MAX_QUERY_CHARS
from governance.search.selectors import search


class SearchView(TemplateView):
    """Open to everyone with a role: each group of results holds only what the person
    may see of that kind, and nothing at all of a kind their roles do not cover. A
    person with no role yet is refused, as on every other page that shows records."""

    template_name = "search/results.html"

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not (user.is_superuser or user.groups.exists()):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "")[:MAX_QUERY_CHARS].strip()
        groups = search(self.request.user, query)
        return super().get_context_data(
            title=f"Search results for \u201c{query}\u201d" if query else "Search",
            query=query,
            groups=[group for group in groups if group.hits],
            searched=bool(groups),
            **kwargs,
        )
