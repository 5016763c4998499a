"""The four inquiry modes, authorizations and the inquiry log (Art. 22, 28, 39)."""
