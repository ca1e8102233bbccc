"""How the portal shortens a person's name and a client address where a record is kept but
the person need not be identified (access log pages, security-log retention, disclosure
registers). No imports of the domains: any of them may use it."""
from __future__ import annotations

from typing import Optional


def mask_name(value: Optional[str]) -> Optional[str]:
    """Keep the first and last character: 张三丰 → 张*丰, zhangsan → z******n, 张三 → 张*."""
    if not value:
        return value
    if len(value) <= 2:
        return value[0] + "*"
    return value[0] + "*" * (len(value) - 2) + value[-1]


def mask_ip(value: Optional[str]) -> Optional[str]:
    """IPv4: last octet masked (10.1.2.*); IPv6: the first three groups kept (a:b:c:*)."""
    if not value:
        return value
    if ":" in value and "." not in value:
        groups = value.split(":")
        return ":".join(groups[:3]) + ":*"
    parts = value.rsplit(".", 1)
    return parts[0] + ".*" if len(parts) == 2 else "*"
