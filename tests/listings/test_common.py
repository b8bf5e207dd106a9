"""The pieces every format shares: meta lines, dates, author lines, decoding."""

from __future__ import annotations

from datetime import date

import pytest

from readinglist.listings import ListingError, parse_bytes, parse_text
from readinglist.listings.common import (
    clean_block,
    decode,
    format_meta,
    format_score,
    looks_like_author_line,
    parse_author_line,
    parse_meta,
    resolve_date,
    split_names,
    split_tail,
)

TODAY = date(2026, 11, 22)

# -- meta lines ---------------------------------------------------------------------

META_CASES = [
    # line, category, iso date, date as written, has_code, score
    ("81.2LGMay 29Code", "LG", "2026-05-29", "May 29", True, 81.2),
    ("LGJul 4, 2023", "LG", "2023-07-04", "Jul 4, 2023", False, None),
    ("CLDec 24, 2025Code", "CL", "2025-12-24", "Dec 24, 2025", True, None),
    ("DBFeb 3", "DB", "2026-02-03", "Feb 3", False, None),
    ("99.2CLApr 13", "CL", "2026-04-13", "Apr 13", False, 99.2),
    ("LGJan 30", "LG", "2026-01-30", "Jan 30", False, None),
    ("MMMar 30, 2015", "MM", "2015-03-30", "Mar 30, 2015", False, None),
    ("100OCJun 22, 2022", "OC", "2022-06-22", "Jun 22, 2022", False, 100.0),
    ("7LGOct 11, 2025 Code", "LG", "2025-10-11", "Oct 11, 2025", True, 7.0),
    ("  LGJul 4, 2023  ", "LG", "2023-07-04", "Jul 4, 2023", False, None),
    ("LGJul 04, 2023", "LG", "2023-07-04", "Jul 04, 2023", False, None),  # kept as written
    ("0.125STNov 22", "ST", "2026-11-22", "Nov 22", False, 0.125),  # today itself
]


@pytest.mark.parametrize(("line", "category", "iso", "written", "code", "score"), META_CASES)
def test_parse_meta(line, category, iso, written, code, score):
    meta = parse_meta(line, TODAY)
    assert meta is not None
    assert (meta.category, meta.date, meta.date_text, meta.has_code, meta.score) == (
        category, iso, written, code, score)


@pytest.mark.parametrize("line", [
    "",
    "LG",
    "LGMay",
    "Lgmay 29",
    "LGMay29",
    "LGMay 29,2023",
    "LGSept 29",
    "LGMay 29, 23",
    "LGMay 123",
    "1234.5LGMay 29",  # a score has at most three digits before the point
    "81.2345LGMay 29",
    "LGMay 29Codes",
    "LGMay 29 and more",
    "LGFeb 30",  # no such day, with or without a year
    "LGApr 31, 2024",
    "LGFeb 29, 2023",  # 2023 is no leap year
    "LGMay 0",
    "LGMay ٢٩",  # Arabic-Indic digits are not digits here
    "LGMay 29, 0000",
    "Abstract:LGMay 29",
    "LGMay 29 LGMay 30",
])
def test_not_meta_lines(line):
    assert parse_meta(line, TODAY) is None


# -- dates ----------------------------------------------------------------------------


@pytest.mark.parametrize(("month", "day", "today", "expected"), [
    (5, 29, date(2026, 11, 22), date(2026, 5, 29)),  # earlier this year
    (12, 24, date(2026, 11, 22), date(2025, 12, 24)),  # later this year: last year's
    (11, 22, date(2026, 11, 22), date(2026, 11, 22)),  # today counts
    (11, 23, date(2026, 11, 22), date(2025, 11, 23)),  # tomorrow does not
    (1, 1, date(2026, 1, 1), date(2026, 1, 1)),
    (12, 31, date(2026, 1, 1), date(2025, 12, 31)),
    (2, 29, date(2024, 3, 1), date(2024, 2, 29)),  # leap year, already past
    (2, 29, date(2024, 2, 28), date(2020, 2, 29)),  # leap year, not yet: four years back
    (2, 29, date(2024, 2, 29), date(2024, 2, 29)),
    (2, 29, date(2026, 11, 22), date(2024, 2, 29)),
    (2, 29, date(2101, 1, 1), date(2096, 2, 29)),  # 2100 is no leap year: eight back
    (2, 28, date(2025, 2, 27), date(2024, 2, 28)),
])
def test_yearless_date_is_the_most_recent_not_after_today(month, day, today, expected):
    assert resolve_date(month, day, None, today) == expected


