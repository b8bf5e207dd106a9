"""People's names: telling a name from other text, and telling two names apart.

Used by the compact-listing parser (where does the title end and the first
author begin?), by the merge (is ``Ganesh R. Kini`` the same person as
``Ganesh Ramachandra Kini``?) and by citations (the family name).
"""

from __future__ import annotations

from dataclasses import dataclass

from readinglist.text import ascii_fold

# Lower-case words that may stand inside a name ("Ludwig van Beethoven").
PARTICLES = frozenset(
    "van von der den de del della da di du la le bin ibn al el dos das do ter ten zu y st".split()
)
# Prefixes after which a capital inside one word is normal ("McDonald", "DeWitt").
CAMEL_PREFIXES = ("Mc", "Mac", "De", "Di", "Da", "Du", "La", "Le", "Van", "Von", "Fitz", "St")
SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})

# Penalties used to rank candidate splits; lower is more name-like.
CAMEL_PENALTY = 1.0
BARE_CAPS_PENALTY = 1.5


def _is_initial(tok: str) -> bool:
    """``R.``, ``-C.``, ``C.-C.``, ``J.R.``."""
    core = tok.lstrip("-")
    parts = [p for p in core.replace("-", ".").split(".") if p]
    return (
        core.endswith(".")
        and bool(parts)
        and all(len(p) == 1 and p.isalpha() and p.isupper() for p in parts)
    )


def _word_penalty(piece: str) -> float | None:
    """How name-like one hyphen- or apostrophe-free piece is; None if not at all."""
    if not piece or not piece.isalpha() or not piece[0].isupper():
        return None
    rest = piece[1:]
    if not rest:
        return None
    if rest.islower():
        return 0.0
    if piece.isupper():
        return BARE_CAPS_PENALTY if len(piece) <= 2 else None
    # An inner capital: fine after a known prefix ("MacKay"), else not a name.
    for prefix in CAMEL_PREFIXES:
        if piece.startswith(prefix) and len(piece) > len(prefix) + 1:
            tail = piece[len(prefix):]
            if tail[0].isupper() and tail[1:].islower():
                return CAMEL_PENALTY
    return None


def is_initial(tok: str) -> bool:
    """Is ``tok`` one or more initials: ``R.``, ``-C.``, ``C.-C.``, ``J.R.``?"""
    return _is_initial(tok)


def token_penalty(tok: str, *, first: bool, last: bool) -> float | None:
    """How name-like one whitespace-separated token is; None if it cannot be in a name."""
    if _is_initial(tok):
        return None if last else 0.0
    if tok.lower() in PARTICLES and tok.islower():
        return None if first or last else 0.0
    if tok.lower() in SUFFIXES and last and not first:
        return 0.0
    tok = tok.replace("\u2019", "'")
    if len(tok) > 2 and tok[1] == "'" and tok[0] in "ODLdl":  # O'Brien, D'Angelo, d'Alembert
        tok = tok[2:]
    total = 0.0
    for piece in tok.split("-"):
        penalty = _word_penalty(piece)
        if penalty is None and "'" in piece:
            # An apostrophe inside a given name: "Marc'Aurelio", "N'Golo". Each
            # side must be capitalised (so a title's "It's" is not a name).
            sides = piece.split("'")
            if len(sides) == 2 and (len(sides[0]) == 1 and sides[0].isupper()
                                    or _word_penalty(sides[0]) is not None):
                right = _word_penalty(sides[1])
                penalty = None if right is None else right + (_word_penalty(sides[0]) or 0.0)
        if penalty is None:
            # Hyphenated given names may continue in lower case ("Jean-luc").
            if piece.isalpha() and piece.islower() and not tok.startswith(piece):
                continue
            return None
        total += penalty
    return total


def name_penalty(text: str) -> float | None:
    """How name-like ``text`` is as a whole person's name; None if it is not one."""
    if len(text) > 80:  # before splitting: a 10 MB line is not a name
        return None
    tokens = text.split()
    # Particles and a suffix do not count towards the length: "J. R. R. van
    # der Berg Jr." has four name words. Nor do they make a name whole on
    # their own: "Kay Jr." is not a person (it is "Vala MacKay Jr." cut in two).
    core = sum(
        1 for i, tok in enumerate(tokens)
        if not (tok.islower() and tok in PARTICLES)
        and not (i == len(tokens) - 1 and i > 0 and tok.lower() in SUFFIXES)
    )
    if not 2 <= core <= 6 or len(tokens) > 9 or len(text) > 80:
        return None
    total = 0.0
    for i, tok in enumerate(tokens):
        penalty = token_penalty(tok, first=i == 0, last=i == len(tokens) - 1)
        if penalty is None:
            return None
        total += penalty
    return total + max(0, core - 4) * 0.5


