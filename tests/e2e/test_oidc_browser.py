"""统一身份认证 in a real browser (issue 20): the login page's button, the local provider's
login form (identity/provider/server.mjs, started by scripts/services.sh), back on the portal
signed in as the new account; the identity page shows the real-name status."""
import pytest

import ckan.model as model

from ckanext.lyg_opendata.identity.oidc_model import OidcIdentity
from tests.identity.oidc_fixtures import CITIZEN, ISSUER, running_provider  # noqa: F401

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
