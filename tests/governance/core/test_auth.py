import pytest
from django.urls import reverse

from governance.core.roles import Role

PASSWORD = "correct-horse-battery"


@pytest.mark.django_db
class TestSignIn:
    def test_login_page_is_open_to_everyone(self, client):
        response = client.get(reverse("login"))
        assert response.status_code == 200
        assert "Sign in" in response.content.decode()

    def test_every_other_page_needs_sign_in(self, client):
        for url in ("/home/", "/organisations/", "/contacts/", "/documents/1/download/"):
            response = client.get(url)
            assert response.status_code == 302, url
            assert response["Location"].startswith("/accounts/login/")

    def test_correct_password_signs_in_and_lands_on_home(self, client, make_user):
        user = make_user(role=Role.AUDITOR, username="sandra")
        response = client.post(reverse("login"), {"username": "sandra", "password": PASSWORD})
        assert response.status_code == 302
        assert response["Location"] == reverse("landing")
        assert client.get(reverse("landing"))["Location"] == reverse("home")
        home = client.get(reverse("home")).content.decode()
        assert "Auditor" in home
        assert user.first_name in home

    def test_wrong_password_gets_a_clear_message(self, client, make_user):
        make_user(role=Role.SMG, username="sandra")
        response = client.post(reverse("login"), {"username": "sandra", "password": "nope"})
        assert response.status_code == 200
        page = response.content.decode()
        assert "There is a problem" in page
        assert "correct username and password" in page
        assert "_auth_user_id" not in client.session

    def test_repeated_failures_lock_the_account_with_an_explanation(
        self, client, make_user, settings
    ):
        make_user(role=Role.SMG, username="sandra")
        for _ in range(settings.AXES_FAILURE_LIMIT):
            client.post(reverse("login"), {"username": "sandra", "password": "wrong"})
        # Even the right password is refused while locked.
        response = client.post(reverse("login"), {"username": "sandra", "password": PASSWORD})
        assert response.status_code == 429
        assert "Too many failed sign-in attempts" in response.content.decode()
        assert "_auth_user_id" not in client.session

    def test_a_lock_on_one_user_does_not_block_another(self, client, make_user, settings):
        make_user(role=Role.SMG, username="sandra")
        make_user(role=Role.SMG, username="morgan")
        for _ in range(settings.AXES_FAILURE_LIMIT):
            client.post(reverse("login"), {"username": "sandra", "password": "wrong"})
        response = client.post(reverse("login"), {"username": "morgan", "password": PASSWORD})
        assert response.status_code == 302

    def test_sign_out_needs_a_post_and_ends_the_session(self, client, make_user, login):
        login(make_user(role=Role.SMG))
        response = client.post(reverse("logout"))
        assert response.status_code == 302
        assert client.get(reverse("home")).status_code == 302

    def test_user_without_a_role_is_told_so(self, make_user, login):
        page = login(make_user()).get(reverse("home")).content.decode()
        assert "has no role yet" in page


@pytest.mark.django_db
class TestShell:
    def test_navigation_shows_only_what_the_role_may_use(self, make_user, login):
        provider_page = login(make_user(role=Role.PROVIDER)).get(reverse("home")).content.decode()
        assert 'href="/organisations/"' in provider_page
        no_role_page = login(make_user()).get(reverse("home")).content.decode()
        assert 'href="/organisations/"' not in no_role_page

    def test_header_shows_user_and_role(self, make_user, login):
        user = make_user(role=Role.AUDITOR)
        page = login(user).get(reverse("home")).content.decode()
        assert "Auditor" in page
        assert str(user) in page
        assert 'href="#main-content"' in page  # skip link
        assert 'media="print"' in page  # print stylesheet

    def test_missing_page_is_a_styled_404(self, make_user, login):
        response = login(make_user(role=Role.SMG)).get("/no-such-page/")
        assert response.status_code == 404
        assert "Page not found" in response.content.decode()

    def test_forbidden_page_is_a_styled_403(self, make_user, login):
        response = login(make_user()).get(reverse("contracts:organisation_list"))
        assert response.status_code == 403
        assert "You cannot use this page" in response.content.decode()

    def test_server_error_page_renders_without_a_request(self):
        from governance.core.views.pages import server_error

        response = server_error(None)
        assert response.status_code == 500
        assert "Sorry, there is a problem with the service" in response.content.decode()
