from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "contracts"
    verbose_name = "Contracts"

    def ready(self):
        # Features that act on the register's own steps join them here (see
        # contracts/register/hooks.py): the register never imports its features.
        from contracts.procurement import services as procurement
        from contracts.register import hooks

        hooks.add(hooks.ACTIVATION_CHECKS, procurement.activation_problems)
        hooks.add(hooks.STATUS_CHANGED, procurement.contract_status_changed)
        hooks.add(hooks.VARIATION_APPROVED, procurement.change_classify)
        hooks.add(hooks.VARIATION_HOLDS, procurement.change_hold)
