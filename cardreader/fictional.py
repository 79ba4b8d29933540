"""Fictional people for demos, tests and benchmarks: well-formed ID numbers, names, phones."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from floor import idnumber

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉梅海燕文辉立新春"
# Division codes of the demo's fictional district and its neighbours.
REGIONS = ("430112", "430111", "430103", "430121", "520302", "140302")


@dataclass(frozen=True)
class Person:
    id_number: str
    name: str
    phone: str
    sex: str
    birth: dt.date


def person(rng: random.Random, *, born_from: int = 1966, born_to: int = 2004) -> Person:
    birth = dt.date(rng.randint(born_from, born_to), rng.randint(1, 12), rng.randint(1, 28))
    seq = rng.randint(0, 999)
    body = f"{rng.choice(REGIONS)}{birth:%Y%m%d}{seq:03d}"
    number = body + idnumber.check_char(body)
    name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
    phone = f"1{rng.choice('3456789')}" + "".join(rng.choice("0123456789") for _ in range(9))
    return Person(number, name, phone, idnumber.sex(number), birth)
