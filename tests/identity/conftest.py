"""Fixtures of the identity tests."""
from tests.identity.oidc_fixtures import running_provider  # noqa: F401
