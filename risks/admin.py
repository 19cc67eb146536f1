from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from risks.models import Risk, RiskReview


class RiskReviewInline(admin.TabularInline):
    model = RiskReview
    extra = 0
    can_delete = False
    fields = ("reviewed_on", "reviewer", "likelihood", "impact", "score", "notes")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        # Reviews go through the review page, which moves the risk's scores with them.
        return False


@admin.register(Risk)
class RiskAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "contract", "kind", "owner", "residual_score", "status")
    list_filter = ("kind", "status", "level", "allocation", "category")
    search_fields = ("title", "description", "contract__reference")
    readonly_fields = ("inherent_score", "residual_score", "status", "closed_on", "closed_reason")
    inlines = [RiskReviewInline]
