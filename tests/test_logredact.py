"""No identifier or credential in application logs (Art. 27; personal information protection).

The checks write through a real handler into a StringIO: pytest's caplog captures records
before handler filters run, so it would not show what a deployment's log actually contains.
"""

from __future__ import annotations

import io
import logging
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from datetime import date

import pytest
from uvicorn.config import LOGGING_CONFIG
from uvicorn.logging import AccessFormatter

from pcip.identity import mask_citizen_id, uscc_check_character
from pcip.kernel.logredact import (
    PLAIN_FORMAT,
    UVICORN_LOG_CONFIG,
    RedactingFilter,
    configure_logging,
    redact,
    uvicorn_log_config,
)
from tests.helpers import citizen_id, uscc

CITIZEN_ID = citizen_id(7, born=date(1990, 3, 7), region="110101")
CITIZEN_ID_X = "11010119900307123X"
LEGACY_15 = "110101900307123"


Capture = tuple[logging.Logger, io.StringIO]


@pytest.fixture
def capture() -> Iterator[Capture]:
    """A logger writing through a RedactingFilter handler into a StringIO."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    handler.addFilter(RedactingFilter())
    logger = logging.getLogger("pcip.test_logredact")
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    yield logger, stream
    logger.removeHandler(handler)
    logger.propagate = True


# --- redact() ---------------------------------------------------------------------------------


@pytest.mark.parametrize("number", [CITIZEN_ID, CITIZEN_ID_X, CITIZEN_ID_X.lower(), LEGACY_15])
def test_art27_citizen_id_masked_keeping_length_region_and_tail(number: str) -> None:
    text = redact(f"looked up {number} today")

    assert number not in text
    assert text == f"looked up {mask_citizen_id(number)} today"
    assert len(mask_citizen_id(number)) == len(number)
    assert mask_citizen_id(number).startswith(number[:6])


@pytest.mark.parametrize(
    "template",
    [
        "/api/v1/subjects/{}/records",
        "身份证号{}已登记",
        "id={},",
        "({})",
        '"{}"',
        "{}\n",
    ],
)
def test_art27_citizen_id_masked_wherever_it_stands_alone(template: str) -> None:
    assert CITIZEN_ID not in redact(template.format(CITIZEN_ID))


@pytest.mark.parametrize(
    "number",
    [
        "6222021234567890123",  # 19-digit bank card
        "1700000000123456789",  # nanosecond timestamp
        "62220212345678901",  # 17 digits
        "6222021234567890",  # 16 digits
        "13800138000",  # mobile number
    ],
)
def test_art27_other_digit_runs_are_not_ids(number: str) -> None:
    assert redact(f"value {number} end") == f"value {number} end"


def test_art27_id_inside_a_longer_digit_run_untouched() -> None:
    text = f"9{CITIZEN_ID}"

    assert redact(text) == text


@pytest.mark.parametrize(
    "code",
    [
        "91500000MA5U3P0X1Y",
        uscc(3),
        uscc(4, authority="Y"),
        # Letters around a 15-digit run: must not be taken for a legacy citizen ID.
        "Y1500000123456780" + uscc_check_character("Y1500000123456780"),
        "Y150000012345678X" + uscc_check_character("Y150000012345678X"),
    ],
)
def test_art27_uscc_with_letters_is_public_and_untouched(code: str) -> None:
    assert any(ch.isalpha() for ch in code[:-1])
    assert redact(f"organisation {code} listed") == f"organisation {code} listed"


def test_art27_all_digit_uscc_is_masked_erring_on_privacy() -> None:
    assert redact("915000001234567890") == mask_citizen_id("915000001234567890")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            f"GET /api/v1/x?id_number={CITIZEN_ID}&page=2",
            "GET /api/v1/x?id_number=[redacted]&page=2",
        ),
        ("citizen_id=abc&x=1", "citizen_id=[redacted]&x=1"),
        ("?documentNumber=E12345678", "?documentNumber=[redacted]"),
        ("assertion=eyJhbGciOi.eyJzdWIi.sig", "assertion=[redacted]"),
        ("access_token=abc; next", "access_token=[redacted]; next"),
        ("password = hunter2 ok", "password = [redacted] ok"),
        ('token="two words"', 'token="[redacted]"'),
        (
            '{"id_number": "' + CITIZEN_ID + '", "name": "x"}',
            '{"id_number": "[redacted]", "name": "x"}',
        ),
        ('{"token": null, "n": 1}', '{"token": [redacted], "n": 1}'),
        ("{'password': 'p\\'w'}", "{'password': '[redacted]'}"),
        ("Authorization: Bearer eyJhbGciOi.x.y", "Authorization: Bearer [redacted]"),
        ("authorization=Basic dXNlcjpwYXNz", "authorization=Basic [redacted]"),
        ("[(b'authorization', b'Bearer eyJ.a.b')]", "[(b'authorization', b'Bearer [redacted]')]"),
    ],
)
def test_art27_identifier_and_credential_fields_redacted(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        f"GET /x?id_number={CITIZEN_ID}&citizen_id={CITIZEN_ID_X}",
        f"subject {CITIZEN_ID}, {LEGACY_15}",
        '{"token": null, "password": "x"}',
        "Authorization: Bearer abc",
    ],
)
def test_art27_redact_is_idempotent(text: str) -> None:
    once = redact(text)

    assert redact(once) == once


# --- RedactingFilter --------------------------------------------------------------------------


def test_art27_id_in_plain_message_redacted(capture: Capture) -> None:
    logger, stream = capture

    logger.info(f"matched subject {CITIZEN_ID}")

    assert stream.getvalue() == f"INFO matched subject {mask_citizen_id(CITIZEN_ID)}\n"


def test_art27_id_in_percent_args_redacted(capture: Capture) -> None:
    logger, stream = capture

    logger.warning("subject %s has %d records (%s)", CITIZEN_ID, 3, "id_number=" + LEGACY_15)

    assert stream.getvalue() == (
        f"WARNING subject {mask_citizen_id(CITIZEN_ID)} has 3 records (id_number=[redacted])\n"
    )


def test_art27_id_in_dict_args_redacted(capture: Capture) -> None:
    logger, stream = capture

    logger.info("subject %(id)s", {"id": CITIZEN_ID})

    assert CITIZEN_ID not in stream.getvalue()
    assert mask_citizen_id(CITIZEN_ID) in stream.getvalue()


def test_art27_id_in_non_string_arg_collapses_the_record(
    capture: Capture,
) -> None:
    logger, stream = capture

    logger.info("payload %r", {"citizen_id": CITIZEN_ID, "n": 1})

    assert stream.getvalue() == "INFO payload {'citizen_id': '[redacted]', 'n': 1}\n"


def test_art27_id_split_across_args_still_redacted(
    capture: Capture,
) -> None:
    logger, stream = capture

    logger.info("%s%s", CITIZEN_ID[:9], CITIZEN_ID[9:])

    assert CITIZEN_ID not in stream.getvalue()


def test_art27_clean_record_left_exactly_as_logged() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "n=%d", (5,), None)

    assert RedactingFilter().filter(record) is True
    assert (record.msg, record.args) == ("n=%d", (5,))


def test_art27_id_in_exception_redacted(capture: Capture) -> None:
    logger, stream = capture

    try:
        raise ValueError(f"invalid citizen ID {CITIZEN_ID}; token=s3cret")
    except ValueError:
        logger.exception("rejected")

    output = stream.getvalue()
    assert "Traceback" in output
    assert f"invalid citizen ID {mask_citizen_id(CITIZEN_ID)}; token=[redacted]" in output
    assert CITIZEN_ID not in output
    assert "s3cret" not in output


def test_art27_id_in_stack_info_redacted() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "m", None, None)
    record.stack_info = f'  File "x.py", line 1, in f\n    lookup("{CITIZEN_ID}")'

    RedactingFilter().filter(record)

    assert CITIZEN_ID not in record.stack_info


def test_art27_badly_formatted_record_reported_without_the_id(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # logging prints msg and args of a record it cannot format: they must be redacted too.
    # A bare handler, not a logger: pytest's own capture handlers would raise instead.
    monkeypatch.setattr(logging, "raiseExceptions", True)
    handler = logging.StreamHandler(io.StringIO())
    handler.addFilter(RedactingFilter())
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "one placeholder %s", (CITIZEN_ID, "token=abc"), None
    )

    handler.handle(record)

    err = capsys.readouterr().err
    assert "--- Logging error ---" in err
    assert "not all arguments converted" in err
    assert CITIZEN_ID not in err
    assert "token=abc" not in err


def _access_record(full_path: str) -> logging.LogRecord:
    # Exactly what uvicorn's HTTP protocols log for a finished request.
    return logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:52100", "GET", full_path, "1.1", 200),
        None,
    )


def test_art27_uvicorn_access_line_shows_no_id_number() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(
        AccessFormatter('%(client_addr)s - "%(request_line)s" %(status_code)s', use_colors=False)
    )
    handler.addFilter(RedactingFilter())

    handler.handle(_access_record(f"/api/v1/x?id_number={CITIZEN_ID}"))

    assert stream.getvalue() == (
        '127.0.0.1:52100 - "GET /api/v1/x?id_number=[redacted] HTTP/1.1" 200 OK\n'
    )


def test_art27_uvicorn_access_record_keeps_its_five_tuple() -> None:
    record = _access_record(f"/api/v1/subjects/{CITIZEN_ID}")

    RedactingFilter().filter(record)

    assert record.args == (
        "127.0.0.1:52100",
        "GET",
        f"/api/v1/subjects/{mask_citizen_id(CITIZEN_ID)}",
        "1.1",
        200,
    )


def test_art27_filter_is_idempotent_across_several_handlers() -> None:
    record = _access_record(f"/x?citizen_id={CITIZEN_ID}&q={LEGACY_15}")
    first = RedactingFilter()
    first.filter(record)
    after_first = (record.msg, record.args)

    RedactingFilter().filter(record)

    assert (record.msg, record.args) == after_first


# --- configure_logging / UVICORN_LOG_CONFIG ---------------------------------------------------

_CONFIGURED = ("", "uvicorn", "uvicorn.error", "uvicorn.access")


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """Put back the root and uvicorn loggers as they were (handlers, their filters, levels)."""
    saved = []
    for name in _CONFIGURED:
        logger = logging.getLogger(name)
        saved.append(
            (
                logger,
                list(logger.handlers),
                {h: list(h.filters) for h in logger.handlers},
                logger.level,
                logger.propagate,
                logger.disabled,
            )
        )
    yield
    for logger, handlers, filters, level, propagate, disabled in saved:
        for handler in list(logger.handlers):
            if handler not in handlers:
                logger.removeHandler(handler)
                handler.close()
        for handler in handlers:
            if handler not in logger.handlers:
                logger.addHandler(handler)
            handler.filters = filters[handler]
        logger.setLevel(level)
        logger.propagate = propagate
        logger.disabled = disabled


def _redacting_filters(handler: logging.Handler) -> int:
    return sum(isinstance(f, RedactingFilter) for f in handler.filters)


@pytest.mark.usefixtures("restore_logging")
def test_art27_configure_logging_twice_adds_one_handler_and_one_filter() -> None:
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    uvicorn_access = logging.getLogger("uvicorn.access")
    access_handler = logging.StreamHandler(io.StringIO())
    uvicorn_access.addHandler(access_handler)

    configure_logging()
    configure_logging("debug")

    assert len(root.handlers) == 1
    assert root.handlers[0].formatter is not None
    assert root.handlers[0].formatter._fmt == PLAIN_FORMAT
    assert _redacting_filters(root.handlers[0]) == 1
    assert _redacting_filters(access_handler) == 1
    assert root.level == logging.DEBUG


@pytest.mark.usefixtures("restore_logging")
def test_art27_configure_logging_redacts_records_propagated_from_app_loggers() -> None:
    root = logging.getLogger()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    root.addHandler(handler)
    configure_logging()

    # Logged on a child logger, written by the root's handler: only a handler filter sees it.
    logging.getLogger("pcip.somewhere.deep").warning("subject %s", CITIZEN_ID)

    assert stream.getvalue() == f"subject {mask_citizen_id(CITIZEN_ID)}\n"


def test_art27_uvicorn_log_config_is_uvicorns_default_plus_the_filter() -> None:
    config = uvicorn_log_config()
    without_filters = {k: v for k, v in config.items() if k != "filters"}
    for handler in without_filters["handlers"].values():
        assert handler.pop("filters") == ["redact"]

    assert without_filters == LOGGING_CONFIG
    assert config["filters"] == {"redact": {"()": "pcip.kernel.logredact.RedactingFilter"}}
    assert uvicorn_log_config() == UVICORN_LOG_CONFIG
    assert uvicorn_log_config() is not UVICORN_LOG_CONFIG


def test_art27_uvicorn_log_config_redacts_the_access_log() -> None:
    # In a fresh interpreter: dictConfig closes every existing handler, pytest's included.
    script = textwrap.dedent(
        f"""
        import logging, logging.config
        from pcip.kernel.logredact import UVICORN_LOG_CONFIG
        logging.config.dictConfig(UVICORN_LOG_CONFIG)
        logging.getLogger("uvicorn.access").info(
            '%s - "%s %s HTTP/%s" %d', "127.0.0.1:1", "GET", "/x?id_number={CITIZEN_ID}", "1.1", 200
        )
        logging.getLogger("uvicorn.error").error("bad subject %s", "{CITIZEN_ID}")
        """
    )

    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )

    assert (
        result.stdout == 'INFO:     127.0.0.1:1 - "GET /x?id_number=[redacted] HTTP/1.1" 200 OK\n'
    )
    assert result.stderr == f"ERROR:    bad subject {mask_citizen_id(CITIZEN_ID)}\n"
