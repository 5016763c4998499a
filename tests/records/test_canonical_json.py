"""Issue 22.3: ingestion's fast canonical JSON (orjson) writes exactly the standard encoder's
text, so content digests stored before it still match (Art. 20: "unchanged" resubmissions)."""

from __future__ import annotations

import gc
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from pcip.records import ingest as ingest_module
from pcip.records.service import _CANONICAL, canonical_json

_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)


@given(
    st.dictionaries(
        _TEXT,
        _TEXT | st.integers() | st.none() | st.floats() | st.booleans(),
        max_size=12,
    )
)
def test_issue22_canonical_json_is_the_standard_encoders_text(value: dict[str, Any]) -> None:
    assert canonical_json(value) == _CANONICAL.encode(value)


def test_issue22_canonical_json_falls_back_where_orjson_would_differ_or_fail() -> None:
    for value in (
        {"big": 2**70},  # beyond 64 bits: orjson refuses
        {"s": "\ud800"},  # a lone surrogate: orjson refuses
        {"f": 1e16, "b": True},  # written differently by orjson
        {"ctl": '\x00\x1f\x7f\u2028"\\'},
    ):
        assert canonical_json(value) == _CANONICAL.encode(value)


def test_issue22_the_collector_is_paused_while_rows_are_applied_and_restored_after() -> None:
    assert gc.isenabled()
    with ingest_module._collected_per_chunk() as collect:
        assert not gc.isenabled()
        collect()
    assert gc.isenabled()
    gc.disable()  # a caller that paused it itself finds it paused after
    try:
        with ingest_module._collected_per_chunk():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
