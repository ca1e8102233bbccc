"""No third-party request from any page (issue 20 item 3).

Avatars are local (initials, ``portal.helpers.lyg_opendata_avatar``; Gravatar is off). A
person's, an agency's or a group's picture given as an address on another website is never
loaded: the user-image helper shows the initials instead, and every HTML page carries a
Content-Security-Policy limiting images, fonts and media to the portal itself (so a picture
address in an organisation's profile or an image resource elsewhere is not fetched either).
"""
from __future__ import annotations

from urllib.parse import urlparse

import ckan.plugins.toolkit as tk

__all__ = ["user_image"]

POLICY = "img-src 'self' data: blob:; font-src 'self' data:; media-src 'self' blob:"


def is_local(url: str) -> bool:
    parsed = urlparse(url or "")
    if not parsed.scheme and not parsed.netloc:
        return True
    site = urlparse(tk.config.get("ckan.site_url") or "")
    return parsed.netloc == site.netloc


@tk.chained_helper
def user_image(next_helper, user_id: str, size: int = 100):
    """Core's user image, but initials instead of a picture on another website."""
    import ckan.model as model
    user = model.User.get(user_id) if isinstance(user_id, str) else None
    if user is not None and user.image_url and user.image_url.startswith(("http:", "https:", "//")) \
            and not is_local(user.image_url):
        return tk.h.snippet("user/snippets/placeholder.html", size=size,
                            user_name=user.display_name)
    return next_helper(user_id, size)


def add_policy(response):
    """``after_request``: the image/font/media policy on HTML pages (an existing stricter
    policy, e.g. on evidence files, is kept)."""
    if response.mimetype == "text/html" and "Content-Security-Policy" not in response.headers:
        response.headers["Content-Security-Policy"] = POLICY
    return response
