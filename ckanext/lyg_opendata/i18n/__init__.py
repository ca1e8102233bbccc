"""Translations of the portal (the catalog, its build and checks).

``N_`` is the one marker for a message translated later, when it is shown: the extraction
(``sources.KEYWORDS``) collects it, ``tk._`` translates it in the request's language.
"""


def N_(msgid: str) -> str:
    """Mark a string for translation; it is translated when shown."""
    return msgid