def test_dated_year_is_taken_as_written_even_in_the_future():
    assert resolve_date(7, 4, 2031, TODAY) == date(2031, 7, 4)
    assert resolve_date(2, 29, 2023, TODAY) is None
    assert resolve_date(4, 31, None, TODAY) is None


def test_today_is_injected_through_parse_text():
    text = "LGFeb 29\nA TitleAnn Lee\n"
    assert parse_text(text, "x", today=date(2024, 2, 28)).papers[0].date == "2020-02-29"
    assert parse_text(text, "x", today=date(2024, 3, 1)).papers[0].date == "2024-02-29"
    paper = parse_text(text, "x", today=date(2027, 6, 1)).papers[0]
    assert (paper.date, paper.date_text) == ("2024-02-29", "Feb 29")


# -- writing meta lines ------------------------------------------------------------------


@pytest.mark.parametrize("line", [c[0] for c in META_CASES if c[0] == c[0].strip()
                                  and "04" not in c[0] and " Code" not in c[0]])
def test_format_meta_inverts_parse_meta(line):
    meta = parse_meta(line, TODAY)
    assert format_meta(meta.category, meta.date_text, meta.has_code, meta.score) == line


@pytest.mark.parametrize(("score", "text"), [
    (81.2, "81.2"), (100.0, "100"), (0.0, "0"), (5.0, "5"), (0.125, "0.125"),
    (999.999, "999.999"), (1e-5, "0"), (12.3456, "12.346"),
])
def test_format_score_never_uses_exponents(score, text):
    assert format_score(score) == text


@pytest.mark.parametrize("args", [
    ("LG", "May 29", False, 1000.0),
    ("LG", "May 29", False, -0.5),
    ("LG", "May 29", False, float("nan")),
    ("LG", "May 29", False, float("inf")),
    ("LGX", "May 29", False, None),
    ("lg", "May 29", False, None),
    ("LG", "Sept 29", False, None),
    ("LG", "Apr 31", False, None),
    ("LG", "Feb 29, 2023", False, None),
    ("LG", "May 29 ", False, None),
])
def test_format_meta_refuses_what_would_not_read_back(args):
    with pytest.raises(ValueError):
        format_meta(*args)


# -- author lines ----------------------------------------------------------------------


@pytest.mark.parametrize(("line", "authors", "et_al", "affiliation"), [
    ("Tianyu Pang, Vignesh Kothapalli, Shenyang Deng et al.",
     ["Tianyu Pang", "Vignesh Kothapalli", "Shenyang Deng"], True, None),
    ("Vignesh Kothapalli", ["Vignesh Kothapalli"], False, None),
    ("Dan Friedman, Abhishek Panigrahi, Danqi Chen · princeton",
     ["Dan Friedman", "Abhishek Panigrahi", "Danqi Chen"], False, "princeton"),
    ("Sadhika Malladi, Kaifeng Lyu, Abhishek Panigrahi et al. · tsinghua",
     ["Sadhika Malladi", "Kaifeng Lyu", "Abhishek Panigrahi"], True, "tsinghua"),
    ("Abhishek Panigrahi, Yueru Chen, C. -C. Jay Kuo",
     ["Abhishek Panigrahi", "Yueru Chen", "C. -C. Jay Kuo"], False, None),
    ("Ann Lee, Bo Chen, et al.", ["Ann Lee", "Bo Chen"], True, None),
    ("Ann Lee et al", ["Ann Lee"], True, None),
    ("Ann Lee and Bo Chen", ["Ann Lee", "Bo Chen"], False, None),
    ("Ann Lee, Bo Chen, and Cy Young", ["Ann Lee", "Bo Chen", "Cy Young"], False, None),
    ("  Ann   Lee ,  Bo Chen  ", ["Ann Lee", "Bo Chen"], False, None),
])
def test_parse_author_line(line, authors, et_al, affiliation):
    parsed = parse_author_line(line)
    assert (parsed.authors, parsed.et_al, parsed.affiliation) == (authors, et_al, affiliation)
    assert looks_like_author_line(line)


def test_split_tail_and_names_keep_and_inside_a_name_alone():
    assert split_tail("A B et al. · mit") == ("A B", True, "mit")
    assert split_tail("A B · ") == ("A B", False, None)
    assert split_names("Anna Andersen, Sandra Anderson") == ["Anna Andersen", "Sandra Anderson"]


