from django.db import models


class InvoiceStatus(models.TextChoices):
    """Where an invoice stands, worked out from its dates and dispute flag."""

    RECEIVED = "received", "Received"
    DISPUTED = "disputed", "Disputed"
    APPROVED = "approved", "Approved for payment"
    PAID = "paid", "Paid"
