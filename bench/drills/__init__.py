"""``make drill``: the crash, backup-and-restore and key-rotation drills (docs/operations.md)."""
