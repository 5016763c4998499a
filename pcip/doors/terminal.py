"""What every CLI command shares: the consoles, one JSON line per result, progress lines.

The area CLI modules (``pcip/<area>/cli.py``) print through this module's ``out`` and ``err``
(looked up when a command runs, so a test may widen them) and are assembled into one command
in ``pcip/cli.py``.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from rich.console import Console

err = Console(stderr=True)
out = Console()


def emit(obj: Any) -> None:
    """One JSON object on one line of stdout (what scripts read)."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, default=str) + "\n")


def say(line: str) -> None:
    """One progress line on stderr, flushed at once."""
    sys.stderr.write(line + "\n")
    sys.stderr.flush()
