from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from disputes.models.disputes import Dispute
from disputes.models.exclusions import Exclusion


class ReadOnlyAdmin(SimpleHistoryAdmin):
    """Read-only: disputes and exclusions change only through the procedure's services."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Dispute)
class DisputeAdmin(ReadOnlyAdmin):
    """Read-only: disputes move only through the procedure's services."""

    list_display = ("__str__", "contract", "stage", "is_significant", "raised_on")
    list_filter = ("stage", "nature", "is_significant")
    search_fields = ("title", "contract__reference")


@admin.register(Exclusion)
class ExclusionAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "reason", "start_date", "end_date")
