import functools

from django.conf import settings
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from contracts.overview import selectors as overview_selectors
from contracts.register import selectors as register_selectors
from contracts.register.choices import ContractStatus
from contracts.register.services import contracts as services
from contracts.register.tabs import ContractTabs
from governance.core import kept
from governance.core.views.base import ObjectDetailView


class ContractDetail(ContractTabs, ObjectDetailView):
    """The overview tab. Its body is kept, once rendered, until a record changes or the
    day turns (``governance.core.kept``); its figures and people are read only when it
    is rendered afresh. Every viewer who may see the contract sees the same body, but
    for one difference: provider staff are not shown what the overall status rests on,
    so they have a kept copy of their own."""

    template_name = "contracts/contract_detail.html"

    def prepare_queryset(self, queryset):
        # The body shows the contract's provider, service area and overall status: read
        # with the contract (small tables, by key), so a body built afresh does not read
        # the contract again.
        return queryset.select_related(*overview_selectors.TERMS)

    def get_context_data(self, **kwargs):
        contract = self.object
        today = timezone.localdate()
        viewer = "provider" if self.request.user.is_provider_user else "commissioner"

        @functools.cache
        def with_people():
            return register_selectors.with_people(contract)

        context = super().get_context_data(
            # Read on first use, inside the kept block.
            people=SimpleLazyObject(with_people),
            summary=SimpleLazyObject(
                lambda: overview_selectors.contract_overview(with_people(), today)
            ),
            overview_key=kept.key("contract-overview", contract.pk, viewer, today.isoformat()),
            overview_seconds=settings.DASHBOARD_CACHE_SECONDS,
            **kwargs,
        )
        # Only those who may change the contract see its moves: each with what stops it
        # now, if anything, so a blocked move is shown disabled with why.
        context["transitions"] = (
            [
                {
                    "status": status,
                    "label": ContractStatus(status).label,
                    "reasons": services.transition_blockers(contract, status),
                }
                for status in services.allowed_transitions(contract)
            ]
            if context["can_change"]
            else []
        )
        return context
