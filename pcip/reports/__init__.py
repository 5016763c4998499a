"""Public credit reports and their verification (Art. 29)."""
