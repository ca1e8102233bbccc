"""The yearly evaluation report (Art 37): 市大数据管理局 evaluates the city's data opening and
publishes a report with suggestions for improvement.

A supervisor generates a report for a year: the figures are computed then and frozen in the
row (the platform's totals, every agency's scorecard ranked, the average), with suggestions
generated from the indicators. The draft's title, commentary and suggestions are edited;
publishing makes it public (web page, PDF, XLSX) and final — the database refuses any change
to a published report (migration 0020). A later report of the same year is a new version:
the public list shows the newest published version of each year, and the older ones as
replaced.

    draft ─update→ draft ─publish→ published
      └──discard→ discarded

The package: ``workflow`` (states, transitions, events), ``figures`` (what a report freezes
and the suggestions generated from it), ``schema``, ``dicts`` (a report as a dict),
``action``, ``auth``, ``notices`` (who hears of a publication), ``files`` (the PDF and XLSX)
and ``views`` (the pages).
"""
