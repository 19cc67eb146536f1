import datetime
from decimal import Decimal

from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from governance.templatetags.govuk import money


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_dates_are_written_in_full():
    assert render("{{ d|date }}", d=datetime.date(2027, 3, 31)) == "31 March 2027"
    assert render("{{ d|govuk_date }}", d=datetime.date(2027, 3, 31)) == "31 March 2027"


def test_money_in_pounds_with_thousands_separators():
    assert money(Decimal("1234.56")) == "£1,234.56"
    assert money(Decimal("-1234.5")) == "-£1,234.50"
    assert money(2500000, pence=False) == "£2,500,000"
    assert money(None) == ""
    assert render("{{ v|money }}", v=Decimal("1234.56")) == "£1,234.56"


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False))
def test_money_reads_back_to_the_same_amount(amount):
    text = money(amount)
    assert Decimal(text.replace("£", "").replace(",", "")) == amount
