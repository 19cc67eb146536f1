from django.db import models


class Regime(models.TextChoices):
    ACT_2023 = "act_2023", "Procurement Act 2023"
    EARLIER = "earlier", "Earlier regime (Public Contracts Regulations 2015 and others)"


class ContractKind(models.TextChoices):
    GOODS = "goods", "Goods"
    SERVICES = "services", "Services"
    WORKS = "works", "Works"


class NoticeKind(models.TextChoices):
    """The notices a contract under the Act can owe. The Find a Tender code of each is
    ``notice_code(kind)`` in services (the payments compliance code is a setting)."""

    CONTRACT_DETAILS = "uk7", "Contract details notice (UK7)"
    PERFORMANCE = "uk9", "Contract performance notice (UK9)"
    BREACH = "uk9_breach", "Contract performance notice for a breach (UK9)"
    CHANGE = "uk10", "Contract change notice (UK10)"
    TERMINATION = "uk11", "Contract termination notice (UK11)"
    PAYMENTS_COMPLIANCE = "payments_compliance", "Payments compliance notice"
    PAYMENTS_OVER_30K = "payments_30k", "Payments over £30,000 (quarterly publication)"


class NoticeStatus(models.TextChoices):
    DUE = "due", "Due"
    DRAFTED = "drafted", "Drafted"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"
    NOT_REQUIRED = "not_required", "Not required"


#: Statuses in which a notice is still owed (counted as owed and, once late, overdue).
OPEN_NOTICE_STATUSES = (NoticeStatus.DUE, NoticeStatus.DRAFTED, NoticeStatus.APPROVED)


class ExemptionStatus(models.TextChoices):
    REQUESTED = "requested", "Waiting for SMG"
    APPROVED = "approved", "Recorded by SMG"
    REFUSED = "refused", "Refused"


class EndingReason(models.TextChoices):
    EXPIRY = "expiry", "The term came to an end (expiry)"
    BREACH = "breach", "Terminated for the provider's breach"
    MUTUAL = "mutual", "Ended early by agreement"
    CONVENIENCE = "convenience", "Terminated by the commissioner without breach"
    PROVIDER = "provider", "Terminated by the provider"
    OTHER = "other", "Another reason"
