"""Text hygiene shared by the whole core: cleaning untrusted text, folding keys.

Listings are copied from web pages and pasted by people; anything in them may be
hostile. ``clean`` removes what must never reach a terminal; ``fold`` gives the
comparison key used to recognise the same title or name written differently.
"""

from __future__ import annotations

import re
import unicodedata

# C0 and C1 controls except tab and newline, plus DEL. ESC (0x1b) is the one
# that matters most: it starts every terminal escape sequence (OSC 52, CSI ...).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Bidirectional overrides and isolates can reorder what the reader sees.
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
# A run of whitespace that is not already one plain space (``\s`` is what
# str.split() splits on). A regex, not " ".join(text.split()): that built a
# list of every word of a 10 MB line; and leaving single spaces alone is 4x
# faster than replacing each with itself.
_SPACES = re.compile(r"[^\S ]\s*| \s+")

# Letters that Unicode does not decompose into base letter + accent.
_TRANSLIT = str.maketrans(
    {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss",
     "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ı": "i", "þ": "th", "ð": "d"}
)
# Anything but a letter or digit, of any script: "[^0-9a-z]" dropped Greek,
# Cyrillic and CJK letters whole, so that every title written in them folded
# to "" and two such papers became one.
_NON_ALNUM = re.compile(r"[\W_]+")


def clean(text: str) -> str:
    """Remove control characters (but newline and tab) and bidi overrides; NFC."""
    text = _CONTROL.sub("", text)
    text = _BIDI.sub("", text)
    return unicodedata.normalize("NFC", text)


def clean_line(text: str) -> str:
    """``clean`` for one-line fields: also folds every run of whitespace to one space."""
    return _SPACES.sub(" ", clean(text)).strip()


def clip(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, ending in "…" when cut.

    For what a screen lays out: a widget wraps every character it is given, and
    a 10 MB abstract froze the app for 90 s. Cut before ``clean`` so that the
    cleaning too costs no more than the limit.
    """
    return text if len(text) <= limit else text[: max(limit - 1, 0)] + "…"


def ascii_fold(text: str) -> str:
    """Strip accents: ``Łojasiewicz`` -> ``Lojasiewicz``, ``Müller`` -> ``Muller``."""
    if text.isascii():  # most text: nothing to strip (and a per-character loop is slow)
        return text
    text = unicodedata.normalize("NFKD", text.translate(_TRANSLIT))
    if text.isascii():
        return text
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def fold(text: str) -> str:
    """A comparison key: accents, case, punctuation and spacing removed.

    Latin letters fold to ASCII (``Łojasiewicz`` -> ``lojasiewicz``); letters
    of other scripts are kept (``Глубокое обучение`` -> ``глубокое обучение``).
    """
    return _NON_ALNUM.sub(" ", ascii_fold(text).casefold()).strip()


_WORD = re.compile(r"[0-9a-z]+")


def words(text: str) -> list[str]:
    """The folded words of ``text``, in order."""
    return _WORD.findall(ascii_fold(text).casefold())
