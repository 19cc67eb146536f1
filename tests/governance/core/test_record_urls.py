"""A record's overview, edit form and history pages, declared at once."""

from django.views import View

from governance.core.record_urls import record_urls


class Detail(View):
    pass


class Update(View):
    pass


class History(View):
    pass


def _routes(patterns):
    return [(str(p.pattern), p.name) for p in patterns]


def test_overview_edit_and_history_under_the_record():
    assert _routes(
        record_urls("audits", "audit", detail=Detail, update=Update, history=History)
    ) == [
        ("audits/<int:pk>/", "audit_detail"),
        ("audits/<int:pk>/edit/", "audit_update"),
        ("audits/<int:pk>/history/", "audit_history"),
    ]


def test_a_record_without_an_edit_form_has_no_edit_page():
    assert _routes(record_urls("periods", "period", detail=Detail, history=History)) == [
        ("periods/<int:pk>/", "period_detail"),
        ("periods/<int:pk>/history/", "period_history"),
    ]
