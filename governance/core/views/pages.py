from django.shortcuts import render
from django.views.generic import RedirectView, TemplateView

from governance.core.navigation import items_for, landing_url


class LandingView(RedirectView):
    """Where signing in leads: each role's own work (the SMG's dashboard, a contract
    manager's contracts, a provider's returns), or the home page."""

    permanent = False
    http_method_names = ["get", "head", "options"]

    def get_redirect_url(self, *args, **kwargs):
        return landing_url(self.request.user)


class HomeView(TemplateView):
    template_name = "governance/home.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            roles=user.role_labels,
            destinations=[item for item in items_for(user) if item.url_name != "home"],
            **kwargs,
        )


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # Rendered without the request context: the error may have come from it.
    return render(None, "500.html", status=500)
