"""Each person's notifications: what the daily sweep told them, newest first."""

import django_filters
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import TemplateView

from governance.core.alerting import Urgency
from governance.core.filtersets import PlainFilterSet
from governance.core.models.alerts import Notification


class NotificationFilterSet(PlainFilterSet):
    urgency = django_filters.ChoiceFilter(
        label="How urgent", field_name="alert__urgency", choices=Urgency.choices, empty_label="Any"
    )
    unread = django_filters.BooleanFilter(
        label="Unread only",
        method="filter_unread",
        widget=django_filters.widgets.BooleanWidget(),
    )

    class Meta:
        model = Notification
        fields = ["urgency", "unread"]

    def filter_unread(self, queryset, name, value):
        return queryset.filter(read_at__isnull=value) if value is not None else queryset


class NotificationList(TemplateView):
    """Open to every signed-in user; shows only their own notifications, the most urgent
    first (missed, due soon, for information), newest first within each, with how many
    of each are unread."""

    template_name = "governance/notifications.html"

    def get_context_data(self, **kwargs):
        mine = (
            Notification.objects.for_user(self.request.user)
            .select_related("alert")
            .order_by("alert__urgency", "-alert__created_at", "-pk")
        )
        filterset = NotificationFilterSet(self.request.GET or None, queryset=mine)
        rows = filterset.qs if not filterset.is_bound or filterset.is_valid() else mine.none()
        page = Paginator(rows, 25).get_page(self.request.GET.get("page"))
        unread = mine.unread().aggregate(
            **{f"u{u.value}": Count("pk", filter=Q(alert__urgency=u.value)) for u in Urgency}
        )
        groups = [
            {"urgency": u, "label": u.label, "unread": unread[f"u{u.value}"]} for u in Urgency
        ]
        return super().get_context_data(
            title="Notifications", filterset=filterset, page=page, groups=groups, **kwargs
        )


class NotificationOpen(View):
    """Marks a notification read and goes to the record it is about."""

    def get(self, request, pk):
        notification = get_object_or_404(
            Notification.objects.for_user(request.user).select_related("alert"), pk=pk
        )
        if notification.read_at is None:
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at"])
        target = notification.alert.url
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = reverse("governance:notification_list")
        return HttpResponseRedirect(target)


class NotificationsMarkRead(View):
    def post(self, request):
        Notification.objects.for_user(request.user).unread().update(read_at=timezone.now())
        return HttpResponseRedirect(reverse("governance:notification_list"))
