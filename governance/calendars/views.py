"""The calendar feed itself, read by calendar applications without signing in, and
the account page that shows its address and replaces it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View
from django.views.generic import TemplateView

from governance.calendars import selectors, services
from governance.core.ical import build_calendar, calendar_response


@method_decorator(login_not_required, name="dispatch")
class CalendarFeedView(View):
    """The deadlines of whoever the address belongs to. An unknown or replaced address
    is "not found", the same as any page that does not exist."""

    http_method_names = ["get", "head"]

    def get(self, request, token):
        user = services.calendar_feed_owner(token)
        if user is None:
            raise Http404("No calendar has this address.")
        occasions = selectors.calendar_occasions(user, today=timezone.localdate())
        calendar = build_calendar(
            occasions, name="Contract deadlines", base_url=request.build_absolute_uri("/")
        )
        return calendar_response(calendar, filename="deadlines.ics", attachment=False)


class AccountCalendarView(TemplateView):
    """The person's feed address, how to subscribe to it, and a button to replace it."""

    template_name = "calendars/account_calendar.html"

    def get_context_data(self, **kwargs):
        feed = services.calendar_feed_for(user=self.request.user)
        feed_url = self.request.build_absolute_uri(
            reverse("calendar_feed", kwargs={"token": feed.token})
        )
        return super().get_context_data(
            title="Your calendar feed",
            feed=feed,
            feed_url=feed_url,
            # Calendar applications subscribe with webcal:// and fetch over HTTPS or HTTP.
            webcal_url="webcal://" + feed_url.split("://", 1)[1],
            **kwargs,
        )

    def post(self, request):
        services.calendar_feed_reset(user=request.user)
        messages.success(
            request,
            "Your calendar feed has a new address. The old one no longer works: "
            "subscribe again with the new one.",
        )
        return redirect("account_calendar")
