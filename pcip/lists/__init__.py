"""Lists of seriously untrustworthy entities and other lists (Art. 32-33, 44; SM-2).

* ``types``: the list types, a data file (``list_types.json``) checked on load (Art. 32);
* ``designation``: the designation workflow SM-2 on the working-day calendar (Art. 32, 44);
* ``imports``: lists decided elsewhere (courts, national lists) imported as files;
* ``linked``: Art. 33 linked persons and the subject's own view of its listings;
* ``public``: what the public may see of each list.
"""
