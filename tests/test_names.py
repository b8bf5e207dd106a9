"""People's names: telling a name from other text, and one person's spellings."""

from __future__ import annotations

import pytest

from readinglist.names import (
    NameParts,
    compatible,
    family_name,
    fullness,
    is_initial,
    is_name,
    name_penalty,
    split_name,
)

NAMES = [
    "Vala Vakilian",
    "Ganesh R. Kini",
    "Ganesh Ramachandra Kini",
    "C. -C. Jay Kuo",
    "J. R. R. Tolkien",
    "J.R.R. Tolkien",
    "A.-L. Barabási",
    "Jun-Kun Wang",
    "Chi-Heng Lin",
    "Jean-luc Picard",  # a hyphenated given name may go on in lower case
    "Eva L. Dyer",
    "Ankit Singh Rawat",
    "David J. C. MacKay",
    "Bryce DeWitt",
    "Conor O'Brien",
    "Conor O\u2019Brien",
    "Dario D'Angelo",
    "Marc'Aurelio Ranzato",
    "Jean d'Alembert",
    "Yann LeCun",
    "Ronald McDonald",
    "Łukasz Kaiser",
    "Jürgen Müller",
    "Hans Christian Ørsted",
    "Stanisław Łojasiewicz",
    "Çağlar Gülçehre",
    "Émile Borel",
    "Ludwig van Beethoven",
    "Johannes Diderik van der Waals",
    "Juan de la Cruz",
    "Guy Van den Broeck",
    "Martin Luther King Jr.",
    "Ken Griffey Sr.",
    "Henry Ford III",
    "J. R. R. van der Berg Jr.",
    "Khiem Le",
    "Quoc V. Le",
    "Mary Ng",
    "TJ Smith",  # two capitals pass, at a price
]

NOT_NAMES = [
    "",
    "Vala",  # one word
    "Kay Jr.",  # a suffix does not make a one-word name whole
    "van Beethoven",  # a particle cannot start a name
    "Ludwig van",  # nor end one
    "Ganesh R.",  # an initial cannot end a name
    "Neural Collapse: A Review",
    "We study neural networks",
    "LLMs Are Few-Shot Learners",
    "GPT-4 Technical Report",
    "Scaling to 2023",
    "NetsJohn Smith",  # a title glued to a name
    "LLMsAvinash Amballa",
    "It's Time",
    "Marc'aurelio Ranzato",
    "Ann Lee et al.",
    "Ann Lee, Bo Chen",
    "ABC Smith",  # three capitals: an acronym
    "A B C D E F G",
    "One Two Three Four Five Six Seven",  # seven name words
]


@pytest.mark.parametrize("name", NAMES)
def test_is_name(name):
    assert is_name(name)


@pytest.mark.parametrize("text", NOT_NAMES)
def test_is_not_name(text):
    assert not is_name(text)


def test_penalties_rank_the_unusual_below_the_plain():
    assert name_penalty("Ann Lee") == 0.0
    assert name_penalty("Bryce DeWitt") > 0.0
    assert name_penalty("TJ Smith") > name_penalty("Bryce DeWitt")


@pytest.mark.parametrize(("token", "expected"), [
    ("R.", True), ("-C.", True), ("C.-C.", True), ("J.R.", True), ("T.J.", True),
    ("R", False), ("Rd.", False), ("r.", False), ("RR.", False), (".", False), ("Ł.", True),
])
def test_is_initial(token, expected):
    assert is_initial(token) is expected


# -- splitting ------------------------------------------------------------------------------

SPLITS = [
    # name, given units (folded, is_initial), family key, family as written
    ("Ganesh R. Kini", (("ganesh", False), ("r", True)), "kini", "Kini"),
    ("Ganesh Ramachandra Kini", (("ganesh", False), ("ramachandra", False)), "kini", "Kini"),
    ("C. -C. Jay Kuo", (("c", True), ("c", True), ("jay", False)), "kuo", "Kuo"),
    ("J.R.R. Tolkien", (("j", True), ("r", True), ("r", True)), "tolkien", "Tolkien"),
    ("Jun-Kun Wang", (("jun", False), ("kun", False)), "wang", "Wang"),
    ("Ludwig van Beethoven", (("ludwig", False),), "vanbeethoven", "van Beethoven"),
    ("Johannes Diderik van der Waals", (("johannes", False), ("diderik", False)),
     "vanderwaals", "van der Waals"),
    ("Juan de la Cruz", (("juan", False),), "delacruz", "de la Cruz"),
    ("Guy Van den Broeck", (("guy", False),), "vandenbroeck", "Van den Broeck"),
    ("Guy Van Den Broeck", (("guy", False),), "vandenbroeck", "Van Den Broeck"),
    ("Oscar De La Hoya", (("oscar", False),), "delahoya", "De La Hoya"),
    # One capitalised particle alone stays a given name: it may be one.
    ("Ying Di Wang", (("ying", False), ("di", False)), "wang", "Wang"),
    ("Martin Luther King Jr.", (("martin", False), ("luther", False)), "king", "King"),
    ("Henry Ford III", (("henry", False),), "ford", "Ford"),
    ("J. R. R. van der Berg Jr.", (("j", True), ("r", True), ("r", True)), "vanderberg",
     "van der Berg"),
    ("Jürgen Müller", (("jurgen", False),), "muller", "Müller"),
    ("Łukasz Kaiser", (("lukasz", False),), "kaiser", "Kaiser"),
    ("Hans Christian Ørsted", (("hans", False), ("christian", False)), "orsted", "Ørsted"),
    ("Conor O'Brien", (("conor", False),), "obrien", "O'Brien"),
    ("Marc'Aurelio Ranzato", (("marcaurelio", False),), "ranzato", "Ranzato"),
    ("Van Morrison", (("van", False),), "morrison", "Morrison"),  # first word is given
    ("Plato", (), "plato", "Plato"),
    ("", (), "", ""),
]


