"""LINGONG_LOG_FORMAT=json: one JSON object a line, with the same scrubbing as the text lines."""

import io
import json
import logging
import logging.config

from floor import logs

ID, PHONE = "11010519491231002X", "13812345678"


def _logged(fmt: str | None, monkeypatch, env: str | None = None) -> str:
    if env is not None:
        monkeypatch.setenv("LINGONG_LOG_FORMAT", env)
    else:
        monkeypatch.delenv("LINGONG_LOG_FORMAT", raising=False)
    formatter = logging.config.DictConfigurator(logs.config("INFO", fmt)).configure_formatter(
        logs.config("INFO", fmt)["formatters"]["plain"]
    )
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(formatter)
    logger = logging.getLogger("hub.json-test")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("worker %s called from %s", ID, PHONE)
        try:
            raise ValueError(f"INSERT VALUES ('{ID}', '+86 138 1234 5678')")
        except ValueError:
            logger.exception("batch for 110105-19491231-002X failed")
    finally:
        logger.removeHandler(handler)
    return out.getvalue()


def test_json_lines_carry_time_level_logger_and_a_masked_message(monkeypatch):
    text = _logged(None, monkeypatch, env="json")
    lines = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
    assert len(lines) == 2 and len(text.splitlines()) == 2  # the traceback stays inside its line
    first, second = lines
    assert {"time", "level", "logger", "message"} <= set(first)
    assert first["level"] == "WARNING" and first["logger"] == "hub.json-test"
    assert first["time"].endswith("+00:00")
    assert first["message"] == "worker 110105********002X called from 138****5678"
    assert "110105 ******** 002X" in second["message"]
    assert "ValueError" in second["exception"] and "138****5678" in second["exception"]
    for raw in (ID, PHONE, "138 1234 5678", "19491231"):
        assert raw not in text


def test_text_stays_the_default_and_json_is_chosen_by_argument_too(monkeypatch):
    plain = _logged(None, monkeypatch)
    assert not plain.startswith("{") and "110105********002X" in plain and ID not in plain
    assert json.loads(_logged("json", monkeypatch).splitlines()[0])["level"] == "WARNING"
