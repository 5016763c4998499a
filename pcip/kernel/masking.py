"""Masking of personal identifiers in outputs whose inquiry mode may not see them in full (in
the kernel: log redaction masks with it too, and the identifier checks stand on the kernel).

Privacy by design (Art. 39 and the disclosure rules of Art. 22): a natural person's identity
number, name and document numbers are shown masked to anyone but the subject and authorised
readers. Organisation codes are not masked: see :func:`mask_uscc`.
"""

from __future__ import annotations

__all__ = [
    "MASK",
    "mask_citizen_id",
    "mask_document_number",
    "mask_name",
    "mask_uscc",
]

MASK = "*"
_CITIZEN_ID_KEEP_HEAD = 6
_CITIZEN_ID_KEEP_TAIL = 2
_DOCUMENT_KEEP_TAIL = 4
_LATIN_NAME_MASK = MASK * 3


def mask_citizen_id(value: str) -> str:
    """Keep the 6-digit address code and the last 2 characters: ``500103**********1X``.

    Why this choice: the address code is a region (GB/T 2260), not personal, and lets a reader
    tell two people of the same name apart by place; the birth date (positions 7-14) and most of
    the sequence, which are what single a person out, are hidden. The last 2 characters let a
    reader confirm a number they already hold; they do reveal the sex (parity of position 17),
    an accepted trade-off of this common public-notice format.
    Values too short to keep 8 characters and still hide at least 2 are masked completely.
    """
    text = value.strip()
    hidden = len(text) - _CITIZEN_ID_KEEP_HEAD - _CITIZEN_ID_KEEP_TAIL
    if hidden < 2:
        return MASK * len(text)
    return text[:_CITIZEN_ID_KEEP_HEAD] + MASK * hidden + text[-_CITIZEN_ID_KEEP_TAIL:]


def _is_latin(name: str) -> bool:
    return name[0].isascii() and name[0].isalpha()


def mask_name(value: str) -> str:
    """Mask a person's name, keeping only its first character.

    Chinese names keep the first character of the surname and mask every other character
    (张三丰 -> 张**, 张三 -> 张*, 欧阳修 -> 欧**), the common public-notice practice. A single
    character is masked entirely, since it would otherwise be shown in full. Latin-script names
    keep the first letter followed by a fixed ``***`` so the length is not revealed.
    """
    name = value.strip()
    if not name:
        return ""
    if _is_latin(name):
        return name[0] + _LATIN_NAME_MASK
    if len(name) == 1:
        return MASK
    return name[0] + MASK * (len(name) - 1)


def mask_document_number(value: str) -> str:
    """Keep the last 4 characters of a passport or other document number (Art. 19).

    Numbers of 4 characters or fewer are masked completely.
    """
    text = value.strip()
    if len(text) <= _DOCUMENT_KEEP_TAIL:
        return MASK * len(text)
    return MASK * (len(text) - _DOCUMENT_KEEP_TAIL) + text[-_DOCUMENT_KEEP_TAIL:]


def mask_uscc(value: str) -> str:
    """Return the USCC unchanged: organisation codes are not personal information.

    A USCC identifies a legal person or unincorporated organisation; it is registration
    information that the registering authorities publish (Art. 19 identity matching, and the
    national catalog's registration information), so masking it would hide nothing private and
    would break the public's ability to tell organisations apart.
    """
    return value
