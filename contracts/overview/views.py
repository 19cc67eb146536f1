from contracts.overview import selectors as overview_selectors
from contracts.register import selectors as register_selectors
from contracts.register.choices import ContractStatus
from contracts.register.services import contracts as services
from contracts.register.tabs import ContractTabs
from governance.core.views.base import ObjectDetailView


class ContractDetail(ContractTabs, ObjectDetailView):
    template_name = "contracts/contract_detail.html"

    def get_context_data(self, **kwargs):
        contract = register_selectors.with_people(self.object)
        return super().get_context_data(
            summary=overview_selectors.contract_overview(contract),
            transitions=[
                {"status": status, "label": ContractStatus(status).label}
                for status in services.allowed_transitions(contract)
            ],
            **kwargs,
        )