@pytest.mark.parametrize("line", [
    "We study optimal learning-rate selection in two-layer networks.",
    "Balancing Learning Rates Across Layers: Exact Two-Step Dynamics",
    "",
    "et al.",
    "Neural Collapse, Graph Neural Networks and more",
])
def test_not_author_lines(line):
    assert not looks_like_author_line(line)


def test_clean_block_keeps_paragraphs_and_drops_controls():
    lines = ["  First  line", "goes on\x1b[31m.", "", "", "Second\u202e one.", ""]
    assert clean_block(lines) == "First line goes on[31m.\n\nSecond one."


# -- decoding ---------------------------------------------------------------------------

LISTING = ("LGJul 4, 2023\nA Neural Collapse PerspectiveVignesh Kothapalli, Tom Tirer\n"
           "Graph neural networks.\n")


def test_decode_plain_utf8():
    assert decode("Łojasiewicz\n".encode(), "x") == "Łojasiewicz\n"


def test_decode_strips_a_utf8_bom():
    assert decode(b"\xef\xbb\xbfLG\n", "x") == "LG\n"


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"])
def test_decode_normalises_line_ends(newline):
    data = LISTING.replace("\n", newline).encode()
    assert decode(data, "x") == LISTING


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_decode_utf16_with_a_bom(codec):
    bom = {"utf-16": b"", "utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}[codec]
    data = bom + LISTING.replace("\n", "\r\n").encode(codec)
    assert decode(data, "x") == LISTING
    assert parse_bytes(data, "x", today=TODAY).papers[0].authors == ["Vignesh Kothapalli",
                                                                     "Tom Tirer"]


@pytest.mark.parametrize(("data", "fragment"), [
    (b"", "empty file"),
    (b"  \n\r\n\t ", "empty file"),
    (b"LG\x00Jul 4, 2023\n", "binary file"),
    (LISTING.encode("utf-16-le"), "binary file"),  # UTF-16 without a BOM
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
    (b"LGJul 4, 2023\nCaf\xe9\n", "not UTF-8 text (byte 0xe9 at offset 17)"),
    (b"\xff\xfeA", "not valid UTF-16"),  # odd number of bytes after the BOM
])
def test_decode_refuses_with_one_line_messages(data, fragment):
    with pytest.raises(ListingError) as info:
        decode(data, "bad.txt")
    message = str(info.value)
    assert fragment in message
    assert message.startswith("bad.txt: ")
    assert "\n" not in message


def test_parse_bytes_reads_bom_and_crlf_like_plain_text():
    plain = parse_bytes(LISTING.encode(), "x", today=TODAY).papers
    messy = parse_bytes(b"\xef\xbb\xbf" + LISTING.replace("\n", "\r\n").encode(), "x",
                        today=TODAY).papers
    assert [(p.title, p.authors, p.abstract, p.source.line) for p in messy] == [
        (p.title, p.authors, p.abstract, p.source.line) for p in plain]
    assert plain[0].title == "A Neural Collapse Perspective"


def test_parse_text_accepts_a_bom_and_cr_line_ends_too():
    text = "\ufeff" + LISTING.replace("\n", "\r")
    paper = parse_text(text, "x", today=TODAY).papers[0]
    assert (paper.title, paper.abstract) == ("A Neural Collapse Perspective",
                                             "Graph neural networks.")


@pytest.mark.parametrize("text", ["", "\n\n", "just some prose\nwith lines\n",
                                  "Vignesh Kothapalli\n\nLG\nh-index27\n",
                                  "LGMay 29\n\n\n"])
def test_not_a_listing(text):
    with pytest.raises(ListingError) as info:
        parse_text(text, "notes.txt", today=TODAY)
    assert str(info.value).startswith("notes.txt: ")


def test_files_joined_with_their_boms_keep_every_paper():
    one = b"\xef\xbb\xbf" + LISTING.encode()
    two = b"\xef\xbb\xbf" + LISTING.replace("Jul 4", "Jul 5").replace("Perspective",
                                                                     "Revisited").encode()
    listing = parse_bytes(one + two, "cat.txt", today=TODAY)
    assert [(p.title, p.date, p.source.line, p.abstract) for p in listing.papers] == [
        ("A Neural Collapse Perspective", "2023-07-04", 1, "Graph neural networks."),
        ("A Neural Collapse Revisited", "2023-07-05", 4, "Graph neural networks."),
    ]
