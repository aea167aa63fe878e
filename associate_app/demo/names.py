"""Realistic Chinese names: surnames by frequency, given names from common characters."""

from __future__ import annotations

import random

# The most common surnames, weighted roughly by their share of the population, plus a few
# polyphonic and compound ones so lookups meet them.
SURNAMES: list[tuple[str, int]] = [
    ("王", 72), ("李", 71), ("张", 69), ("刘", 55), ("陈", 45), ("杨", 31), ("黄", 24), ("赵", 22),
    ("吴", 21), ("周", 21), ("徐", 15), ("孙", 14), ("马", 13), ("朱", 12), ("胡", 12), ("郭", 11),
    ("何", 11), ("林", 10), ("高", 10), ("罗", 10), ("郑", 9), ("梁", 9), ("谢", 8), ("宋", 7),
    ("唐", 7), ("许", 7), ("韩", 7), ("冯", 7), ("邓", 7), ("曹", 6), ("彭", 6), ("曾", 6),
    ("肖", 6), ("田", 5), ("董", 5), ("袁", 5), ("潘", 5), ("于", 5), ("蒋", 5), ("蔡", 5),
    ("余", 5), ("杜", 4), ("叶", 4), ("程", 4), ("苏", 4), ("魏", 4), ("吕", 4), ("丁", 4),
    ("任", 4), ("沈", 4), ("姚", 3), ("卢", 3), ("单", 1), ("仇", 1), ("解", 1), ("查", 1),
    ("欧阳", 1), ("上官", 1), ("司马", 1), ("诸葛", 1),
]
GIVEN_FEMALE = "芳娜敏静丽艳娟霞秀英慧琳婷雪琪颖晶欣悦妍怡佳雯倩洁璐瑶萱涵梦晓玉红燕"
GIVEN_MALE = "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆阳晨博文轩然昊睿泽"
GIVEN_CHILD = "子梓一诺依可欣宇浩睿泽沐辰安然小朵朵乐乐果果糖糖豆豆"


class NameMaker:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._surnames = [s for s, _ in SURNAMES]
        self._weights = [w for _, w in SURNAMES]

    def surname(self) -> str:
        return self.rng.choices(self._surnames, self._weights)[0]

    def person(self, gender: str) -> str:
        pool = GIVEN_FEMALE if gender == "F" else GIVEN_MALE
        size = 1 if self.rng.random() < 0.35 else 2  # about a third of names have two characters
        return self.surname() + "".join(self.rng.choice(pool) for _ in range(size))

    def child(self, surname: str) -> str:
        return surname + "".join(self.rng.choice(GIVEN_CHILD) for _ in range(2))
