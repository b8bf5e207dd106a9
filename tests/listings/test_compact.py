"""The compact listing: where the title ends and the first author begins.

Every expectation here was written by hand from reading the text, not by
running the parser.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from readinglist.listings import parse_file, parse_text
from readinglist.listings.compact import split_title_authors
from readinglist.models import FORMAT_COMPACT

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
TODAY = date(2026, 11, 22)

# (glued line, title, authors, et_al, affiliation)
HARD_SPLITS = [
    # Titles that end in an acronym, a digit, "?", ")" or a hyphenated word.
    ("VOYAGER: A Training Free Approach for Generating Diverse Datasets using LLMs"
     "Avinash Amballa, Yashas Malur Saidutta, Chi-Heng Lin et al.",
     "VOYAGER: A Training Free Approach for Generating Diverse Datasets using LLMs",
     ["Avinash Amballa", "Yashas Malur Saidutta", "Chi-Heng Lin"], True, None),
    ("Scaling Laws for GPTAnn Lee, Bo Chen", "Scaling Laws for GPT", ["Ann Lee", "Bo Chen"],
     False, None),
    ("Sparse Experts in BERT and ViTJohn Smith", "Sparse Experts in BERT and ViT",
     ["John Smith"], False, None),
    ("Evaluating GPT-4Jun-Kun Wang, Ann Lee", "Evaluating GPT-4", ["Jun-Kun Wang", "Ann Lee"],
     False, None),
    ("Multi-View Videos in 3DDe-Nian Yang, Ji-Tang Lee", "Multi-View Videos in 3D",
     ["De-Nian Yang", "Ji-Tang Lee"], False, None),
    ("Scaling to 2023Ann Lee", "Scaling to 2023", ["Ann Lee"], False, None),
    ("Transform-Augmented GRPO Improves Pass@kKhiem Le, Youssef Mroueh, Phuc Nguyen et al.",
     "Transform-Augmented GRPO Improves Pass@k", ["Khiem Le", "Youssef Mroueh", "Phuc Nguyen"],
     True, None),
    ("Short-Context Dominance: How Much Local Context Natural Language Actually Needs?"
     "Vala Vakilian, Zimeng Wang, Ankit Singh Rawat et al.",
     "Short-Context Dominance: How Much Local Context Natural Language Actually Needs?",
     ["Vala Vakilian", "Zimeng Wang", "Ankit Singh Rawat"], True, None),
    ("Learning (Almost) Everything (LAE)Ann Lee, Bo Chen", "Learning (Almost) Everything (LAE)",
     ["Ann Lee", "Bo Chen"], False, None),
    ("Stop Overthinking!Mary Ng", "Stop Overthinking!", ["Mary Ng"], False, None),
    ("Provable Acceleration of Heavy Ball beyond Quadratics for a Class of Polyak-Łojasiewicz "
     "Functions when the Non-Convexity is Averaged-OutJun-Kun Wang, Chi-Heng Lin, "
     "Andre Wibisono et al.",
     "Provable Acceleration of Heavy Ball beyond Quadratics for a Class of Polyak-Łojasiewicz "
     "Functions when the Non-Convexity is Averaged-Out",
     ["Jun-Kun Wang", "Chi-Heng Lin", "Andre Wibisono"], True, None),
    ("Training Language Models to Self-CorrectAnn Lee", "Training Language Models to Self-Correct",
     ["Ann Lee"], False, None),
    # Names with hyphens, initials, internal capitals, apostrophes, particles,
    # suffixes and letters beyond ASCII.
    ("Imbalance Trouble: Revisiting Neural-Collapse GeometryChristos Thrampoulidis, "
     "Ganesh R. Kini, Vala Vakilian et al.",
     "Imbalance Trouble: Revisiting Neural-Collapse Geometry",
     ["Christos Thrampoulidis", "Ganesh R. Kini", "Vala Vakilian"], True, None),
    ("Analysis on Gradient Propagation in Batch Normalized Residual NetworksC. -C. Jay Kuo, "
     "Yueru Chen",
     "Analysis on Gradient Propagation in Batch Normalized Residual Networks",
     ["C. -C. Jay Kuo", "Yueru Chen"], False, None),
    ("Information Theory and Learning AlgorithmsDavid J. C. MacKay",
     "Information Theory and Learning Algorithms", ["David J. C. MacKay"], False, None),
    ("Deep LearningYann LeCun, Bryce DeWitt, Conor O'Brien", "Deep Learning",
     ["Yann LeCun", "Bryce DeWitt", "Conor O'Brien"], False, None),
    ("Sequence Level Training with Recurrent Neural NetworksMarc'Aurelio Ranzato, Sumit Chopra",
     "Sequence Level Training with Recurrent Neural Networks",
     ["Marc'Aurelio Ranzato", "Sumit Chopra"], False, None),
    ("Attention Is All You NeedŁukasz Kaiser, Jürgen Müller, Søren Ørsted et al.",
     "Attention Is All You Need", ["Łukasz Kaiser", "Jürgen Müller", "Søren Ørsted"], True, None),
    ("Über Formal UnentscheidbareÉmile Borel", "Über Formal Unentscheidbare", ["Émile Borel"],
     False, None),
    ("Tractable Probabilistic ModelsGuy Van den Broeck, Juan de la Cruz, Ludwig van Beethoven",
     "Tractable Probabilistic Models",
     ["Guy Van den Broeck", "Juan de la Cruz", "Ludwig van Beethoven"], False, None),
    ("Civil Rights and Machine LearningMartin Luther King Jr., Ann Lee",
     "Civil Rights and Machine Learning", ["Martin Luther King Jr.", "Ann Lee"], False, None),
    ("Learning MoEDeAndre Jordan, Ann Lee", "Learning MoE", ["DeAndre Jordan", "Ann Lee"],
     False, None),
    ("Learning in situDeWitt Clinton", "Learning in situ", ["DeWitt Clinton"], False, None),
    ("Scaling GPTT.J. Smith, Ann Lee", "Scaling GPT", ["T.J. Smith", "Ann Lee"], False, None),
    ("Learning with ReLU.C. -C. Jay Kuo", "Learning with ReLU.", ["C. -C. Jay Kuo"], False, None),
    # A cut must not fall inside a later name that has a capital of its own.
    ("LearningVala R. MacKay Jr.", "Learning", ["Vala R. MacKay Jr."], False, None),
    ("LearningVala MacKay, T.J. R. Kini Jr.", "Learning", ["Vala MacKay", "T.J. R. Kini Jr."],
     False, None),
    ("LearningVala R. MacKay, Vala MacKay Jr., Vala MacKay, Marc'Aurelio R. Kini Jr.",
     "Learning",
     ["Vala R. MacKay", "Vala MacKay Jr.", "Vala MacKay", "Marc'Aurelio R. Kini Jr."],
     False, None),
    ("Deep NetsJ. R. R. van der Berg Jr.", "Deep Nets", ["J. R. R. van der Berg Jr."], False,
     None),
    # Commas in the title; affiliations; "and" before the last author.
    ("Drop, Swap, and Generate: A Self-Supervised Approach for Generating Neural Activity"
     "Ran Liu, Mehdi Azabou, Max Dabagia et al.",
     "Drop, Swap, and Generate: A Self-Supervised Approach for Generating Neural Activity",
     ["Ran Liu", "Mehdi Azabou", "Max Dabagia"], True, None),
    ("Fast, Cheap, and Good: Pick TwoAnn Lee, Bo Chen · princeton",
     "Fast, Cheap, and Good: Pick Two", ["Ann Lee", "Bo Chen"], False, "princeton"),
    ("Half-Hop: A graph upsampling approach for slowing down message passingMehdi Azabou, "
     "Venkataramana Ganesh, Shantanu Thakoor et al. · gatech",
     "Half-Hop: A graph upsampling approach for slowing down message passing",
     ["Mehdi Azabou", "Venkataramana Ganesh", "Shantanu Thakoor"], True, "gatech"),
    ("Learning to LearnAnn Lee, Bo Chen and Cy Young", "Learning to Learn",
     ["Ann Lee", "Bo Chen", "Cy Young"], False, None),
]


@pytest.mark.parametrize(("line", "title", "authors", "et_al", "affiliation"), HARD_SPLITS,
                         ids=[c[1][-30:] + "|" + c[2][0] for c in HARD_SPLITS])
def test_hard_splits(line, title, authors, et_al, affiliation):
    split = split_title_authors(line)
    assert split is not None
    got_title, author_line = split
    assert (got_title, author_line.authors, author_line.et_al, author_line.affiliation) == (
        title, authors, et_al, affiliation)


@pytest.mark.parametrize(("line", "title", "authors", "et_al", "affiliation"), HARD_SPLITS[:12])
def test_hard_splits_through_parse_text(line, title, authors, et_al, affiliation):
    text = f"LGJul 4, 2023\n{line}\nAn abstract.\n"
    paper = parse_text(text, "c.txt", today=TODAY).papers[0]
    assert (paper.title, paper.authors, paper.et_al, paper.affiliation) == (
        title, authors, et_al, affiliation)
    assert paper.abstract == "An abstract."


@pytest.mark.parametrize("line", [
    "A title with no authors at all",
    "Deep Learning",
    "",
    "lowercase onlyjohn smith",
])
def test_no_plausible_split(line):
    assert split_title_authors(line) is None


def test_unsplittable_title_line_is_kept_with_a_warning():
    listing = parse_text("LGJul 4, 2023\nA title with no authors at all\nAbstract text.\n",
                         "c.txt", today=TODAY)
    paper = listing.papers[0]
    assert (paper.title, paper.authors, paper.abstract) == (
        "A title with no authors at all", [], "Abstract text.")
    assert listing.warnings == ["c.txt:2: could not find the authors in the title line"]


def test_known_names_break_a_genuine_tie():
    """ "U.S.J. Smith" is "U.S." + "J. Smith" or "U." + "S.J. Smith": only
    knowing the people can tell."""
    line = "Policy in the U.S.J. Smith, Ann Lee"
    alone = split_title_authors(line)
    assert alone is not None and alone[1].authors[0] in {"J. Smith", "S.J. Smith"}
    known = {"J. Smith", "Ann Lee"}
    title, authors = split_title_authors(line, known=known.__contains__)
    assert (title, authors.authors) == ("Policy in the U.S.", ["J. Smith", "Ann Lee"])
    known = {"S.J. Smith"}
    title, authors = split_title_authors(line, known=known.__contains__)
    assert (title, authors.authors) == ("Policy in the U.", ["S.J. Smith", "Ann Lee"])


def test_known_names_do_not_override_a_clear_split():
    line = "Imbalance Trouble: Revisiting Neural-Collapse GeometryChristos Thrampoulidis, Ann Lee"
    known = {"Geometry Christos"}.__contains__
    title, authors = split_title_authors(line, known=known)
    assert title == "Imbalance Trouble: Revisiting Neural-Collapse Geometry"
    assert authors.authors == ["Christos Thrampoulidis", "Ann Lee"]


# -- the 26 compact lines of the seeds ------------------------------------------------------

# (file, meta line number, category, ISO date, title, authors, et_al, affiliation)
SEED_COMPACT = [
    ("002_d044e9dae31d52f7.txt", 1, "LG", "2022-08-10",
     "Imbalance Trouble: Revisiting Neural-Collapse Geometry",
     ["Christos Thrampoulidis", "Ganesh R. Kini", "Vala Vakilian"], True, None),
    ("002_d044e9dae31d52f7.txt", 4, "CL", "2025-12-08",
     "Short-Context Dominance: How Much Local Context Natural Language Actually Needs?",
     ["Vala Vakilian", "Zimeng Wang", "Ankit Singh Rawat"], True, None),
    ("002_d044e9dae31d52f7.txt", 7, "LG", "2023-03-14",
     "On the Implicit Geometry of Cross-Entropy Parameterizations for Label-Imbalanced Data",
     ["Tina Behnia", "Ganesh Ramachandra Kini", "Vala Vakilian"], True, None),
    ("002_d044e9dae31d52f7.txt", 10, "CL", "2024-08-27",
     "Implicit Geometry of Next-token Prediction: From Language Sparsity Patterns to Model "
     "Representations",
     ["Yize Zhao", "Tina Behnia", "Vala Vakilian"], True, None),
    ("002_d044e9dae31d52f7.txt", 13, "LG", "2023-06-13",
     "Symmetric Neural-Collapse Representations with Supervised Contrastive Loss: The Impact of "
     "ReLU and Batching",
     ["Ganesh Ramachandra Kini", "Vala Vakilian", "Tina Behnia"], True, None),
    ("002_d044e9dae31d52f7.txt", 16, "LG", "2024-10-12",
     "DARE the Extreme: Revisiting Delta-Parameter Pruning For Fine-Tuned Models",
     ["Wenlong Deng", "Yize Zhao", "Vala Vakilian"], True, None),
    ("002_d044e9dae31d52f7.txt", 19, "LG", "2023-10-02",
     "Engineering the Neural Collapse Geometry of Supervised-Contrastive Loss",
     ["Jaidev Gill", "Vala Vakilian", "Christos Thrampoulidis"], False, None),
    ("003_3b1670a352fc4318.txt", 1, "LG", "2023-08-17",
     "Half-Hop: A graph upsampling approach for slowing down message passing",
     ["Mehdi Azabou", "Venkataramana Ganesh", "Shantanu Thakoor"], True, "gatech"),
    ("003_3b1670a352fc4318.txt", 4, "OC", "2022-06-22",
     "Provable Acceleration of Heavy Ball beyond Quadratics for a Class of Polyak-Łojasiewicz "
     "Functions when the Non-Convexity is Averaged-Out",
     ["Jun-Kun Wang", "Chi-Heng Lin", "Andre Wibisono"], True, None),
    ("003_3b1670a352fc4318.txt", 7, "LG", "2022-10-10",
     "The good, the bad and the ugly sides of data augmentation: An implicit spectral "
     "regularization perspective",
     ["Chi-Heng Lin", "Chiraag Kaushik", "Eva L. Dyer"], True, None),
    ("003_3b1670a352fc4318.txt", 10, "LG", "2024-08-19",
     "MoDeGPT: Modular Decomposition for Large Language Model Compression",
     ["Chi-Heng Lin", "Shangqian Gao", "James Seale Smith"], True, None),
    ("003_3b1670a352fc4318.txt", 13, "CL", "2025-10-30",
     "MossNet: Mixture of State-Space Experts is a Multi-Head Attention",
     ["Shikhar Tuli", "James Seale Smith", "Haris Jeelani"], True, None),
    ("003_3b1670a352fc4318.txt", 16, "LG", "2026-01-30",
     "Transform-Augmented GRPO Improves Pass@k",
     ["Khiem Le", "Youssef Mroueh", "Phuc Nguyen"], True, None),
    ("003_3b1670a352fc4318.txt", 19, "CL", "2025-12-12",
     "VOYAGER: A Training Free Approach for Generating Diverse Datasets using LLMs",
     ["Avinash Amballa", "Yashas Malur Saidutta", "Chi-Heng Lin"], True, None),
    ("003_3b1670a352fc4318.txt", 22, "CL", "2024-10-15",
     "DISP-LLM: Dimension-Independent Structural Pruning for Large Language Models",
     ["Shangqian Gao", "Chi-Heng Lin", "Ting Hua"], True, None),
    ("003_3b1670a352fc4318.txt", 25, "CL", "2024-05-01",
     "DynaMo: Accelerating Language Model Inference with Dynamic Multi-Token Sampling",
     ["Shikhar Tuli", "Chi-Heng Lin", "Yen-Chang Hsu"], True, None),
    ("003_3b1670a352fc4318.txt", 28, "LG", "2025-01-25",
     "ToMoE: Converting Dense Large Language Models to Mixture-of-Experts through Dynamic "
     "Structural Pruning",
     ["Shangqian Gao", "Ting Hua", "Reza Shirkavand"], True, None),
    ("003_3b1670a352fc4318.txt", 31, "CL", "2025-01-24",
     "FlexiGPT: Pruning and Extending Large Language Models with Low-Rank Weight Sharing",
     ["James Seale Smith", "Chi-Heng Lin", "Shikhar Tuli"], True, None),
    ("003_3b1670a352fc4318.txt", 34, "LG", "2025-02-27",
     "Your contrastive learning problem is secretly a distribution alignment problem",
     ["Zihao Chen", "Chi-Heng Lin", "Ran Liu"], True, None),
    ("003_3b1670a352fc4318.txt", 37, "LG", "2021-11-03",
     "Drop, Swap, and Generate: A Self-Supervised Approach for Generating Neural Activity",
     ["Ran Liu", "Mehdi Azabou", "Max Dabagia"], True, None),
    ("003_3b1670a352fc4318.txt", 40, "LG", "2021-06-05",
     "Escaping Saddle Points Faster with Stochastic Momentum",
     ["Jun-Kun Wang", "Chi-Heng Lin", "Jacob Abernethy"], False, None),
    ("003_3b1670a352fc4318.txt", 43, "LG", "2021-02-19",
     "Mine Your Own vieW: Self-Supervised Learning Through Across-Sample Prediction",
     ["Mehdi Azabou", "Mohammad Gheshlaghi Azar", "Ran Liu"], True, None),
    ("003_3b1670a352fc4318.txt", 46, "LG", "2020-12-21",
     "Making transport more robust and interpretable by moving data through a small number of "
     "anchor points",
     ["Chi-Heng Lin", "Mehdi Azabou", "Eva L. Dyer"], False, None),
    ("003_3b1670a352fc4318.txt", 49, "LG", "2020-10-04",
     "A Modular Analysis of Provable Acceleration via Polyak's Momentum: Training a Wide ReLU "
     "Network and a Deep Linear Network",
     ["Jun-Kun Wang", "Chi-Heng Lin", "Jacob Abernethy"], False, None),
    ("003_3b1670a352fc4318.txt", 52, "LG", "2020-06-04",
     "Bayesian optimization for modular black-box systems with switching costs",
     ["Chi-Heng Lin", "Joseph D. Miano", "Eva L. Dyer"], False, None),
    ("003_3b1670a352fc4318.txt", 55, "MM", "2015-03-30",
     "Error-Resilient Multicasting for Multi-View 3D Videos in Wireless Networks",
     ["Chi-Heng Lin", "De-Nian Yang", "Ji-Tang Lee"], True, None),
]


def test_the_table_covers_all_26_compact_seed_lines():
    assert len(SEED_COMPACT) == 26
    for name in {row[0] for row in SEED_COMPACT}:
        lines = (SEEDS / name).read_text(encoding="utf-8").split("\n")
        assert len(lines) == 3 * sum(1 for row in SEED_COMPACT if row[0] == name)


def _seed(name: str, known=None):
    return parse_file(SEEDS / name, today=TODAY, known=known)


@pytest.mark.parametrize("known", [None, lambda name: False], ids=["alone", "nobody-known"])
@pytest.mark.parametrize(("name", "line", "category", "iso", "title", "authors", "et_al",
                          "affiliation"), SEED_COMPACT,
                         ids=[f"{r[0][:3]}:{r[1]}" for r in SEED_COMPACT])
def test_seed_compact_lines(name, line, category, iso, title, authors, et_al, affiliation, known):
    listing = _seed(name, known)
    assert listing.format == FORMAT_COMPACT
    assert listing.warnings == []
    (paper,) = [p for p in listing.papers if p.source.line == line]
    assert (paper.category, paper.date, paper.title, paper.authors, paper.et_al,
            paper.affiliation) == (category, iso, title, authors, et_al, affiliation)
    assert paper.source.file == name and paper.source.format == FORMAT_COMPACT
    raw = (SEEDS / name).read_text(encoding="utf-8").split("\n")
    assert paper.abstract == raw[line + 1]  # the line after the title line, whole
    assert paper.has_code == raw[line - 1].endswith("Code")
    assert paper.score is None


def test_seed_compact_files_hold_exactly_the_listed_papers():
    for name in ("002_d044e9dae31d52f7.txt", "003_3b1670a352fc4318.txt"):
        listing = _seed(name)
        assert [p.source.line for p in listing.papers] == [
            row[1] for row in SEED_COMPACT if row[0] == name]
    assert _seed("002_d044e9dae31d52f7.txt").papers[5].has_code is True  # DARE: "Code"


def test_yearless_seed_dates_keep_their_text():
    paper = [p for p in _seed("003_3b1670a352fc4318.txt").papers if p.source.line == 16][0]
    assert (paper.date, paper.date_text) == ("2026-01-30", "Jan 30")
    early = parse_file(SEEDS / "003_3b1670a352fc4318.txt", today=date(2026, 1, 29))
    assert [p.date for p in early.papers if p.source.line == 16] == ["2025-01-30"]


def test_mixed_layouts_in_one_compact_file():
    """A block in profile layout inside a compact listing still parses."""
    text = (
        "LGJul 4, 2023\nFirst TitleAnn Lee, Bo Chen\nFirst abstract.\n"
        "CVMay 1, 2024Code\nSecond Title\n\nCy Young et al.\n\nSecond abstract.\n"
    )
    listing = parse_text(text, "m.txt", today=TODAY)
    assert [(p.title, p.authors, p.et_al, p.abstract, p.source.line, p.has_code)
            for p in listing.papers] == [
        ("First Title", ["Ann Lee", "Bo Chen"], False, "First abstract.", 1, False),
        ("Second Title", ["Cy Young"], True, "Second abstract.", 4, True),
    ]
