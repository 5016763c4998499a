"""Revocation or change of basis documents (Art. 44; issue 17.3).

* ``service``: register a revocation or change with its document; the records, linked records
  and listings resting on the basis are withdrawn or updated in one transaction;
* ``queries``: the list of changes per department that received the data (until the exchange
  change feed exists).
"""
