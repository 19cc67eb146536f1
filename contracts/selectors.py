from django.db.models import Count, Q, QuerySet

from .models import Contact, Organisation


def organisation_list(user) -> QuerySet[Organisation]:
    return Organisation.objects.restrict(user, "view").annotate(
        contact_count=Count("contacts", filter=Q(contacts__is_active=True))
    )


def contact_list(user) -> QuerySet[Contact]:
    return Contact.objects.restrict(user, "view").select_related("organisation")
