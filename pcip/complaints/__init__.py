"""Complaints and legal remedies (Art. 46; issue 17.4).

* ``service``: complaints about the collection, disclosure or use of credit information, their
  handling steps and working-day deadlines (``data/deadlines.yaml``);
* ``cases``: administrative reconsideration and litigation cases, linked to the records,
  listings and measure applications they concern, and the decisions that suspend a measure
  (measures stay in force meanwhile unless such a decision exists).
"""
