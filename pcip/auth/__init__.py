"""Accounts, roles, sessions and real-name identity assertions (Art. 22, 27, 39)."""
