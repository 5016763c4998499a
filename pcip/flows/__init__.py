"""Flows: what one area's action means for the areas above it (docs/architecture.md).

An area imports only the kernel and the areas below it, so a lower area cannot call a higher
one. When an action of a lower area concerns higher areas, the lower area's service takes the
higher areas' handlers as an explicit argument (a small ``Protocol`` it defines), and a flow
here, above every area, passes the full list. Doors (API, web, CLI) and jobs call the flow,
never the lower service directly, so no door can forget an area.

The flows:

* ``schedules.load_schedule``: a year's official working-day schedule is loaded (Art. 40,
  D-1); every area that holds working-day deadlines says which of its open deadlines moved.
  Today that is objections (Art. 40-42); credit restoration (Art. 49) and the designations
  with working-day periods join by adding their recount to ``schedules.DEADLINE_HOLDERS``.

To add a flow: define the handler ``Protocol`` in the lower area's service (what it is told,
what it answers), take ``holders`` (or similar) as a keyword-only argument without default,
and add one module here that lists the handlers and is the only caller.
"""
