"""Credit pledges and voluntary information (Art. 26, 18(6), 45; issue 20 point 3)."""
