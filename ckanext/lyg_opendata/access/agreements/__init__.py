"""Agreements, grants and usage reports of conditional data (Art 19, 24, 40).

- ``texts``: the model text (协议示范文本), versioned; placeholders and rendering;
- ``workflow``: an approved application's agreement and its signature (which creates the
  grant and the schedule of usage reports);
- ``grants``: a grant's status, who may manage it, revocation, ended terms;
- ``reports``: usage reports, filing one, the reminders;
- ``dicts``, ``lists``: what the API and the pages show, and the scopes of the lists;
- ``action``, ``auth``, ``views``, ``cli``, ``helpers``, ``pdf``: what CKAN registers and the
  agreement's PDF.
"""
