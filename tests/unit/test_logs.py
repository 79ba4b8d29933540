"""The last-line scrubber: every finished log line — message, exception text, stack — is masked."""

import logging

import pytest

from floor.logs import ScrubFormatter, scrub

ID, PHONE = "11010519491231002X", "13812345678"


@pytest.fixture
def lines(tmp_path):
    path = tmp_path / "scrub.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(ScrubFormatter("%(levelname)s %(message)s"))
    logger = logging.getLogger("scrub-test")
    logger.addHandler(handler)
    logger.propagate = False
    yield logger, path
    logger.removeHandler(handler)
    handler.close()


def test_id_numbers_and_phones_are_masked(lines):
    logger, path = lines
    logger.warning("read %s for %s", ID, PHONE)
    text = path.read_text(encoding="utf-8")
    assert ID not in text and PHONE not in text
    assert "110105********002X" in text and "138****5678" in text


def test_a_traceback_quoting_values_is_masked_too(lines):
    """The message filter of old left tracebacks alone: an exception's text (a database error quoting
    its parameters, say) went out in clear."""
    logger, path = lines
    try:
        raise ValueError(f"INSERT INTO applications VALUES ('{ID}', '+86 138 1234 5678', '{PHONE}')")
    except ValueError:
        logger.exception("batch failed")
    logger.warning("stack", stack_info=True, extra={})
    text = path.read_text(encoding="utf-8")
    assert "Traceback" in text and ID not in text and PHONE not in text and "1234 5678" not in text


@pytest.mark.parametrize(
    "written",
    [
        PHONE,
        "+8613812345678",
        "+86 138 1234 5678",
        "008613812345678",
        "138-1234-5678",
        "138 1234 5678",
        "8613812345678",
    ],
)
def test_every_way_of_writing_a_mobile_number(written):
    assert "5678" in scrub(f"call {written} now") and "1234" not in scrub(f"call {written} now")


def test_other_numbers_are_left_alone():
    for text in ("order 2026120312345 paid", "took 1380 ms", "seq 123456789012"):
        assert scrub(text) == text


@pytest.mark.parametrize("written", ["110105 19491231 002X", "110105-19491231-002X", "11010519491231002x"])
def test_an_id_number_in_its_groups_is_masked(written):
    assert "19491231" not in scrub(f"card {written} read")


@pytest.mark.parametrize("query", ["138+1234+5678", "138%201234%205678", "%2B86+138+1234+5678", "%20138%201234%205678"])
def test_a_mobile_searched_for_in_a_logged_url(query):
    """The console's search box sends what staff type (138 1234 5678, as the pages suggest) in the
    URL, its blanks as + or %20: an access log line carries it so."""
    line = scrub(f'127.0.0.1 - "GET /staff/applications?q={query}&state=new HTTP/1.1" 200')
    assert "5678" in line and "1234" not in line, line
