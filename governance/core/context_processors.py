from django.conf import settings

from governance.core.models.alerts import Notification
from governance.core.navigation import menu_for, url_of


def service(request):
    context = {
        "service_name": settings.SERVICE_NAME,
        "commissioner_name": settings.COMMISSIONER_NAME,
    }
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        path = request.path

        context["unread_notifications"] = Notification.objects.for_user(user).unread().count()
        context["navigation"] = [
            {
                "label": item.label,
                "url": (url := url_of(item.url_name)),
                "active": path.startswith(item.section) or path == url,
            }
            for item in menu_for(user)
        ]
    return context
