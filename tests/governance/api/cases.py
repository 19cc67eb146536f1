"""The permission cases every API endpoint gets, as the pages get theirs
(``tests/view_cases.py``): anonymous 401, no role 403, out of scope 404 (and missing
from the list), readers served, auditors refused writes (403), and a constant number of
queries however many rows there are.

A read endpoint's cases borrow the records and the out-of-scope person from its page's
own view tests (``pages``), so the API is held to the same scope as the page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from governance.accounts import services as account_services
from governance.core import kept
from governance.core.roles import Role


def token_client(user) -> APIClient:
    """A client sending a new API token of ``user``."""
    _, key = account_services.api_token_create(user=user, name="Test script", days=30)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def session_client(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.django_db
class ApiReadCases:
    basename = ""
    pages = None  # the page's ModelViewTests class: its records, writer and scope

    @pytest.fixture(autouse=True)
    def _declared(self, make_user):
        self.cases = self.pages()
        self.cases.make_user = make_user
        self.cases.writer = self.cases.make_writer()
        self.make_user = make_user

    def make(self):
        return self.cases.make()

    def list_url(self) -> str:
        return reverse(f"api:{self.basename}-list")

    def detail_url(self, obj) -> str:
        return reverse(f"api:{self.basename}-detail", args=[obj.pk])

    def test_anonymous_callers_get_401(self):
        obj = self.make()
        for url in (self.list_url(), self.detail_url(obj)):
            response = APIClient().get(url)
            assert response.status_code == 401, url
            assert response["WWW-Authenticate"].startswith("Bearer")

    def test_callers_without_a_role_get_403(self):
        obj = self.make()
        client = token_client(self.make_user(role=None))
        for url in (self.list_url(), self.detail_url(obj)):
            assert client.get(url).status_code == 403, url

    def test_readers_get_the_list_and_each_record(self):
        obj = self.make()
        readers = [self.cases.writer, *(self.make_user(role=r) for r in self.cases.reader_roles)]
        for user in readers:
            for client in (token_client(user), session_client(user)):
                assert obj.pk in ids(client.get(self.list_url())), user
                response = client.get(self.detail_url(obj))
                assert response.status_code == 200, user
                assert response.json()["id"] == obj.pk

    def test_out_of_scope_records_are_404_and_missing_from_the_list(self):
        user, hidden = self.cases.out_of_scope(self.make_user)
        client = token_client(user)
        assert client.get(self.detail_url(hidden)).status_code == 404
        assert hidden.pk not in ids(client.get(self.list_url()))

    def test_auditors_cannot_write(self):
        obj = self.make()
        client = token_client(self.make_user(role=Role.AUDITOR))
        for url in (self.list_url(), self.detail_url(obj)):
            for method in ("post", "put", "patch", "delete"):
                response = getattr(client, method)(url, {}, format="json")
                assert response.status_code == 403, (method, url)

    def test_queries_do_not_grow_with_the_rows(self):
        self.make()
        client = token_client(self.cases.writer)

        def queries() -> int:
            kept.invalidate_access()
            with CaptureQueriesContext(connection) as captured:
                response = client.get(self.list_url())
            assert response.status_code == 200
            return len(captured)

        queries()  # the token's first use is noted once (last used); count after it
        few = queries()
        self.cases.make_many(4)
        many = queries()
        assert many == few, f"{few} queries for one row, {many} for five"
