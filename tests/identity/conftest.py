"""Fixtures of the identity tests (the e2e OIDC tests import ``running_provider``)."""
import pytest

import ckan.plugins.toolkit as tk

from tests.identity.oidc_provider import ISSUER


@pytest.fixture
def running_provider(monkeypatch):
    """The portal points at the local provider of scripts/services.sh (test.ini names its
    default port; LYG_OIDC_PORT moves both)."""
    monkeypatch.setitem(tk.config, "ckanext.lyg_opendata.oidc.issuer", ISSUER)
    return ISSUER