@pytest.mark.parametrize(("name", "given", "family", "display"), SPLITS)
def test_split_name(name, given, family, display):
    parts = split_name(name)
    assert (parts.given, parts.family, parts.family_display) == (given, family, display)


@pytest.mark.parametrize(("name", "joined"), [
    ("Jun-Kun Wang", {1}),
    ("Chung-Chieh Jay Kuo", {1}),
    ("Anne-Marie Louise-Élise Dupont", {1, 3}),
    ("C. -C. Jay Kuo", set()),  # initials stand for either
    ("Ganesh R. Kini", set()),
])
def test_split_name_marks_hyphenated_given_names(name, joined):
    assert split_name(name).joined == frozenset(joined)
    assert isinstance(split_name(name), NameParts)


@pytest.mark.parametrize(("name", "family"), [
    ("Ludwig van Beethoven", "van Beethoven"),
    ("Juan de la Cruz", "de la Cruz"),
    ("Martin Luther King Jr.", "King"),
    ("Yann LeCun", "LeCun"),
    ("Stanisław Łojasiewicz", "Łojasiewicz"),
    ("C. -C. Jay Kuo", "Kuo"),
    ("Guy Van den Broeck", "Van den Broeck"),
])
def test_family_name(name, family):
    assert family_name(name) == family


# -- one person, several spellings --------------------------------------------------------

SAME = [
    ("Ganesh R. Kini", "Ganesh Ramachandra Kini"),
    ("Ganesh Kini", "Ganesh R. Kini"),
    ("G. Kini", "Ganesh Ramachandra Kini"),
    ("G. R. Kini", "Ganesh Ramachandra Kini"),
    ("C. -C. Jay Kuo", "Chung-Chieh Jay Kuo"),
    ("J.-K. Wang", "Jun-Kun Wang"),
    ("Jürgen Müller", "Jurgen Muller"),
    ("Łukasz Kaiser", "Lukasz Kaiser"),
    ("Hans Christian Ørsted", "H. C. Orsted"),
    ("Ludwig van Beethoven", "L. van Beethoven"),
    ("Guy Van den Broeck", "Guy van den Broeck"),
    ("Guy Van den Broeck", "Guy Van Den Broeck"),
    ("Martin Luther King Jr.", "Martin Luther King"),
    ("Martin Luther King Jr.", "M. L. King"),
    ("Conor O'Brien", "Conor O\u2019Brien"),
    ("Conor O'Brien", "Conor OBrien"),
    ("Yann LeCun", "Yann Lecun"),
    ("J. Wang", "Jun-Kun Wang"),
    ("Jun K. Wang", "Jun-Kun Wang"),
    ("Jun Kun Wang", "Jun-Kun Wang"),
    ("Vala Vakilian", "Vala Vakilian"),
]

DIFFERENT = [
    ("Ganesh R. Kini", "Ganesh S. Kini"),  # the middle initials disagree
    ("Ganesh Ramachandra Kini", "Ganesh Raghav Kini"),
    ("Tina Behnia", "Tom Behnia"),
    ("T. Behnia", "Vala Behnia"),
    ("Yize Zhao", "Haoyu Zhao"),
    ("Chi-Heng Lin", "Yong Lin"),
    ("Chi-Heng Lin", "Chi Lin"),  # a hyphenated given name is one name
    ("Jun-Kun Wang", "Jun Wang"),
    ("Jean-luc Picard", "Jean Picard"),
    ("Vala Vakilian", "Vala Vakilyan"),
    ("Ludwig van Beethoven", "Ludwig Beethoven"),  # the particle is part of the family name
    ("Abhishek Panigrahi", "Abhishek Shetty"),
    ("Plato", "Aristotle"),
    ("", ""),
]


@pytest.mark.parametrize(("a", "b"), SAME)
def test_compatible(a, b):
    assert compatible(a, b)
    assert compatible(b, a)


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_not_compatible(a, b):
    assert not compatible(a, b)
    assert not compatible(b, a)


def test_fullness_prefers_spelled_out_names():
    spellings = ["G. R. Kini", "Ganesh Ramachandra Kini", "Ganesh R. Kini", "Ganesh Kini"]
    assert sorted(spellings, key=fullness, reverse=True) == [
        "Ganesh Ramachandra Kini", "Ganesh R. Kini", "Ganesh Kini", "G. R. Kini"]
