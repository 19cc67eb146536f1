"""The contracts app's URLs: the register's, the contract page's and each feature's."""

from contracts.assurance import urls as assurance
from contracts.exit import urls as exit_
from contracts.overview import urls as overview
from contracts.performance import urls as performance
from contracts.procurement import urls as procurement
from contracts.procurement.ocds import urls as ocds
from contracts.procurement.payments import urls as payments
from contracts.procurement.performance import urls as procurement_performance
from contracts.register import urls as register

app_name = "contracts"

urlpatterns = [
    *register.urlpatterns,
    *overview.urlpatterns,
    *assurance.urlpatterns,
    *performance.urlpatterns,
    *exit_.urlpatterns,
    *procurement.urlpatterns,
    *payments.urlpatterns,
    *ocds.urlpatterns,
    *procurement_performance.urlpatterns,
]
