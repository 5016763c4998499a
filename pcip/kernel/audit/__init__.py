"""Hash-chained audit log (Art. 27-28)."""

from pcip.kernel.audit.service import VerifyResult, record, verify

__all__ = ["VerifyResult", "record", "verify"]
