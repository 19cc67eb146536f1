from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from contracts.register.models.organisations import Contact, Organisation


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "companies_house_number", "email")
    list_filter = ("kind",)
    search_fields = ("name", "companies_house_number")
    inlines = [ContactInline]


@admin.register(Contact)
class ContactAdmin(SimpleHistoryAdmin):
    list_display = ("name", "organisation", "role", "email", "is_active")
    list_filter = ("role", "is_active")
    search_fields = ("name", "email", "organisation__name")
