"""Credit restoration (Art. 45; SM-3; D-7 to D-9; issue 17 points 1 and 2)."""
