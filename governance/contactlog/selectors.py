from django.db.models import QuerySet

from governance.contactlog.models import ContactLogEntry


def contact_log_list(user) -> QuerySet[ContactLogEntry]:
    return (
        ContactLogEntry.objects.restrict(user, "view")
        .select_related("contract", "contract__provider", "recorded_by", "follow_up_entry")
        .prefetch_related("commissioner_participants", "provider_participants")
    )
