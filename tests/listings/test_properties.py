"""Property tests of the listing parsers (hypothesis).

1. The parsers never raise anything but ``ListingError``, on arbitrary text and
   on arbitrary bytes, nor on listing-shaped text with the pieces scrambled.
2. A paper rendered in any of the three formats parses back to itself, field
   by field, with the source line pointing at its meta line.

The generators build realistic titles (acronyms such as LLMs and GPT-4, digits,
``?``, ``)``, hyphenated words, colons, commas, letters beyond ASCII) and names
(hyphenated, initials, particles, suffixes, MacKay/DeWitt/O'Brien, Łukasz,
Müller, Ørsted). What they leave out, and why, is said where they do it.
"""

from __future__ import annotations

import os
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readinglist.listings import ListingError, parse_bytes, parse_text
from readinglist.listings.render import (
    render_abstracts,
    render_compact,
    render_meta,
    render_profile,
)
from readinglist.models import (
    FORMAT_ABSTRACTS,
    FORMAT_COMPACT,
    FORMAT_PROFILE,
    ParsedPaper,
    Profile,
    Source,
)
from readinglist.names import is_name

# Modest by default (the suite stays fast); RL_HYPOTHESIS_EXAMPLES=5000 for a hunt.
EXAMPLES = int(os.environ.get("RL_HYPOTHESIS_EXAMPLES", "75"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
FUZZ_SETTINGS = settings(max_examples=EXAMPLES, deadline=None)

# -- names ----------------------------------------------------------------------

GIVEN = [
    "Vala", "Tina", "Yize", "Christos", "Ganesh", "Abhishek", "Ata", "Zimeng",
    "Jun-Kun", "Chi-Heng", "Wei-Rui", "Jean-Baptiste", "Pin-Lun", "Anne-Marie",
    "Łukasz", "Jürgen", "Søren", "Zoë", "Ørjan", "Rémi", "Hervé", "Çağlar",
    "Marc'Aurelio", "Ivan", "Mary", "Tom", "Ana", "DeAndre", "LaToya", "MacKenzie",
]
# Initials standing for the whole given name (the first token of the name).
GIVEN_INITIALS = ["C. -C.", "J.", "R.", "J. R.", "A.-L.", "T.J."]
MIDDLE = ["R.", "L.", "D.", "Ramachandra", "Seale", "Singh", "Malur", "Q."]
FAMILY = [
    "Kini", "Vakilian", "Thrampoulidis", "Lin", "Wang", "Li", "Le", "Ng",
    "MacKay", "DeWitt", "McDonald", "LeCun", "O'Brien", "D'Angelo",
    "Müller", "Ørsted", "Łojasiewicz", "Jégou", "Gürel", "Smith-Jones",
    "van der Berg", "de la Cruz", "van Beethoven", "von Neumann", "Van den Broeck",
]
SUFFIX = ["Jr.", "Sr.", "III"]


UPPER = "ABCDEFGHJKLMNOPRSTVWYZÉÁÓŁØÖÇŠŽÅÆ"
LOWER = "abcdefghijklmnoprstuvwyzäöüéèáíóúłøçšžßåæı"
SUFFIX_KEYS = {"jr", "sr", "ii", "iii", "iv"}

# Made-up capitalised words (Zürąk, Øbel...), beyond any list: three letters
# at least, and never a suffix ("Iii" would read as "III").
made_up_words = st.builds(
    lambda first, rest: first + rest,
    st.sampled_from(UPPER),
    st.text(LOWER, min_size=2, max_size=9),
).filter(lambda w: w.lower() not in SUFFIX_KEYS)


@st.composite
def person_names(draw) -> str:
    first = draw(st.one_of(st.sampled_from(GIVEN + GIVEN_INITIALS), made_up_words))
    parts = [first]
    if draw(st.integers(0, 3)) == 0:
        parts.append(draw(st.one_of(st.sampled_from(MIDDLE), made_up_words)))
    parts.append(draw(st.one_of(st.sampled_from(FAMILY), made_up_words)))
    if draw(st.integers(0, 9)) == 0:
        parts.append(draw(st.sampled_from(SUFFIX)))
    return " ".join(parts)


# -- titles -----------------------------------------------------------------------

WORDS = [
    "Learning", "learning", "Neural", "neural", "Collapse", "Geometry", "of", "the",
    "for", "with", "via", "and", "in", "on", "to", "a", "Models", "models",
    "Language", "Graph", "Networks", "Scaling", "Laws", "Data", "Training",
    "Imbalance", "Trouble", "Revisiting", "Needs", "Actually", "beyond", "Quadratics",
    "Polyak-Łojasiewicz", "Schrödinger", "Über", "Équilibre", "Polyak's", "Don't",
]
ACRONYMS = ["LLMs", "GPT-4", "ReLU", "3D", "NeRF", "MoE", "ViT", "CNNs", "GRPO", "Pass@k",
            "BERT", "SGD", "DARE", "VOYAGER", "MoDeGPT", "DISP-LLM", "360Brew", "PyTorch",
            "iPhone", "k-NN", "CoT-ICL", "Q&A"]
HYPHENATED = ["Averaged-Out", "Non-Convexity", "Self-Supervised", "fine-tuned",
              "Cross-Entropy", "Next-token", "Two-Step", "Multi-View", "Half-Hop"]
DIGITS = ["2", "100", "2023", "1-7k", "75-80%", "v2", "0.5"]
TITLE_TOKENS = WORDS * 2 + ACRONYMS + HYPHENATED + DIGITS


@st.composite
def titles(draw) -> str:
    """Titles as the listings have them. Never generated, as no real title has
    them and the format could not carry them: a `` · `` (it starts the
    affiliation), a trailing ``et al.``, a title ending in ``-``, ``,``, ``(``,
    ``/`` or ``&`` (the split reads those as unfinished)."""
    tokens = draw(st.lists(st.one_of(st.sampled_from(TITLE_TOKENS), made_up_words,
                                     made_up_words.map(str.lower)), min_size=1, max_size=12))
    tokens[0] = tokens[0][:1].upper() + tokens[0][1:]
    out = []
    for k, tok in enumerate(tokens):
        if k < len(tokens) - 1:
            tok += draw(st.sampled_from(["", "", "", "", ":", ","]))
        out.append(tok)
    if draw(st.booleans()) and len(out) > 1:  # a parenthesised word somewhere
        k = draw(st.integers(1, len(out) - 1))
        out[k] = "(" + out[k].rstrip(":,") + ")" + (out[k][-1] if out[k][-1] in ":," else "")
    # No title ending in "." (an abbreviation: "U.S.", "ReLU."): glued to an
    # author who starts with run-together initials it is ambiguous to anyone
    # who does not know the words: "BERT.A.-L. Smith" is "BERT." + "A.-L. Smith"
    # or "BER" + "T.A.-L. Smith", just as "U.S.J. Smith" is "U.S." + "J. Smith"
    # or "U." + "S.J. Smith". The parser keeps "X." in the title where the rest
    # of the word is lower case ("ReLU." + "C. Kini", tested in test_compact).
    end = draw(st.sampled_from(["", "", "", "?", "!", ")"]))
    if end == ")":
        out[-1] = "(" + out[-1] + ")"
    else:
        out[-1] += end
    return " ".join(out)


# -- papers -----------------------------------------------------------------------

CATEGORIES = ["LG", "CL", "OC", "CV", "IR", "DB", "SI", "MM", "AI", "RO", "ST"]
AFFILIATIONS = ["princeton", "gatech", "tsinghua", "mit", "eth zürich", "mila"]
TODAY = date(2026, 11, 22)


def most_recent(month: int, day: int, today: date) -> date:
    """The spec's rule, written independently of the parser."""
    year = today.year
    while True:
        try:
            candidate = date(year, month, day)
        except ValueError:
            candidate = None
        if candidate is not None and candidate <= today:
            return candidate
        year -= 1


@st.composite
def dates(draw, today: date = TODAY) -> tuple[str, str]:
    """(ISO date, date as written): with a year, or without one (then within the
    last year, and resolved the way the spec says)."""
    when = draw(st.dates(min_value=date(1990, 1, 1), max_value=today))
    month = when.strftime("%b")
    if draw(st.booleans()):
        return when.isoformat(), f"{month} {when.day}, {when.year}"
    return most_recent(when.month, when.day, today).isoformat(), f"{month} {when.day}"


SENTENCE_WORDS = ["we", "study", "the", "training", "of", "neural", "networks", "and",
                  "show", "that", "a", "simple", "model", "(GNNs)", "75-80%", "in",
                  "large", "language", "models", "collapse", "Łojasiewicz", "$\\alpha$",
                  "e.g.", "i.e.,", "Cohen", "et", "al.", "[2021]", "data"]


@st.composite
def sentences(draw) -> str:
    ws = draw(st.lists(st.sampled_from(SENTENCE_WORDS), min_size=3, max_size=8))
    return ws[0].capitalize() + " " + " ".join(ws[1:]) + "."


@st.composite
def abstracts(draw, paragraphs: bool = True) -> str:
    # Small: what matters is the paragraphs and the line they start on, and
    # every draw costs time.
    count = draw(st.integers(1, 2)) if paragraphs else 1
    return "\n\n".join(
        " ".join(draw(st.lists(sentences(), min_size=1, max_size=2))) for _ in range(count)
    )


@st.composite
def papers(draw, paragraphs: bool = True, authors=None) -> ParsedPaper:
    iso, written = draw(dates())
    names = draw(authors if authors is not None
                 else st.lists(person_names(), min_size=1, max_size=6, unique=True))
    score = draw(st.one_of(st.none(), st.integers(0, 999).map(lambda x: x / 10)))
    return ParsedPaper(
        source=Source("x", 0, ""),
        title=draw(titles()),
        authors=names,
        et_al=draw(st.booleans()),
        affiliation=draw(st.one_of(st.none(), st.sampled_from(AFFILIATIONS))),
        category=draw(st.sampled_from(CATEGORIES)),
        date=iso,
        date_text=written,
        has_code=draw(st.booleans()),
        score=score,
        abstract=draw(st.one_of(st.none(), abstracts(paragraphs))),
    )


FIELDS = ["title", "authors", "et_al", "affiliation", "category", "date", "date_text",
          "has_code", "score", "abstract"]


def fields_of(paper) -> dict:
    return {f: getattr(paper, f) for f in FIELDS}


def assert_same(parsed: list[ParsedPaper], expected: list[ParsedPaper], text: str, fmt: str):
    lines = text.split("\n")
    assert len(parsed) == len(expected)
    for got, want in zip(parsed, expected):
        assert fields_of(got) == fields_of(want)
        assert got.source.format == fmt
        assert lines[got.source.line - 1] == render_meta(want)


# -- the generators themselves -------------------------------------------------------


def test_every_generated_name_is_a_name():
    """Else a profile author line would not be recognised: check the pieces."""
    for given in GIVEN + GIVEN_INITIALS:
        for family in FAMILY:
            assert is_name(f"{given} {family}"), (given, family)
            for middle in MIDDLE:
                assert is_name(f"{given} {middle} {family}"), (given, middle, family)
            for suffix in SUFFIX:
                assert is_name(f"{given} {family} {suffix}"), (given, family, suffix)


# -- round trips ------------------------------------------------------------------------


@SETTINGS
@given(st.lists(papers(), min_size=1, max_size=5))
def test_compact_round_trip(batch):
    text = render_compact(batch)
    listing = parse_text(text, "gen.txt", today=TODAY)
    assert listing.format == FORMAT_COMPACT
    assert listing.warnings == []
    assert_same(listing.papers, batch, text, FORMAT_COMPACT)
    # Knowing the people (as a library that has them would) changes nothing.
    known = {name for paper in batch for name in paper.authors}
    helped = parse_text(text, "gen.txt", today=TODAY, known=known.__contains__)
    assert_same(helped.papers, batch, text, FORMAT_COMPACT)


@settings(SETTINGS, max_examples=max(EXAMPLES // 3, 1))
@given(st.lists(papers(), min_size=1, max_size=4))
def test_importing_a_rendered_listing_twice_adds_nothing_the_second_time(batch):
    from readinglist.listings.merge import Catalogue, title_key

    catalogue = Catalogue()
    text = render_compact(batch)
    first = catalogue.merge_listing(parse_text(text, "gen.txt", today=TODAY))
    distinct = {title_key(p.title) for p in batch}
    assert first.added == len(catalogue.papers) == len(distinct)
    ids = sorted(catalogue.papers)
    again = catalogue.merge_listing(parse_text(text, "gen.txt", today=TODAY,
                                               known=catalogue.knows_name))
    assert (again.added, again.flagged) == (0, 0)
    assert sorted(catalogue.papers) == ids
    for paper in batch:
        assert any(title_key(p.title) == title_key(paper.title) and
                   set(paper.authors) <= {catalogue.authors[a].name for a in p.author_ids}
                   | {s for a in p.author_ids for s in catalogue.authors[a].aliases}
                   for p in catalogue.papers.values())


@SETTINGS
@given(person_names(), st.lists(papers(), min_size=1, max_size=5),
       st.builds(Profile, category=st.sampled_from(CATEGORIES),
                 h_index=st.one_of(st.none(), st.integers(0, 300)),
                 papers=st.one_of(st.none(), st.integers(0, 2000)),
                 citations=st.one_of(st.none(), st.integers(0, 10**6)),
                 novelty=st.one_of(st.none(), st.integers(0, 100)),
                 ai_score=st.one_of(st.none(), st.integers(0, 100)),
                 listed=st.integers(0, 2000)))
def test_profile_round_trip(owner, batch, profile):
    text = render_profile(owner, profile, batch)
    listing = parse_text(text, "gen.txt", today=TODAY)
    assert listing.format == FORMAT_PROFILE
    assert listing.owner == owner
    assert listing.profile == Profile(**{**profile.to_dict(), "source": "gen.txt"})
    assert listing.warnings == []
    assert_same(listing.papers, batch, text, FORMAT_PROFILE)


# Names the name rules do not know. A profile page still carries them (its
# layout says which line holds the authors) as long as an abstract follows; the
# compact format cannot (only the rules find where such a name starts), nor a
# profile paper with no abstract (its one line might be an abstract).
UNKNOWN_NAMES = ["Prabhat", "danah boyd", "张伟", "bell hooks", "Sukarno", "ZHANG Wei",
                 "Jean-Claude van Damme-Smith"]


@settings(SETTINGS, max_examples=max(EXAMPLES // 2, 1))
@given(person_names(), st.lists(
    papers(authors=st.lists(st.one_of(person_names(), st.sampled_from(UNKNOWN_NAMES)),
                            min_size=1, max_size=4, unique=True)).filter(lambda p: p.abstract),
    min_size=1, max_size=3))
def test_profile_round_trip_with_names_the_rules_do_not_know(owner, batch):
    text = render_profile(owner, None, batch)
    listing = parse_text(text, "gen.txt", today=TODAY)
    assert listing.format == FORMAT_PROFILE and listing.owner == owner
    assert listing.warnings == []
    assert_same(listing.papers, batch, text, FORMAT_PROFILE)


@SETTINGS
@given(st.lists(abstracts(paragraphs=False), min_size=1, max_size=8))
def test_abstracts_round_trip(batch):
    text = render_abstracts(batch)
    listing = parse_text(text, "gen.txt", today=TODAY)
    assert listing.format == FORMAT_ABSTRACTS
    assert [p.abstract for p in listing.papers] == batch
    assert [p.source.line for p in listing.papers] == list(range(1, len(batch) + 1))
    assert all(p.title is None and p.authors == [] and p.date is None for p in listing.papers)


@settings(SETTINGS, max_examples=max(EXAMPLES // 2, 1))
@given(papers(), st.sampled_from(["\n", "\r\n", "\r"]), st.booleans())
def test_round_trip_through_bytes(paper, newline, bom):
    """Line ends and a BOM change nothing (compact: the hardest split)."""
    text = render_compact([paper]).replace("\n", newline)
    data = ("\ufeff" if bom else "").encode() + text.encode("utf-8")
    listing = parse_bytes(data, "gen.txt", today=TODAY)
    assert fields_of(listing.papers[0]) == fields_of(paper)
    assert listing.papers[0].source.line == 1


@settings(SETTINGS, max_examples=max(EXAMPLES // 2, 1))
@given(papers(), st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
def test_yearless_dates_resolve_against_any_today(paper, today):
    paper.date_text = paper.date_text.split(",")[0]
    month = date.fromisoformat(paper.date).month
    day = int(paper.date_text.split()[1])
    paper.date = most_recent(month, day, today).isoformat()
    listing = parse_text(render_compact([paper]), "gen.txt", today=today)
    assert listing.papers[0].date == paper.date
    assert listing.papers[0].date <= today.isoformat()
    # Eight years back at most: Feb 29 skips 2100 (no leap year).
    assert date.fromisoformat(listing.papers[0].date) > today - timedelta(days=366 * 8)


# -- never raises -----------------------------------------------------------------------


def _parse_or_listing_error(call):
    try:
        listing = call()
    except ListingError as exc:
        assert "\n" not in str(exc)
        return None
    assert listing.papers
    return listing


@FUZZ_SETTINGS
@given(st.text())
def test_parse_text_never_raises_on_arbitrary_text(text):
    _parse_or_listing_error(lambda: parse_text(text, "fuzz.txt", today=TODAY))


@FUZZ_SETTINGS
@given(st.binary())
def test_parse_bytes_never_raises_on_arbitrary_bytes(data):
    _parse_or_listing_error(lambda: parse_bytes(data, "fuzz.txt", today=TODAY))


# Listing-shaped noise: real pieces of every format, shuffled and mangled, so
# that the fuzzing reaches the block and split code, not just "not a listing".
PIECES = st.one_of(
    st.sampled_from([
        "", "Vignesh Kothapalli", "LG", "h-index27", "13papers", "13 Papers", "Novelty46%",
        "AI Score56", "81.2LGMay 29Code", "LGJul 4, 2023", "CLFeb 29", "DBFeb 3",
        "LGApr 31", "LGFeb 29, 2023", "Abstract:", "Abstract:We study things.",
        "Tianyu Pang, Vignesh Kothapalli, Shenyang Deng et al.", " et al.", " · princeton",
        "Imbalance Trouble: Revisiting Neural-Collapse GeometryChristos Thrampoulidis, "
        "Ganesh R. Kini, Vala Vakilian et al.", ", ", "C. -C. Jay Kuo", "\ufeff", "\r",
        "\x1b[31m", "\u202e", "\x00",
    ]),
    st.text(max_size=30),
    titles(),
    person_names(),
)


@FUZZ_SETTINGS
@given(st.lists(st.lists(PIECES, max_size=4).map("".join), max_size=25).map("\n".join))
def test_parse_text_never_raises_on_listing_shaped_noise(text):
    listing = _parse_or_listing_error(lambda: parse_text(text, "fuzz.txt", today=TODAY))
    if listing is not None:
        for paper in listing.papers:
            assert 1 <= paper.source.line <= len(text.split("\n")) + 1
            for value in (paper.title, paper.abstract, *paper.authors):
                assert value is None or ("\x1b" not in value and "\x00" not in value
                                         and "\u202e" not in value)


@settings(FUZZ_SETTINGS, max_examples=max(EXAMPLES // 2, 1))
@given(st.lists(papers(), min_size=1, max_size=3), st.integers(0, 10**6), st.binary(max_size=4))
def test_parse_bytes_never_raises_on_damaged_listings(batch, where, junk):
    data = render_compact(batch).encode("utf-8")
    where %= len(data) + 1
    _parse_or_listing_error(lambda: parse_bytes(data[:where] + junk + data[where:], "d.txt",
                                                today=TODAY))


def test_render_refuses_what_cannot_be_read_back():
    paper = ParsedPaper(source=Source("x", 1, ""), title="T", authors=["Ann Lee"],
                        category="LG", date="2023-07-04", date_text="Jul 4, 2023")
    assert render_compact([paper]) == "LGJul 4, 2023\nTAnn Lee\n"
    for change in ({"title": " "}, {"category": None}, {"date": None, "date_text": None},
                   {"score": 1000.0}, {"date_text": "Apr 31"}, {"category": "lg"}):
        bad = ParsedPaper(**{**paper.__dict__, **change})
        with pytest.raises(ValueError):
            render_compact([bad])
