"""URL of the contract page."""

from django.urls import path

from contracts.overview.views import ContractDetail

urlpatterns = [
    path("contracts/<int:pk>/", ContractDetail.as_view(), name="contract_detail"),
]
