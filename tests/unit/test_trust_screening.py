"""The signs of 黑中介 and false postings, on real-looking postings (hub.trust.screening)."""

import pytest

from hub.trust.screening import PAY_HIGH_FACTOR, UNVERIFIED_LIMIT, fee_words, screen, vague_address

CLEAN = dict(address="金水区花园路88号绿地广场工地", pay_max_fen=30000, guide=(22000, 32000),
             employer_verified=True, employer_open=1)  # fmt: skip


def codes(**kw) -> list[str]:
    return [f.code for f in screen(**(CLEAN | kw))]


@pytest.mark.parametrize(
    "texts",
    [
        ["小区保洁", "身体健康，能吃苦，55岁以下", "日结，包午饭，不收任何费用"],
        ["搬运工", "男性，能搬重物", "现场结算，无押金，体检费公司报销"],
        ["餐厅服务员", "会简单沟通即可", "带薪培训，免费工装，包吃住"],
        ["工地小工", "有力气，服从安排", "当天结工资，零中介费"],
    ],
)
def test_clean_everyday_postings_carry_no_flag(texts):
    assert codes(texts=texts) == []


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("入职需交押金200元，干满一个月退", "押金"),
        ("上岗前收取服装费150元", "服装费"),
        ("需自费体检，体检费80元", "体检费"),
        ("报名请先交中介费300元", "中介费"),
        ("另收培训费500元，结业发证", "培训费"),
    ],
)
def test_fees_and_deposits_are_flagged_with_the_word(text, word):
    flags = screen(texts=["普工", text, ""], **CLEAN)
    assert [f.code for f in flags] == ["fees"]
    assert word in flags[0].reason


def test_a_denied_fee_is_no_fee():
    assert fee_words("不收押金，无需体检费，服装费由公司承担") == []
    assert fee_words("押金200元，不收中介费") == ["押金"]


@pytest.mark.parametrize("text", ["先培训后上岗，培训期7天", "需先参加培训再上岗", "先岗前培训，合格后才能上岗"])
def test_train_first_work_later_is_flagged(text):
    assert "training" in codes(texts=["保安", text, ""])


def test_pay_far_above_the_guide_is_flagged_and_the_factor_is_said():
    flags = screen(texts=["日结小工"], **(CLEAN | {"pay_max_fen": int(32000 * PAY_HIGH_FACTOR) + 100}))
    assert [f.code for f in flags] == ["pay_high"]
    assert f"{PAY_HIGH_FACTOR:g}倍" in flags[0].reason
    assert codes(texts=["日结小工"], pay_max_fen=int(32000 * PAY_HIGH_FACTOR)) == []  # at the factor: not yet


def test_top_pay_under_the_guide_low_end_is_flagged_to_inform():
    assert codes(texts=["保洁"], pay_max_fen=21900) == ["pay_low"]
    assert codes(texts=["保洁"], pay_max_fen=21900, guide=None) == []  # no guide for the trade: no judgement


@pytest.mark.parametrize("address", ["", "市区", "地址面议", "电话联系", "全市各区", "东边那块"])
def test_vague_or_missing_addresses_are_flagged(address):
    assert vague_address(address)
    assert codes(texts=["保洁"], address=address) == ["address"]


@pytest.mark.parametrize("address", ["管城区紫荆山路12号", "二七区大学路与航海路交叉口东北角", "中牟县官渡镇小李村"])
def test_findable_addresses_are_not(address):
    assert vague_address(address) == ""


def test_an_unverified_employer_posting_many_is_flagged_past_the_limit():
    assert codes(texts=["小工"], employer_verified=False, employer_open=UNVERIFIED_LIMIT) == []
    assert codes(texts=["小工"], employer_verified=False, employer_open=UNVERIFIED_LIMIT + 1) == ["unverified"]
    assert codes(texts=["小工"], employer_verified=True, employer_open=50) == []


def test_one_lure_carries_every_sign_it_shows():
    found = codes(
        texts=["高薪招聘日结工", "先培训后上岗，培训费300元", "包住"],
        address="市区内",
        pay_max_fen=90000,
        employer_verified=False,
        employer_open=9,
    )
    assert found == ["fees", "training", "pay_high", "address", "unverified"]
