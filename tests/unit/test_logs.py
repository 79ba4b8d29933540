"""The last-line scrubber on every log record."""
import logging

from lingong.logs import ScrubFilter


def test_id_numbers_and_phones_are_masked(caplog):
    logger = logging.getLogger("scrub-test")
    logger.addFilter(ScrubFilter())
    with caplog.at_level(logging.INFO, logger="scrub-test"):
        logger.info("read %s for %s", "11010519491231002X", "13812345678")
    assert "11010519491231002X" not in caplog.text and "13812345678" not in caplog.text
    assert "110105********002X" in caplog.text and "138****5678" in caplog.text
