"""Signatures of releases and what a device takes from the hub: the signed statement binds version and
bytes; an offer is refused unsigned, forged, mixed with another release's file, or older unless pinned."""

from __future__ import annotations

import zipfile

import pytest

from device.update.errors import UpdateError
from device.update.verify import check_file, check_offer, offer_of
from wire import releases
from wire.errors import ReleaseError


def wheel(path, version: str, name: str = "lingong", tag: str = "py3-none-any"):
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("floor/__init__.py", f'__version__ = "{version}"\n')
        z.writestr(f"{name}-{version}.dist-info/METADATA", f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
        z.writestr(f"{name}-{version}.dist-info/WHEEL", f"Wheel-Version: 1.0\nTag: {tag}\n")
    return path


@pytest.fixture(scope="module")
def key():
    return releases.new_private_key()


def answer(signed: releases.Signed, release_id=7, pinned=False) -> dict:
    return {"events_through": 0, "release": {"id": release_id, **signed.__dict__, "pinned": pinned}}


def test_sign_and_check_round_trip(tmp_path, key):
    signed = releases.sign(wheel(tmp_path / "a.whl", "1.2.3"), key)
    assert signed.version == "1.2.3"
    parsed = releases.parse_document(signed.document())
    parsed.check(releases.public_text(key))
    with pytest.raises(ReleaseError):
        parsed.check(releases.public_text(releases.new_private_key()))


@pytest.mark.parametrize(
    "field,value", [("version", "1.2.4"), ("sha256", "0" * 64), ("size", 5), ("signature", "AAAA")]
)
def test_any_changed_field_breaks_the_signature(tmp_path, key, field, value):
    signed = releases.sign(wheel(tmp_path / "a.whl", "1.2.3"), key)
    changed = releases.Signed(**{**signed.__dict__, field: value})
    with pytest.raises(ReleaseError):
        changed.check(releases.public_text(key))


def test_the_wheel_says_its_version_not_its_file_name(tmp_path, key):
    assert releases.wheel_version(wheel(tmp_path / "lingong-9.9.9-py3-none-any.whl", "1.0.0")) == "1.0.0"
    for bad in (wheel(tmp_path / "b.whl", "1.0.0", name="other"), wheel(tmp_path / "c.whl", "1.0.0", tag="cp311-x")):
        with pytest.raises(ReleaseError):
            releases.wheel_version(bad)
    (tmp_path / "d.whl").write_bytes(b"not a zip")
    with pytest.raises(ReleaseError):
        releases.wheel_version(tmp_path / "d.whl")


def test_offers_in_other_shapes_are_ignored(tmp_path, key):
    signed = releases.sign(wheel(tmp_path / "a.whl", "1.2.3"), key)
    assert offer_of({"events_through": 1}) is None
    assert offer_of(answer(signed, release_id="7")) is None
    assert offer_of(answer(signed, release_id=True)) is None
    assert offer_of(answer(signed, release_id=2**31)) is None
    assert offer_of(answer(releases.Signed("../../x", "a", 1, "s"))) is None
    assert offer_of(answer(signed)).release_id == 7


def test_an_offer_is_taken_only_signed_and_not_older(tmp_path, key):
    public = releases.public_text(key)
    signed = releases.sign(wheel(tmp_path / "a.whl", "1.2.3"), key)
    check_offer(offer_of(answer(signed)), public, "1.2.0")
    reasons = {}
    for name, offer, running, key_text in (
        ("no key", offer_of(answer(signed)), "1.2.0", ""),
        ("forged", offer_of(answer(releases.sign(tmp_path / "a.whl", releases.new_private_key()))), "1.2.0", public),
        ("older", offer_of(answer(signed)), "1.10.0", public),
    ):
        with pytest.raises(UpdateError) as caught:
            check_offer(offer, key_text, running)
        reasons[name] = caught.value.reason
    assert reasons == {"no key": "no_key", "forged": "signature", "older": "older"}
    check_offer(offer_of(answer(signed, pinned=True), pin_trusted=True), public, "1.10.0")  # an administrator's pin


def test_the_file_must_be_the_signed_one(tmp_path, key):
    signed = releases.sign(wheel(tmp_path / "a.whl", "1.2.3"), key)
    offer = offer_of(answer(signed))
    check_file(tmp_path / "a.whl", offer)
    other = releases.sign(wheel(tmp_path / "b.whl", "1.2.4"), key)
    with pytest.raises(UpdateError):  # a validly signed file of another release: mix-and-match
        check_file(tmp_path / "b.whl", offer)
    with pytest.raises(UpdateError):
        check_file(tmp_path / "a.whl", offer_of(answer(other)))


def test_versions_compare_as_numbers():
    assert releases.version_key("1.10.0") > releases.version_key("1.9.9")
    for bad in ("1.2", "v1.2.3", "1.2.3.4", "1.02.3", "1.2.3\n", "١.٢.٣"):
        with pytest.raises(ReleaseError):
            releases.valid_version(bad)


def test_a_pin_is_believed_only_from_an_authenticated_hub(tmp_path, key):
    """Hostile review, item 2: `pinned` is not signed, so over plain HTTP a relay could set it and take
    a device back to any older signed release. Only an answer over TLS or loopback may pin."""
    from sync.enroll import authenticated

    public = releases.public_text(key)
    signed = releases.sign(wheel(tmp_path / "a.whl", "1.2.3"), key)
    assert offer_of(answer(signed, pinned=True)).pinned is False
    with pytest.raises(UpdateError) as caught:
        check_offer(offer_of(answer(signed, pinned=True)), public, "1.10.0")
    assert caught.value.reason == "older"
    check_offer(offer_of(answer(signed, pinned=True), pin_trusted=True), public, "1.10.0")
    trusted = ["https://hub.example.cn", "http://127.0.0.1:8470", "http://localhost:8470", "http://[::1]:8470"]
    assert all(authenticated(u) for u in trusted)
    assert not any(authenticated(u) for u in ("http://hub.example.cn", "http://192.0.2.10:8470", "ftp://x"))


def test_a_damaged_download_is_not_final_but_a_bad_signature_has_chinese_words(tmp_path, key):
    """Hostile review, item 3: bytes that are not the signed ones are a bad download, tried again."""
    signed = releases.sign(wheel(tmp_path / "a.whl", "1.2.3"), key)
    (tmp_path / "a.whl").write_bytes(b"x" * signed.size)
    with pytest.raises(UpdateError) as caught:
        check_file(tmp_path / "a.whl", offer_of(answer(signed)))
    assert (caught.value.reason, caught.value.final) == ("download", False)
    forged = releases.sign(wheel(tmp_path / "b.whl", "1.2.3"), releases.new_private_key())
    with pytest.raises(UpdateError) as caught:
        check_offer(offer_of(answer(forged)), releases.public_text(key), "1.0.0")
    assert "the signature" not in caught.value.message and "更新私钥" in caught.value.message
