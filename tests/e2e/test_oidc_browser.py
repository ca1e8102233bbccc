"""统一身份认证 in a real browser (issue 20): the login page's button, the local provider's
login form (identity/provider/server.mjs, started by scripts/services.sh), back on the portal
signed in as the new account; the identity page shows the real-name status."""
import pytest

import ckan.model as model

from ckanext.lyg_opendata.identity.oidc_model import OidcIdentity
from tests.identity.conftest import running_provider  # noqa: F401 - fixture
from tests.identity.oidc_provider import CITIZEN, ISSUER

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "running_provider")


def test_sign_in_through_the_provider(live_server, page):
    base = live_server
    page.goto(base + "/user/login")
    page.locator("#lyg-oidc-login").click()
    page.wait_for_url(ISSUER + "/interaction/**")
    page.fill("#login", CITIZEN["login"])
    page.fill("#password", "wrong-password")
    page.click("#submit")
    assert page.locator("#error").is_visible()
    page.fill("#login", CITIZEN["login"])
    page.fill("#password", CITIZEN["password"])
    page.click("#submit")
    page.wait_for_url(base + "/**")
    assert "/user/login" not in page.url
    [ident] = model.Session.query(OidcIdentity).all()
    assert model.User.get(ident.user_id).fullname == CITIZEN["name"]
    page.goto(base + "/user/identity")
    assert page.locator("#lyg-identity-real-name").count() == 1
    assert CITIZEN["name"] in page.content()


def test_a_clerk_signing_in_through_the_provider_is_asked_for_the_code(live_server, page, agency,
                                                                       monkeypatch):
    """The provider's sign-in of an agency editor stops at the second factor (set-up, then the
    code at the next sign-in): nobody is signed in by the provider alone."""
    import re
    import time

    import pyotp
    import ckan.plugins.toolkit as tk

    base = live_server

    def provider_sign_in():
        page.context.clear_cookies()
        page.goto(base + "/user/login")
        page.locator("#lyg-oidc-login").click()
        page.wait_for_url(ISSUER + "/interaction/**")
        page.fill("#login", CITIZEN["login"])
        page.fill("#password", CITIZEN["password"])
        page.click("#submit")
        page.wait_for_url(base + "/**")

    provider_sign_in()  # the account is made; then it becomes an agency editor
    [ident] = model.Session.query(OidcIdentity).all()
    user = model.User.get(ident.user_id)
    tk.get_action("organization_member_create")({"ignore_auth": True}, {
        "id": agency["id"], "username": user.name, "role": "editor"})
    monkeypatch.setitem(tk.config, "ckanext.lyg_opendata.identity.totp.required_for", ["agency"])

    provider_sign_in()
    assert page.url.endswith("/user/second-factor")
    secret = re.search(r'class="lyg-2fa-secret">([A-Z2-7]+)<', page.content()).group(1)
    page.goto(base + "/dashboard/datasets")
    assert "/user/login" in page.url  # not signed in
    page.goto(base + "/user/second-factor")
    page.fill("input[name=code]", pyotp.TOTP(secret).now())
    page.locator("input[name=code]").press("Enter")
    page.wait_for_selector(".lyg-2fa-code")
    page.locator("button.lyg-2fa-continue").click()
    page.wait_for_url(lambda url: "second-factor" not in url)

    provider_sign_in()
    assert page.url.endswith("/user/login/second-factor")
    page.fill("input[name=code]", pyotp.TOTP(secret).at(int(time.time()) + 30))
    page.locator("input[name=code]").press("Enter")
    page.wait_for_url(lambda url: "second-factor" not in url)
    page.goto(base + "/user/identity")
    assert page.locator("#lyg-identity-real-name").count() == 1
