"""Django admin's changelist of contracts, the yardstick the contract list is timed
against: the same rows, columns, page size and search, with ``list_select_related``.

The admin is mounted here, for the benchmark only, rather than registered on the
product's admin site: the product changes a contract only through its services (the
status machine, approved variations, a recorded reason in the history), and an admin
form would go round all of them.
"""

from django.contrib import admin
from django.urls import path

from contracts.register.models.contracts import Contract
from contracts.register.views.contracts import ContractList, overall_label, quarter_label
from governance import urls as product_urls

#: Where the benchmark mounts its admin site (see ``urlpatterns``).
PREFIX = "benchmark-admin/"


class ContractAdmin(admin.ModelAdmin):
    """The contract list's table as an admin changelist."""

    list_display = (
        "reference",
        "title",
        "provider",
        "status",
        "overall_status",
        "latest_quarter",
        "tier",
        "annual_value",
        "current_end_date",
    )
    list_display_links = ("reference",)
    list_filter = ("status", "tier", "service_area")
    list_per_page = ContractList.paginate_by
    list_select_related = ("provider", "overall")
    search_fields = ContractList.filterset_class.search_fields
    ordering = ("reference",)

    @admin.display(description="Overall status", ordering="overall__status")
    def overall_status(self, contract):
        return overall_label(contract)

    @admin.display(description="Latest quarter", ordering="overall__quarter_starts_on")
    def latest_quarter(self, contract):
        return quarter_label(contract)


def benchmark_site() -> admin.AdminSite:
    """An admin site holding what the product's holds, plus contracts."""
    site = admin.AdminSite(name="benchmark_admin")
    for model, model_admin in admin.site._registry.items():
        site.register(model, type(model_admin))
    site.register(Contract, ContractAdmin)
    return site


site = benchmark_site()

# The product's pages with the benchmark's admin beside them: the benchmark swaps this
# in as ROOT_URLCONF while it times the changelist.
urlpatterns = [path(PREFIX, site.urls), *product_urls.urlpatterns]
handler403 = product_urls.handler403
handler404 = product_urls.handler404
handler500 = product_urls.handler500
