"""Check digits against the standards' own published examples, and masking."""

import datetime as dt

import pytest

from floor import idnumber
from floor.names import mask_name
from floor.phone import mask_phone
from hub.employers import creditcode


@pytest.mark.parametrize("number", ["11010519491231002X", "440524188001010014", "11010519491231002x"])
def test_id_examples_from_gb11643_hold(number):
    assert idnumber.is_valid(number)


@pytest.mark.parametrize(
    "number", ["110105194912310021", "44052418800101001", "4405241880010100140", "11010519491231002Y"]
)
def test_wrong_id_numbers_fail(number):
    assert not idnumber.is_valid(number)


def test_every_single_digit_change_is_caught():
    good = "440524188001010014"
    for i in range(17):
        for d in "0123456789":
            if d != good[i]:
                assert not idnumber.is_valid(good[:i] + d + good[i + 1 :])


def test_id_number_facts():
    n = "11010519491231002X"
    assert idnumber.mask(n) == "110105********002X"
    assert idnumber.birth_date(n) == dt.date(1949, 12, 31)
    assert idnumber.sex(n) == "female"
    assert idnumber.sex("440524188001010014") == "male"
    assert idnumber.age_on(n, dt.date(2026, 12, 30)) == 76
    assert idnumber.age_on(n, dt.date(2026, 12, 31)) == 77
    assert idnumber.scrub(f"card {n} read") == "card 110105********002X read"


def test_credit_code_example_from_gb32100():
    assert creditcode.validate(" 9144 0300 1922 038216 ") == "914403001922038216"
    assert creditcode.check_char("91440300192203821") == "6"


@pytest.mark.parametrize(
    "code, words",
    [("91440300192203821", "18位"), ("914403001922038217", "校验位"), ("91440300192203821O", "不允许")],
)
def test_bad_credit_codes_say_why(code, words):
    with pytest.raises(creditcode.CreditCodeError, match=words):
        creditcode.validate(code)


def test_masks():
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳娜娜") == "欧阳**"
    assert mask_name("王小明") == "王**"
    assert mask_name("John Smith") == "J*** S****"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("0851-12345678") == "********5678"  # 12 digits, last 4 kept


def test_an_id_number_is_ascii_digits():
    """ "\\d" takes ٣ and ３ too: such a number would hash apart from the same number in ASCII."""
    from floor import idnumber

    assert idnumber.is_valid("11010519491231002X")
    assert not idnumber.is_valid("１１０１０５１９４９１２３１００２X")
    assert not idnumber.is_valid("١١٠١٠٥١٩٤٩١٢٣١٠٠٢X")
