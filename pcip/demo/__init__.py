"""The demo world: synthetic providing units, people and organisations, their records, the
staff accounts and keys of every role, and objection cases in several states.

One package, used by ``pcip init --demo-if-empty`` and ``pcip demo``, by the tests
(``tests/world.py``) and by the benchmarks (``bench/``) alike:

- :mod:`pcip.demo.generators`: valid identifiers, Chinese names and rows for any catalog item;
- :mod:`pcip.demo.scenario`: the small steps every world is built from (register a unit,
  add staff, submit rows, sign a subject in), shared by the demo and the tests;
- :mod:`pcip.demo.world`: the demo's units, people, organisations and records;
- :mod:`pcip.demo.accounts`: one account or key per role, and how to sign in as each;
- :mod:`pcip.demo.cases`: demo objection cases, so queues and inboxes are not empty.

Nothing here is real data; everything goes through the same services real submissions use.
"""

from pcip.demo.world import DemoResult, generate_demo

__all__ = ["DemoResult", "generate_demo"]
