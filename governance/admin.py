from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from governance.core.models.base import Document, User


@admin.register(User)
class UserAdmin(BaseUserAdmin, SimpleHistoryAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("Organisation", {"fields": ("organisation", "job_title")}),
    )
    list_display = ("username", "first_name", "last_name", "email", "organisation", "is_active")
    list_filter = ("groups", "is_active", "organisation")


@admin.register(Document)
class DocumentAdmin(SimpleHistoryAdmin):
    list_display = ("title", "version", "category", "content_type", "object_id", "uploaded_by")
    # Files come only through the record's documents tab and the services behind it,
    # where they are checked; here they can be seen but not added or replaced.
    readonly_fields = (
        "content_type",
        "object_id",
        "version",
        "file",
        "original_filename",
        "media_type",
        "size_bytes",
        "uploaded_by",
        "uploaded_at",
    )

    def has_add_permission(self, request):
        return False
