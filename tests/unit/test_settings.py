"""Hub settings are validated at start-up with messages that name the variable."""

import pytest
from pydantic import ValidationError

from hub.settings import Settings


def test_defaults_live_under_home(tmp_path):
    s = Settings(home=tmp_path / "h")
    assert s.db_url == f"sqlite:///{tmp_path / 'h' / 'hub.db'}"
    assert (tmp_path / "h").is_dir()


@pytest.mark.parametrize(
    "field, value",
    [
        ("public_url", "hub.example.cn"),
        ("timezone", "Mars/Olympus"),
        ("database_url", "mysql://x"),
        ("longpoll_max_s", 45),
        ("max_body_bytes", 10),
    ],
)
def test_bad_values_are_refused(tmp_path, field, value):
    with pytest.raises(ValidationError) as err:
        Settings(home=tmp_path, **{field: value})
    assert err.value.errors()[0]["loc"] == (field,)


def test_plain_postgresql_urls_get_the_psycopg_driver(tmp_path):
    assert Settings(home=tmp_path, database_url="postgresql://u:p@h/db").db_url.startswith("postgresql+psycopg://")
