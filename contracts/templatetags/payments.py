"""What a payments notice publishes, shown on the notice's page: the figures of the
payments compliance notice or the payments over the threshold, from the invoice
register."""

from django import template
from django.conf import settings

from contracts.procurement.choices import NoticeKind
from contracts.procurement.payments.notices import notice_payment_figures

register = template.Library()


@register.inclusion_tag("contracts/procurement/invoices/_notice_figures.html")
def payment_figures(notice):
    if notice.kind not in (NoticeKind.PAYMENTS_COMPLIANCE, NoticeKind.PAYMENTS_OVER_30K):
        return {"shown": False}
    return {
        "shown": True,
        "notice": notice,
        "compliance": notice.kind == NoticeKind.PAYMENTS_COMPLIANCE,
        "payment_days": settings.PROCUREMENT_INVOICE_PAYMENT_DAYS,
        **notice_payment_figures(notice),
    }
