"""Input normalisation shared by the identifier validators.

Only two things are normalised: surrounding whitespace is stripped and ASCII lower-case letters
are upper-cased (GB 11643-1999 and GB 32100-2015 both write letters in upper case). Nothing else
is folded: full-width digits, other scripts and inner spaces stay as given and make the value
invalid, because silently rewriting them would let a mistyped value match someone else.
"""

from __future__ import annotations

import string

_ASCII_UPPER = str.maketrans(string.ascii_lowercase, string.ascii_uppercase)
ASCII_DIGITS = frozenset(string.digits)


def normalize(value: str) -> str:
    """Strip surrounding whitespace and upper-case ASCII letters only.

    ``str.upper`` is not used: it maps ``ß`` to ``SS`` and would change the length.
    """
    return value.strip().translate(_ASCII_UPPER)


def is_ascii_digits(text: str) -> bool:
    """True when every character is 0-9 (``str.isdigit`` also accepts full-width digits)."""
    return all(ch in ASCII_DIGITS for ch in text)


def show(ch: str) -> str:
    """Render one character for a reason string: as is when printable ASCII, else its repr."""
    if ch.isascii() and ch.isprintable() and not ch.isspace():
        return ch
    return repr(ch)
