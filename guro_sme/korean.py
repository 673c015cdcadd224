"""Korean particles chosen by the sound the word before ends with: 이/가, 을/를, 은/는, 와/과, (으)로.

`particle("기금", "을")` → "을"; `particle("구로", "을")` → "를"; `with_particle("구로", "은")` → "구로는".
Either form of a pair may be asked for ("을" or "를", "으로" or "로"). Trailing quotes, brackets and
spaces are skipped; digits and Latin letters are read as they are pronounced (1 일, 3 삼, M 엠).
"""

HANGUL_FIRST, HANGUL_LAST = 0xAC00, 0xD7A3
FINAL_RIEUL = 8  # ㄹ: "(으)로" takes 로 after it, like after a vowel

# (with a final consonant, without one)
PAIRS = {
    "이": ("이", "가"),
    "가": ("이", "가"),
    "을": ("을", "를"),
    "를": ("을", "를"),
    "은": ("은", "는"),
    "는": ("은", "는"),
    "과": ("과", "와"),
    "와": ("과", "와"),
    "으로": ("으로", "로"),
    "로": ("으로", "로"),
    "이다": ("이다", "다"),
    "이나": ("이나", "나"),
}

# How a digit or a Latin letter ends when read aloud: None (a vowel) or a final consonant index.
_SPOKEN_FINALS = {
    **dict.fromkeys("2459", None),
    **dict.fromkeys("0", 21),  # 영: ㅇ
    **dict.fromkeys("178", FINAL_RIEUL),  # 일, 칠, 팔
    "3": 16,  # 삼: ㅁ
    "6": 1,  # 육: ㄱ
    **dict.fromkeys("lr", FINAL_RIEUL),  # 엘, 알
    **dict.fromkeys("mn", 16),  # 엠, 엔
}
_SKIPPED = set("'\"’”」』)]}>›» .,·")


def final_consonant(word: str) -> int | None:
    """The final consonant (종성) index of the last sounded character, or None after a vowel."""
    for char in reversed(str(word)):
        if char in _SKIPPED:
            continue
        code = ord(char)
        if HANGUL_FIRST <= code <= HANGUL_LAST:
            return (code - HANGUL_FIRST) % 28 or None
        return _SPOKEN_FINALS.get(char.lower())
    return None


def particle(word, particle_form: str) -> str:
    """The form of `particle_form`'s pair that follows `word`."""
    with_final, without_final = PAIRS[particle_form]
    final = final_consonant(word)
    if with_final == "으로":
        return without_final if final in (None, FINAL_RIEUL) else with_final
    return without_final if final is None else with_final


def with_particle(word, particle_form: str) -> str:
    return f"{word}{particle(word, particle_form)}"


def korean_name(user) -> str:
    """A person's name as Korean writes it: family name first, no space (정효진).

    Django's `User.get_full_name()` puts the given name first ("효진 정"); use this (or the
    `person` template filter, `{{ user|person }}`) wherever a user's name is shown. Falls back to
    the username when no name is recorded, and to "-" for no user at all.
    """
    if user is None:
        return "-"
    name = f"{getattr(user, 'last_name', '') or ''}{getattr(user, 'first_name', '') or ''}".strip()
    return name or user.get_username()
