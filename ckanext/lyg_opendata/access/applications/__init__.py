"""Applications for conditional data (申请, Art 10, 19).

- ``workflow``: states, the ``Transitions`` table, the Art 19 clock, the transitions and who
  may see what;
- ``schema``: the form's schema and validators (credit code, phone, term) and the privacy
  notice;
- ``dicts``: an application as the API and the pages show it;
- ``notices``: who hears of a transition (from the action's success signal);
- ``reminders``: the daily deadline reminders and the erasure after the retention period;
- ``action``, ``auth``, ``views``, ``cli``, ``helpers``: what CKAN registers.
"""
