"""Template helpers of 统一身份认证 (tk.blanket.helpers collects __all__)."""
from __future__ import annotations

from ckanext.lyg_opendata.identity import oidc

__all__ = ["lyg_opendata_oidc_enabled"]


def lyg_opendata_oidc_enabled() -> bool:
    """The portal offers 统一身份认证登录 (an issuer and a client id are configured)."""
    return oidc.enabled()