def is_name(text: str) -> bool:
    return name_penalty(text) is not None


@dataclass(frozen=True)
class NameParts:
    """A name split for comparison: given-name units and the family name key."""

    given: tuple[tuple[str, bool], ...]  # (folded unit, is_initial)
    family: str  # folded, particles included ("vandermeer")
    family_display: str  # as written ("van der Meer")
    # Indexes into ``given`` of the units that continue a spelled-out
    # hyphenated given name: 1 for "Jun-Kun Wang" ("kun" goes with "jun").
    joined: frozenset[int] = frozenset()


def split_name(name: str) -> NameParts:
    """Split ``name`` into given names and family name.

    The family name is the last token, with any particles before it and any
    suffix (``Jr.``) after it dropped from the key.
    """
    tokens = name.split()
    while len(tokens) > 1 and tokens[-1].lower().rstrip(",") in SUFFIXES:
        tokens = tokens[:-1]
    if not tokens:
        return NameParts((), "", "")
    start = len(tokens) - 1
    while start > 1 and _is_particle(tokens, start - 1):
        start -= 1
    family_tokens = tokens[start:]
    given: list[tuple[str, bool]] = []
    joined: set[int] = set()
    for tok in tokens[:start]:
        if _is_initial(tok):
            for letter in tok.replace("-", ".").split("."):
                if letter:
                    given.append((_key(letter), True))
        else:
            for k, piece in enumerate(p for p in tok.split("-") if p):
                if k:
                    joined.add(len(given))
                given.append((_key(piece), False))
    return NameParts(
        tuple(given),
        "".join(_key(t) for t in family_tokens),
        " ".join(family_tokens),
        frozenset(joined),
    )


def _is_particle(tokens: list[str], i: int) -> bool:
    """Is ``tokens[i]`` part of the family name's particles?

    A lower-case particle always is ("van Beethoven"). A capitalised one only
    next to another particle ("Van den Broeck", "Van Den Broeck", "De la
    Cruz"): alone it may be a given name ("Ying Di Wang", "Vincent Van Gogh"
    is the price). Without the neighbour rule "Guy Van den Broeck" had the
    family name "den Broeck" and "Guy Van Den Broeck" another person's.
    """
    tok = tokens[i]
    if tok.lower() not in PARTICLES:
        return False
    if tok.islower():
        return True
    return any(0 < k < len(tokens) - 1 and tokens[k].lower() in PARTICLES for k in (i - 1, i + 1))


def _key(text: str) -> str:
    return "".join(ch for ch in ascii_fold(text).casefold() if ch.isalnum())


def _unit_compatible(a: tuple[str, bool], b: tuple[str, bool]) -> bool:
    (ka, ia), (kb, ib) = a, b
    if ia or ib:
        return bool(ka) and bool(kb) and ka[0] == kb[0]
    return ka == kb


def compatible(a: str, b: str) -> bool:
    """Could ``a`` and ``b`` be spellings of one person's name?

    Same family name, the first given names agree (an initial agrees with any
    name starting with it), and every further given name present in both agrees.
    A given name present in one only is fine ("Ganesh Kini" ~ "Ganesh R. Kini").
    """
    pa, pb = split_name(a), split_name(b)
    if not pa.family or pa.family != pb.family:
        return False
    if not pa.given or not pb.given:
        return pa.given == pb.given
    if not _unit_compatible(pa.given[0], pb.given[0]):
        return False
    if not all(_unit_compatible(x, y) for x, y in zip(pa.given[1:], pb.given[1:])):
        return False
    # A hyphenated given name is one name: "Jun Wang" spelt out is not "Jun-Kun
    # Wang" (though "J. Wang" may be), where "Ganesh Kini" may be "Ganesh R. Kini".
    for longer, shorter in ((pa, pb), (pb, pa)):
        n = len(shorter.given)
        if n < len(longer.given) and n in longer.joined and not shorter.given[n - 1][1]:
            return False
    return True


def fullness(name: str) -> tuple[int, int]:
    """Rank spellings: more spelled-out given names first, then longer."""
    parts = split_name(name)
    return (sum(1 for _, initial in parts.given if not initial), len(name))


def family_name(name: str) -> str:
    """The family name as written: ``Ludwig van Beethoven`` -> ``van Beethoven``."""
    return split_name(name).family_display
