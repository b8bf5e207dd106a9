"""The compact listing: a meta line, then title and authors run together on one
line (``...Neural-Collapse GeometryChristos Thrampoulidis, Ganesh R. Kini et al.``),
then the abstract.

The hard part is where the title ends. The author list is a suffix of the line:
comma-separated names, the first of which starts right after the title's last
character with no space. Every place where that could be is scored by how
name-like the names are and how title-like the title's end is; names already in
the library (``known``) break near-ties, but the split works without them.
"""

from __future__ import annotations

from collections.abc import Callable

from readinglist.listings.common import MAX_NAME_CHARS, AuthorLine, split_names, split_tail
from readinglist.listings.common import name_penalty as _name_penalty
from readinglist.names import CAMEL_PREFIXES, is_initial
from readinglist.text import clean_line

KNOWN_NAME_BONUS = 2.0
TITLE_CAMEL_PENALTY = 2.0
WHOLE_NAME_CUT_PENALTY = 3.0


def _title_end_penalty(title: str, first: str = "") -> float | None:
    """How unlikely it is that a title ends this way, before the first author
    ``first``; None if it cannot."""
    if not title or title[-1] in "-,([{/&" or title[-1].isspace():
        return None
    last_word = title.rsplit(None, 1)[-1]  # not split()[-1]: a list of every word
    # "...dataDe" + "Witt Smith": a title word that ends in a short capitalised
    # piece stuck to lower case is more likely a name cut in two ("DeWitt").
    k = max((i for i, ch in enumerate(last_word) if ch.isupper()), default=-1)
    tail = last_word[k + 1:]
    if k > 0 and last_word[k - 1].islower() and tail.islower() and len(tail) < 4:
        return TITLE_CAMEL_PENALTY
    # A lone capital stuck to lower case ("ReL") is a word cut in two only
    # before initials: "...ReLU." + "C. Kini" is not "...ReL" + "U.C. Kini".
    # Before a whole name it is a normal title end ("...ViT", "...MoE"), and
    # penalising it there made "MoE" + "DeAndre Lee" lose to "MoEDe" + "Andre Lee".
    if (k > 0 and not tail and last_word[k - 1].islower()
            and first and is_initial(first.split()[0])):
        return TITLE_CAMEL_PENALTY
    # So is a name prefix at the end of the title, standing alone or stuck to
    # anything: "...R. Mac" + "Kay Jr.", "...GPTDe" + "Andre Lee".
    if k >= 0 and last_word[k:] in CAMEL_PREFIXES:
        return TITLE_CAMEL_PENALTY
    # And a letter and an apostrophe: "...Marc'" + "Aurelio Kini", "...O'" + "Brien".
    if len(last_word) > 1 and last_word[-1] in "'\u2019" and last_word[-2].isalpha():
        return TITLE_CAMEL_PENALTY
    return 0.0


def split_title_authors(
    line: str, known: Callable[[str], bool] | None = None
) -> tuple[str, AuthorLine] | None:
    """Split a compact title+authors line; None if no split is plausible.

    Linear in the length of the line: each comma-separated part's names are
    checked once (not once per candidate part), only the last ``MAX_NAME_CHARS``
    characters of a part can start the first author (a longer tail is no name),
    and the title is built once, for the winner. It was quadratic: a line of
    3,000 authors took 50 s, a 20 kB title without spaces 14 s.
    """
    body, et_al, affiliation = split_tail(clean_line(line))
    parts = body.split(", ")
    # Ranked by (score, -number of authors, -length of first name): ties go to
    # the longer author list, then to the longer first name; the first best wins.
    best: tuple[tuple[float, int, int], int, int] | None = None
    # The names of parts[j+1:], last first, and how many the library knows.
    rest_reversed: list[str] = []
    rest_known = 0
    # The authors are parts[j+1:], all whole names; parts[j] is title + first author.
    for j in range(len(parts) - 1, -1, -1):
        if j < len(parts) - 1:
            names = split_names(parts[j + 1])
            if any(_name_penalty(n) is None for n in names):
                break  # every smaller j would need this part to be a name too
            rest_reversed.extend(reversed(names))
            if known is not None:
                rest_known += sum(1 for n in names if known(n))
        head = parts[j]
        # A part that is a whole name after a comma is an author: a cut inside
        # it ("..., T." + "J. Kini", "..., Marc'" + "Aurelio Kini") would leave a
        # name's first half as the end of the title.
        whole_name = j > 0 and all(_name_penalty(n) is not None for n in split_names(head))
        for i in range(max(1, len(head) - MAX_NAME_CHARS), len(head)):
            if not head[i].isupper() or head[i - 1].isspace():
                continue
            first = head[i:]
            first_penalty = _name_penalty(first)
            if first_penalty is None:
                continue
            title_penalty = _title_end_penalty(head[:i], first)
            if title_penalty is None:
                continue
            # Only the cut itself is scored: the names after it are whole
            # comma-separated parts, valid (checked above) whichever part the
            # cut is in. Summing their penalties too made every camel-case
            # name after the cut ("MacKay") argue for a later cut, until one
            # inside the last name ("...MacKay, Marc'" + "Aurelio Kini") won.
            score = first_penalty + title_penalty + (WHOLE_NAME_CUT_PENALTY if whole_name else 0.0)
            if known is not None:
                score -= KNOWN_NAME_BONUS * (rest_known + (1 if known(first) else 0))
            rank = (score, -(1 + len(rest_reversed)), -len(first))
            if best is None or rank < best[0]:
                best = (rank, j, i)
    if best is None:
        return None
    _, j, i = best
    head = parts[j]
    title = ", ".join(parts[:j]) + (", " if j else "") + head[:i]
    authors = [head[i:], *(n for p in parts[j + 1:] for n in split_names(p))]
    return title.strip(), AuthorLine(authors, et_al, affiliation)
