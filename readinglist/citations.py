"""Citations: keys and styles. Pure functions over papers and authors.

Every paper here is a preprint from a listing (no venue), so each style cites it
as one: BibTeX ``@misc`` with ``note = {Preprint}``; APA, MLA and Chicago with
"Preprint" where the venue would stand.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from readinglist.models import Author, Paper
from readinglist.names import SUFFIXES, family_name
from readinglist.text import ascii_fold

STYLES: dict[str, str] = {
    "bibtex": "BibTeX",
    "biblatex": "BibLaTeX",
    "apa": "APA 7",
    "mla": "MLA 9",
    "chicago": "Chicago (author-date)",
    "ieee": "IEEE",
    "plain": "Plain text",
    "markdown": "Markdown",
}
DEFAULT_STYLE = "bibtex"
MONTH_MACROS = "jan feb mar apr may jun jul aug sep oct nov dec".split()

KEY_STOPWORDS = frozenset(
    "a an the on of in for and to with from by at as is are via towards toward "
    "how what when why which do does can".split()
)
_LATEX_SPECIALS = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "%": r"\%",
    "&": r"\&", "_": r"\_", "#": r"\#", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}
_LATEX_RE = re.compile("|".join(re.escape(c) for c in _LATEX_SPECIALS))


# -- names ------------------------------------------------------------------------------


def _name_suffix(name: str) -> str:
    """``Jr.``, ``III`` ... at the end of a name, or ""."""
    tokens = name.split()
    out = []
    while len(tokens) > 2 and tokens[-1].lower().rstrip(",") in SUFFIXES:
        out.insert(0, tokens.pop().rstrip(","))
    return " ".join(out)


def _given_names(name: str) -> list[str]:
    """The given-name tokens as written (``C. -C. Jay`` -> [C., -C., Jay]),
    without the family name or a suffix (``Martin Luther King Jr.`` -> [Martin, Luther])."""
    tokens = name.split()
    suffix = _name_suffix(name)
    if suffix:
        tokens = tokens[: len(tokens) - len(suffix.split())]
    return tokens[: len(tokens) - len(family_name(name).split())]


def _initials(name: str) -> str:
    """``Ganesh Ramachandra Kini`` -> ``G. R.``; ``Jun-Kun Wang`` -> ``J.-K.``."""
    out = []
    for token in _given_names(name):
        pieces = [p for p in token.replace(".", "").split("-") if p]
        if not pieces:
            continue
        initial = "-".join(p[0].upper() + "." for p in pieces)
        out.append(("-" if token.startswith("-") else "") + initial)
    return " ".join(out).replace(" -", "-")


def inverted(name: str, bibtex: bool = False) -> str:
    """``Last, First Middle`` (and ``, Jr.`` after it; BibTeX wants
    ``Last, Jr., First``)."""
    given = " ".join(_given_names(name))
    family, suffix = family_name(name), _name_suffix(name)
    if bibtex and suffix:
        return f"{family}, {suffix}, {given}"
    parts = [family, given, suffix]
    return ", ".join(p for p in parts if p)


def _apa_name(name: str) -> str:
    parts = [family_name(name), _initials(name), _name_suffix(name)]
    return ", ".join(p for p in parts if p)


# -- titles -----------------------------------------------------------------------------


def _keep_case(word: str) -> bool:
    """Acronyms and words with inner capitals or digits keep their case (LLMs,
    GPT-4, MoDeGPT); each part of a hyphenated word is judged on its own, so
    title-case compounds (Non-Convexity) do not count."""
    for piece in word.split("-"):
        letters = [c for c in piece if c.isalpha()]
        if len(letters) > 1 and any(c.isupper() for c in letters[1:]):
            return True
        if letters and any(c.isdigit() for c in piece):
            return True
    return False


def sentence_case(title: str) -> str:
    """APA's sentence case: capitals only at the start, after a colon, and where kept."""
    out: list[str] = []
    capitalise = True
    for word in title.split(" "):
        if _keep_case(word):
            out.append(word)
        elif capitalise:
            out.append(word[:1].upper() + word[1:].lower())
        else:
            out.append(word.lower())
        capitalise = word.endswith((":", "?", "!", "."))
    return " ".join(out)


def latex_escape(text: str) -> str:
    """Escape LaTeX specials; ``--`` becomes ``-{}-`` so it stays two hyphens,
    not an en dash."""
    escaped = _LATEX_RE.sub(lambda m: _LATEX_SPECIALS[m.group()], text)
    while "--" in escaped:
        escaped = escaped.replace("--", "-{}-")
    return escaped


def bibtex_title(title: str) -> str:
    """Escape specials and protect acronyms and inner capitals with braces."""
    words = []
    for word in title.split(" "):
        escaped = latex_escape(word)
        words.append("{" + escaped + "}" if _keep_case(word) else escaped)
    return " ".join(words)


# -- keys ---------------------------------------------------------------------------------


def base_key(paper: Paper) -> str:
    """``kothapalli2023neural``: family name, year, first significant title word."""
    family = family_name(paper.authors[0]) if paper.authors else "anon"
    family = re.sub(r"[^a-z]", "", ascii_fold(family).lower()) or "anon"
    year = str(paper.year) if paper.year else "nd"
    word = next(
        (w for w in re.findall(r"[a-z0-9]+", ascii_fold(paper.title).lower()) if w not in KEY_STOPWORDS),
        "paper",
    )
    return f"{family}{year}{word}"


