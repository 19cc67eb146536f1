import django_filters

from governance.filtersets import GovernanceFilterSet

from .choices import ContactRole, OrganisationKind
from .models import Contact, Organisation


class OrganisationFilterSet(GovernanceFilterSet):
    search_fields = ("name", "companies_house_number", "charity_number", "email", "notes")
    kind = django_filters.ChoiceFilter(choices=OrganisationKind.choices, label="Type")

    class Meta:
        model = Organisation
        fields = ["q", "kind"]


class ContactFilterSet(GovernanceFilterSet):
    search_fields = ("name", "job_title", "email", "organisation__name")
    organisation = django_filters.ModelChoiceFilter(
        queryset=lambda request: Organisation.objects.restrict(request.user, "view"),
        label="Organisation",
        empty_label="Any",
    )
    role = django_filters.ChoiceFilter(choices=ContactRole.choices)
    is_active = django_filters.BooleanFilter(
        label="Current contacts only",
        widget=django_filters.widgets.BooleanWidget(),
    )

    class Meta:
        model = Contact
        fields = ["q", "organisation", "role", "is_active"]
