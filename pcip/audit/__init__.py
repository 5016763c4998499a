"""Hash-chained audit log (Art. 27-28)."""

from pcip.audit.service import VerifyResult, record, verify

__all__ = ["VerifyResult", "record", "verify"]
