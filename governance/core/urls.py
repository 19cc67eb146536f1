"""URLs of the shared pages: notifications and prepared exports."""

from django.urls import path

from governance.core.views.exports import ExportDetail, ExportDownload
from governance.core.views.notifications import (
    NotificationList,
    NotificationOpen,
    NotificationsMarkRead,
)

urlpatterns = [
    path("notifications/", NotificationList.as_view(), name="notification_list"),
    path("notifications/<int:pk>/", NotificationOpen.as_view(), name="notification_open"),
    path("notifications/read/", NotificationsMarkRead.as_view(), name="notification_mark_read"),
    path("exports/<int:pk>/", ExportDetail.as_view(), name="export_detail"),
    path("exports/<int:pk>/download/", ExportDownload.as_view(), name="export_download"),
]
