"""Helpers the tests of meetings, actions, decisions and the contact log share."""

from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError

from governance.core.roles import Role
from tests.checks import refused
from tests.contracts.register.factories import OrganisationFactory

# Roles that may use the pages but hold no say over a contract they are not officers of.
OUTSIDER_ROLES = (Role.CONTRACT_MANAGER, Role.SMG, Role.AUDITOR, Role.PROVIDER)


def outsiders(make_user, contract, roles=OUTSIDER_ROLES) -> list:
    """One user for each of ``roles``, none of them an officer of ``contract``; provider
    staff work for its provider."""
    return [
        make_user(role=role, organisation=contract.provider)
        if role == Role.PROVIDER
        else make_user(role=role)
        for role in roles
    ]


def refused_unchanged(service, state, record, /, **kwargs) -> ValidationError:
    """The ValidationError ``service(**kwargs)`` raises, having checked that
    ``state(record)`` is the same after as before: nothing was written."""
    before = state(record)
    error = refused(service, **kwargs)
    assert state(record) == before
    return error


def first_change(record) -> tuple:
    """Who made the only change in ``record``'s history, and why."""
    change = record.history.get()
    return (change.history_user, change.history_change_reason)


def latest_change(record) -> tuple:
    """Who made the latest change in ``record``'s history, and why."""
    change = record.history.order_by("-history_id").first()
    return (change.history_user, change.history_change_reason)


def provider_user_holding(make_user, codename: str, organisation=None):
    """A provider's member of staff (of an organisation of their own unless told), given
    the permission ``codename`` directly."""
    user = make_user(role=Role.PROVIDER, organisation=organisation or OrganisationFactory())
    user.user_permissions.add(Permission.objects.get(codename=codename))
    return user
