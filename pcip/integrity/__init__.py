"""Government integrity (Art. 8-10)."""
