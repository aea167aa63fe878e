"""Search keys for a member's name: Chinese substrings, full pinyin and initials.

Every key is stored in ``member_keys`` so a name lookup is an index seek, never a ``LIKE '%…%'``
scan. Substrings start at two characters because most Chinese names have two or three, and a
two-character name must be findable; a single character is served by the name's own index as a
prefix (a surname).

Surnames are read as surnames: 曾 is "zeng" in a surname (not "ceng"), 单 is "shan", 仇 "qiu".
"""

from __future__ import annotations

import functools
import re
import unicodedata

# Compound surnames first (two characters), then single characters whose surname reading differs
# from their most common reading.
COMPOUND_SURNAMES: dict[str, list[str]] = {
    "欧阳": ["ou", "yang"], "司马": ["si", "ma"], "诸葛": ["zhu", "ge"], "上官": ["shang", "guan"],
    "东方": ["dong", "fang"], "皇甫": ["huang", "fu"], "令狐": ["ling", "hu"], "夏侯": ["xia", "hou"],
    "慕容": ["mu", "rong"], "尉迟": ["yu", "chi"], "长孙": ["zhang", "sun"], "万俟": ["mo", "qi"],
    "单于": ["chan", "yu"], "司徒": ["si", "tu"], "宇文": ["yu", "wen"], "公孙": ["gong", "sun"],
    "轩辕": ["xuan", "yuan"], "澹台": ["tan", "tai"], "闻人": ["wen", "ren"], "呼延": ["hu", "yan"],
}
SURNAME_READINGS: dict[str, str] = {
    "曾": "zeng", "单": "shan", "仇": "qiu", "解": "xie", "区": "ou", "查": "zha", "朴": "piao",
    "缪": "miao", "翟": "zhai", "乐": "yue", "覃": "qin", "盖": "ge", "种": "chong", "秘": "bi",
    "折": "she", "召": "shao", "宓": "mi", "员": "yun", "阚": "kan", "句": "gou", "藏": "zang",
    "重": "chong", "祭": "zhai", "尉": "wei", "纪": "ji", "沈": "shen", "任": "ren", "华": "hua",
    "燕": "yan", "繁": "po", "朝": "chao", "雍": "yong", "隗": "wei", "卜": "bu", "柏": "bai",
    "贾": "jia", "过": "guo", "乜": "nie", "眭": "sui", "逄": "pang", "訾": "zi", "都": "du",
    "长": "chang", "蕃": "pi", "谌": "chen", "佴": "nai", "褚": "chu", "费": "fei", "薄": "bo",
}

MAX_SUBSTRING_NAME = 8  # longer names (rare, or foreign) index only their first 8 characters
_NON_NAME = re.compile(r"[\s·•.\-_]+")


def normalise_name(name: str) -> str:
    """Full-width to half-width, lower case, separators dropped: the form keys are made from."""
    return _NON_NAME.sub("", unicodedata.normalize("NFKC", name or "")).lower()


def is_han(text: str) -> bool:
    return bool(text) and all("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" for ch in text)


def name_syllables(name: str) -> tuple[list[str], int]:
    """Pinyin syllables of a name, and how many of them belong to the surname."""
    syllables, count = _syllables(normalise_name(name))
    return list(syllables), count


# Names repeat a lot (a 200,000-member store has ~57,000 distinct names): pypinyin is the cost of a
# first download, so each distinct name is read once.
@functools.lru_cache(maxsize=65536)
def _syllables(text: str) -> tuple[tuple[str, ...], int]:
    if not text:
        return (), 0
    if text[:2] in COMPOUND_SURNAMES and len(text) > 2:
        surname, rest, count = COMPOUND_SURNAMES[text[:2]], text[2:], 2
    elif len(text) > 1:
        surname, rest, count = [surname_reading(text[0])], text[1:], 1
    else:
        surname, rest, count = list(_pinyin(text)), "", 1
    given = _pinyin(rest) if rest else ()
    return tuple(s.lower() for s in (*surname, *given) if s), count


def _lazy_pinyin(text: str) -> list[str]:
    """pypinyin, imported on first use: loading its dictionaries takes half a second, which the console's
    start-up must not pay (it is needed only to index names, during a sync or an enrolment)."""
    from pypinyin import Style, lazy_pinyin

    return lazy_pinyin(text, style=Style.NORMAL, errors="default")


def preload() -> None:
    """Load pypinyin's dictionaries now. Its loading is one long C call that holds the GIL (~0.2 s): done
    lazily on a worker thread, the first name search would freeze the window that long. The console pays
    it once at start-up instead, before its window shows; the sync process pays it in its own process."""
    _lazy_pinyin("预")


@functools.lru_cache(maxsize=65536)
def _pinyin(text: str) -> tuple[str, ...]:
    """Given names repeat far more than whole names (a few thousand in a big store)."""
    return tuple(_lazy_pinyin(text))


@functools.lru_cache(maxsize=4096)
def surname_reading(char: str) -> str:
    """How a name starting with this character begins in pinyin (曾 → "zeng"), compound surnames aside."""
    if char in SURNAME_READINGS:
        return SURNAME_READINGS[char]
    return _lazy_pinyin(char)[0].lower()


def search_keys(name: str) -> list[str]:
    """All keys under which a member with this name is found, deduplicated."""
    return list(_search_keys(normalise_name(name)))


@functools.lru_cache(maxsize=65536)
def _search_keys(text: str) -> tuple[str, ...]:
    if not text:
        return ()
    keys: dict[str, None] = {text: None}
    if is_han(text):
        head = text[:MAX_SUBSTRING_NAME]
        for size in range(2, len(head) + 1):
            for start in range(len(head) - size + 1):
                keys[head[start : start + size]] = None
        syllables, surname_count = name_syllables(text)
        if syllables and all(s.isascii() and s.isalpha() for s in syllables):
            keys["".join(syllables)] = None
            keys["".join(s[0] for s in syllables)] = None
            given = syllables[surname_count:]
            if len(given) >= 2:  # "xiaoming" finds 张小明; a lone "li" should find 李 before every X丽
                keys["".join(given)] = None
    return tuple(keys)


@functools.lru_cache(maxsize=65536)
def sort_key(name: str) -> str:
    """How a name sorts in a Chinese list: by pinyin, syllable by syllable (李安娜 "li an na" before
    李娜 "li na"), then by the characters themselves so homophones keep a fixed order."""
    text = normalise_name(name)
    if not text:
        return ""
    syllables, _ = name_syllables(text) if is_han(text) else ([text], 0)
    return " ".join(syllables) + "\t" + text
