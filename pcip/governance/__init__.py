"""Change proposals to the city catalog and measure list (SM-4, SM-5; Art. 17, 35)."""
