"""Punishment measures (Art. 34-37) and credit checks (Art. 31, 34, 38; issue 16.4-16.6).

* ``catalogue``: the national basic list and the city supplement, a data file checked on load;
* ``applications``: a department records a measure against a subject for a matter (Art. 34
  gate, Art. 37 mandatory waiver);
* ``checks``: which measures apply to a subject for an administrative matter, and why,
  logged as an authority inquiry (Art. 22).
"""
