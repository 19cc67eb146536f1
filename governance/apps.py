from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_roles(sender, using="default", **kwargs):
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    from governance.core.roles import sync_role_groups

    # Permissions of every app must exist before groups are given them, whatever
    # order the post-migrate signals arrive in.
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    sync_role_groups(Group, Permission)


def _refresh_overall_statuses(sender, using="default", **kwargs):
    from governance.dashboard.status import refresh_missing

    refresh_missing(using=using)


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = "Governance"

    def ready(self):
        post_migrate.connect(_sync_roles, sender=self, dispatch_uid="governance-sync-roles")

        from governance.dashboard import status as overall_status

        overall_status.connect()

        from governance.core import kept

        kept.connect()

        from governance.accounts import services as accounts

        accounts.connect()
        post_migrate.connect(
            _refresh_overall_statuses, sender=self, dispatch_uid="governance-overall-status"
        )