def unique_keys(papers: Iterable[Paper]) -> dict[str, str]:
    """Citation keys unique across the library: repeats get ``a``, ``b``, ...

    Papers sharing a base key are ordered by when they were added, then by id, so
    a paper keeps its key across runs and re-imports.
    """
    groups: dict[str, list[Paper]] = {}
    for paper in papers:
        groups.setdefault(base_key(paper), []).append(paper)
    keys: dict[str, str] = {}
    for key, group in groups.items():
        if len(group) == 1:
            keys[group[0].id] = key
            continue
        group.sort(key=lambda p: (p.added or "", p.id))
        for n, paper in enumerate(group):
            keys[paper.id] = key + _suffix(n)
    return keys


def _suffix(n: int) -> str:
    letters = ""
    n += 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(ord("a") + rem) + letters
    return letters


# -- styles -------------------------------------------------------------------------------


def _names(paper: Paper) -> list[str]:
    return list(paper.authors) or ["Anonymous"]


def _braced(text: str) -> str:
    return "{%s}" % text


def bibtex_entry(
    paper: Paper,
    key: str,
    tags: Iterable[str] = (),
    extra: Iterable[tuple[str, str]] = (),
    biblatex: bool = False,
) -> str:
    """One ``@misc`` entry. ``extra`` fields are added as given (already braced).

    BibTeX gets ``year`` and a ``month`` macro; BibLaTeX an ISO ``date`` and
    ``pubstate = {prepublished}``. A list cut short by ``et al.`` ends in
    ``and others``; tags become ``keywords``.
    """
    authors = " and ".join(inverted(n, bibtex=True) for n in _names(paper))
    if paper.et_al:
        authors += " and others"
    fields = [("title", _braced(bibtex_title(paper.title))), ("author", _braced(latex_escape(authors)))]
    if biblatex:
        if paper.date:
            fields.append(("date", _braced(paper.date)))
        fields.append(("pubstate", "{prepublished}"))
    else:
        if paper.year:
            fields.append(("year", str(paper.year)))
        if paper.date:  # a month macro (jan ... dec), as BibTeX styles expect
            fields.append(("month", MONTH_MACROS[int(paper.date[5:7]) - 1]))
        fields.append(("note", "{Preprint}"))
    tags = list(tags)
    if tags:
        fields.append(("keywords", _braced(latex_escape(", ".join(tags)))))
    fields.extend(extra)
    body = ",\n".join(f"  {name} = {value}" for name, value in fields)
    return f"@misc{{{key},\n{body}\n}}\n"


def _series(names: list[str], conjunction: str, pair_comma: bool = True) -> str:
    """``a``; ``a, & b`` (or ``a & b``); ``a, b, & c``."""
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return f"{names[0]}{',' if pair_comma else ''} {conjunction} {names[1]}"
    return ", ".join(names[:-1]) + f", {conjunction} {names[-1]}"


def _apa(paper: Paper) -> str:
    names = [_apa_name(n) for n in _names(paper)]
    authors = ", ".join(names) + ", et al." if paper.et_al else _series(names, "&")
    year = paper.year or "n.d."
    title = sentence_case(paper.title).rstrip(".")
    return f"{authors} ({year}). {title} [Preprint]."


def _mla(paper: Paper) -> str:
    names = _names(paper)
    if len(names) == 1 and not paper.et_al:
        authors = inverted(names[0])
    elif len(names) == 2 and not paper.et_al:
        authors = f"{inverted(names[0])}, and {names[1]}"
    else:
        authors = f"{inverted(names[0])}, et al"
    year = f" {paper.year}." if paper.year else ""
    return f"{authors}. \u201c{paper.title.rstrip('.')}.\u201d Preprint,{year}".rstrip(",")


def _chicago(paper: Paper) -> str:
    names = _names(paper)
    listed = [inverted(names[0]), *names[1:]]
    authors = ", ".join(listed) + ", et al" if paper.et_al else _series(listed, "and")
    year = paper.year or "n.d."
    return f"{authors}. {year}. \u201c{paper.title.rstrip('.')}.\u201d Preprint."


IEEE_MONTHS = "Jan. Feb. Mar. Apr. May Jun. Jul. Aug. Sep. Oct. Nov. Dec.".split()


def _ieee(paper: Paper) -> str:
    names = [" ".join(p for p in (_initials(n), family_name(n), _name_suffix(n)) if p)
             for n in _names(paper)]
    if paper.et_al or len(names) > 6:
        authors = f"{names[0]} et al."
    else:
        authors = _series(names, "and", pair_comma=False)
    when = f"{IEEE_MONTHS[int(paper.date[5:7]) - 1]} {paper.year}" if paper.date else "n.d."
    separator = " " if authors.endswith(".") else ", "
    title = paper.title.rstrip(".")
    comma = "" if title.endswith(("?", "!")) else ","
    return f"{authors}{separator}\u201c{title}{comma}\u201d preprint, {when}."


def _plain_authors(paper: Paper) -> str:
    names = _names(paper)
    return ", ".join(names) + (" et al." if paper.et_al else "")


def cite(
    paper: Paper,
    authors: Mapping[str, Author] | None = None,
    style: str = DEFAULT_STYLE,
    key: str | None = None,
    tags: Iterable[str] = (),
) -> str:
    """The citation of ``paper`` in ``style`` (one of ``STYLES``)."""
    if style in ("bibtex", "biblatex"):
        return bibtex_entry(paper, key or base_key(paper), tags, biblatex=style == "biblatex")
    if style == "ieee":
        return _ieee(paper)
    if style == "apa":
        return _apa(paper)
    if style == "mla":
        return _mla(paper)
    if style == "chicago":
        return _chicago(paper)
    year = paper.year or "n.d."
    if style == "plain":
        return f"{_plain_authors(paper)} ({year}). {paper.title}."
    if style == "markdown":
        return f"- {paper.title}, {_plain_authors(paper)} ({year})"
    raise ValueError(f"unknown citation style {style!r}; choose from {', '.join(STYLES)}")
