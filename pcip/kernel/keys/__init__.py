"""The keys the data depends on: their fingerprints in the database, checked at every start,
and their rotation (``pcip keys rotate``, Art. 27)."""
