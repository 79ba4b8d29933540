"""Sealing personal data to the hub's key."""
import pytest

from sync import sealed
from sync.errors import SealError


def test_round_trip_and_ciphertext_hides_the_data():
    key = sealed.generate_private_key()
    person = {"id_number": "11010519491231002X", "name": "张三", "phone": "13812345678"}
    box = sealed.seal(sealed.public_key_text(key), person)
    assert "11010519491231002X" not in box and "138" not in box
    assert sealed.open_sealed(key, box) == person
    assert sealed.seal(sealed.public_key_text(key), person) != box  # fresh ephemeral key each time


def test_wrong_key_tampering_and_garbage_are_refused():
    key, other = sealed.generate_private_key(), sealed.generate_private_key()
    box = sealed.seal(sealed.public_key_text(key), {"a": 1})
    with pytest.raises(SealError):
        sealed.open_sealed(other, box)
    tampered = box[:-3] + ("A" if box[-3] != "A" else "B") + box[-2:]
    with pytest.raises(SealError):
        sealed.open_sealed(key, tampered)
    for junk in ("", "v1.", "v1.!!!", "plain text", None, 5):
        with pytest.raises(SealError):
            sealed.open_sealed(key, junk)


def test_pem_round_trip():
    key = sealed.generate_private_key()
    again = sealed.private_key_from_pem(sealed.private_key_to_pem(key))
    assert sealed.public_key_text(again) == sealed.public_key_text(key)
    with pytest.raises(SealError):
        sealed.public_key_from_text("short")
