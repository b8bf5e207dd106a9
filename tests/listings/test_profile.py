"""The author profile page: the stats header and the papers under it.

Expectations are written by hand from the seed text.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from readinglist.listings import ListingError, parse_file, parse_text
from readinglist.listings.render import render_profile
from readinglist.models import FORMAT_COMPACT, FORMAT_PROFILE, Profile

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
TODAY = date(2026, 11, 22)
KOTHAPALLI = "000_4ee82447da9d8c68.txt"
PANIGRAHI = "004_f8cfaeded55f6d67.txt"


def _seed(name: str, today: date = TODAY):
    return parse_file(SEEDS / name, today=today)


def test_kothapalli_header():
    listing = _seed(KOTHAPALLI)
    assert listing.format == FORMAT_PROFILE
    assert listing.owner == "Vignesh Kothapalli"
    assert listing.profile == Profile(category="LG", h_index=27, papers=13, citations=299,
                                      novelty=46, ai_score=56, listed=13, source=KOTHAPALLI)
    assert listing.warnings == []
    assert len(listing.papers) == 13


def test_panigrahi_header():
    listing = _seed(PANIGRAHI)
    assert listing.owner == "Abhishek Panigrahi"
    assert listing.profile == Profile(category="LG", h_index=96, papers=18, citations=692,
                                      novelty=50, ai_score=52, listed=18, source=PANIGRAHI)
    assert listing.warnings == []
    assert len(listing.papers) == 18


# (meta line, category, ISO date, date as written, has_code, score, title, authors, et_al,
#  affiliation)
KOTHAPALLI_PAPERS = [
    (12, "LG", "2026-05-29", "May 29", True, 81.2,
     "Balancing Learning Rates Across Layers: Exact Two-Step Dynamics and Optimal Scaling in "
     "Linear Neural Networks", ["Tianyu Pang", "Vignesh Kothapalli", "Shenyang Deng"], True, None),
    (19, "LG", "2023-07-04", "Jul 4, 2023", False, None,
     "A Neural Collapse Perspective on Feature Evolution in Graph Neural Networks",
     ["Vignesh Kothapalli", "Tom Tirer", "Joan Bruna"], False, None),
    (26, "CL", "2025-12-24", "Dec 24, 2025", True, None,
     "Distilling the Essence: Efficient Reasoning Distillation via Sequence Truncation",
     ["Wei-Rui Chen", "Vignesh Kothapalli", "Ata Fatahibaarzi"], True, None),
    (33, "LG", "2022-06-08", "Jun 8, 2022", False, None,
     "Neural Collapse: A Review on Modelling Principles and Generalization",
     ["Vignesh Kothapalli"], False, None),
    (40, "LG", "2024-10-14", "Oct 14, 2024", True, None,
     "Liger Kernel: Efficient Triton Kernels for LLM Training",
     ["Pin-Lun Hsu", "Yun Dai", "Vignesh Kothapalli"], True, None),
    (47, "CL", "2025-12-04", "Dec 4, 2025", False, None,
     "To Think or Not to Think: The Hidden Cost of Meta-Training with Excessive CoT Examples",
     ["Vignesh Kothapalli", "Ata Fatahibaarzi", "Hamed Firooz"], True, None),
    (54, "LG", "2023-06-06", "Jun 6, 2023", False, None,
     "Randomized Schur Complement Views for Graph Contrastive Learning",
     ["Vignesh Kothapalli"], False, None),
    (61, "LG", "2024-06-04", "Jun 4, 2024", True, None,
     "Can Kernel Methods Explain How the Data Affects Neural Collapse?",
     ["Vignesh Kothapalli", "Tom Tirer"], False, None),
    (68, "IR", "2025-01-27", "Jan 27, 2025", False, None,
     "360Brew: A Decoder-only Foundation Model for Personalized Ranking and Recommendation",
     ["Hamed Firooz", "Maziar Sanjabi", "Adrian Englhardt"], True, None),
    (75, "DB", "2026-02-03", "Feb 3", False, None,
     "PluRel: Synthetic Data unlocks Scaling Laws for Relational Foundation Models",
     ["Vignesh Kothapalli", "Rishabh Ranjan", "Valter Hudovernik"], True, None),
    (82, "CL", "2025-02-21", "Feb 21, 2025", False, None,
     "CoT-ICL Lab: A Synthetic Framework for Studying Chain-of-Thought Learning from In-Context "
     "Demonstrations", ["Vignesh Kothapalli", "Hamed Firooz", "Maziar Sanjabi"], False, None),
    (89, "IR", "2025-02-20", "Feb 20, 2025", False, None,
     "Scaling Down, Serving Fast: Compressing and Deploying Efficient LLMs for Recommendation "
     "Systems", ["Kayhan Behdin", "Ata Fatahibaarzi", "Qingquan Song"], True, None),
    (96, "LG", "2024-06-07", "Jun 7, 2024", False, None,
     "From Spikes to Heavy Tails: Unveiling the Spectral Evolution of Neural Networks",
     ["Vignesh Kothapalli", "Tianyu Pang", "Shenyang Deng"], True, None),
]

PANIGRAHI_PAPERS = [
    (12, "LG", "2022-05-19", "May 19, 2022", False, None,
     "Understanding Gradient Descent on Edge of Stability in Deep Learning",
     ["Sanjeev Arora", "Zhiyuan Li", "Abhishek Panigrahi"], False, None),
    (19, "CL", "2023-02-13", "Feb 13, 2023", False, None,
     "Task-Specific Skill Localization in Fine-tuned Language Models",
     ["Abhishek Panigrahi", "Nikunj Saunshi", "Haoyu Zhao"], True, None),
    (26, "LG", "2022-05-20", "May 20, 2022", False, None,
     "On the SDEs and Scaling Rules for Adaptive Gradient Algorithms",
     ["Sadhika Malladi", "Kaifeng Lyu", "Abhishek Panigrahi"], True, "tsinghua"),
    (33, "CL", "2023-03-14", "Mar 14, 2023", False, None,
     "Do Transformers Parse while Predicting the Masked Word?",
     ["Haoyu Zhao", "Abhishek Panigrahi", "Rong Ge"], True, None),
    (40, "CL", "2023-07-03", "Jul 3, 2023", False, None,
     "Trainable Transformer in Transformer",
     ["Abhishek Panigrahi", "Sadhika Malladi", "Mengzhou Xia"], True, None),
    (47, "CL", "2026-04-13", "Apr 13", False, 99.2,
     "Self-Distillation Zero: Self-Revision Turns Binary Rewards into Dense Supervision",
     ["Yinghui He", "Simran Kaur", "Adithya Bhaskar"], True, None),
    (54, "LG", "2025-11-04", "Nov 4, 2025", False, None,
     "In Good GRACEs: Principled Teacher Selection for Knowledge Distillation",
     ["Abhishek Panigrahi", "Bingbin Liu", "Sadhika Malladi"], True, None),
    (61, "CL", "2024-07-15", "Jul 15, 2024", False, None,
     "Representing Rule-based Chatbots with Transformers",
     ["Dan Friedman", "Abhishek Panigrahi", "Danqi Chen"], False, "princeton"),
    (68, "LG", "2025-10-11", "Oct 11, 2025", True, None,
     "Skill-Targeted Adaptive Training",
     ["Yinghui He", "Abhishek Panigrahi", "Yong Lin"], True, None),
    (75, "CL", "2024-02-08", "Feb 8, 2024", False, None,
     "Efficient Stagewise Pretraining via Progressive Subnetworks",
     ["Abhishek Panigrahi", "Nikunj Saunshi", "Kaifeng Lyu"], True, "tsinghua"),
    (82, "CV", "2025-01-05", "Jan 5, 2025", False, None,
     "Generalizing from SIMPLE to HARD Visual Reasoning: Can We Mitigate Modality Imbalance in "
     "VLMs?", ["Simon Park", "Abhishek Panigrahi", "Yun Cheng"], True, "princeton"),
    (89, "CL", "2025-04-30", "Apr 30, 2025", False, None,
     "AdaptMI: Adaptive Skill-based In-context Math Instruction for Small Language Models",
     ["Yinghui He", "Abhishek Panigrahi", "Yong Lin"], True, None),
    (96, "LG", "2025-03-03", "Mar 3, 2025", False, None,
     "On the Power of Context-Enhanced Learning in LLMs",
     ["Xingyu Zhu", "Abhishek Panigrahi", "Sanjeev Arora"], False, "princeton"),
    (103, "LG", "2021-05-31", "May 31, 2021", False, None,
     "Learning and Generalization in RNNs", ["Abhishek Panigrahi", "Navin Goyal"], False, None),
    (110, "LG", "2019-10-21", "Oct 21, 2019", False, None,
     "Non-Gaussianity of Stochastic Gradient Noise",
     ["Abhishek Panigrahi", "Raghav Somani", "Navin Goyal"], True, None),
    (117, "LG", "2019-08-16", "Aug 16, 2019", False, None,
     "Effect of Activation Functions on the Training of Overparametrized Neural Nets",
     ["Abhishek Panigrahi", "Abhishek Shetty", "Navin Goyal"], False, None),
    (124, "SI", "2019-03-10", "Mar 10, 2019", False, None,
     "DeepTagRec: A Content-cum-User based Tag Recommendation Framework for Stack Overflow",
     ["Suman Kalyan Maity", "Abhishek Panigrahi", "Sayan Ghosh"], True, None),
    (131, "LG", "2018-12-02", "Dec 2, 2018", False, None,
     "Analysis on Gradient Propagation in Batch Normalized Residual Networks",
     ["Abhishek Panigrahi", "Yueru Chen", "C. -C. Jay Kuo"], False, None),
]

CASES = [(KOTHAPALLI, *row) for row in KOTHAPALLI_PAPERS] + [(PANIGRAHI, *row)
                                                              for row in PANIGRAHI_PAPERS]


@pytest.mark.parametrize(("name", "line", "category", "iso", "written", "code", "score", "title",
                          "authors", "et_al", "affiliation"), CASES,
                         ids=[f"{c[0][:3]}:{c[1]}" for c in CASES])
def test_seed_profile_papers(name, line, category, iso, written, code, score, title, authors,
                             et_al, affiliation):
    listing = _seed(name)
    (paper,) = [p for p in listing.papers if p.source.line == line]
    assert (paper.category, paper.date, paper.date_text, paper.has_code, paper.score) == (
        category, iso, written, code, score)
    assert (paper.title, paper.authors, paper.et_al, paper.affiliation) == (
        title, authors, et_al, affiliation)
    assert paper.source.file == name and paper.source.format == FORMAT_PROFILE
    raw = (SEEDS / name).read_text(encoding="utf-8").split("\n")
    assert raw[line - 1].strip() and raw[line] == title
    # raw[line - 1] is the meta line: then title, blank, authors, blank, abstract.
    assert raw[line + 2] == ", ".join(authors) + (" et al." if et_al else "") + (
        f" · {affiliation}" if affiliation else "")
    assert paper.abstract == raw[line + 4]


def test_source_lines_are_every_meta_line_in_order():
    assert [p.source.line for p in _seed(KOTHAPALLI).papers] == [r[0] for r in KOTHAPALLI_PAPERS]
    assert [p.source.line for p in _seed(PANIGRAHI).papers] == [r[0] for r in PANIGRAHI_PAPERS]


def test_yearless_dates_follow_the_import_day():
    listing = _seed(PANIGRAHI, today=date(2026, 4, 12))
    assert [p.date for p in listing.papers if p.source.line == 47] == ["2025-04-13"]
    listing = _seed(KOTHAPALLI, today=date(2027, 1, 1))
    assert [p.date for p in listing.papers if p.source.line in (12, 75)] == [
        "2026-05-29", "2026-02-03"]


def test_render_profile_reproduces_the_seeds_byte_for_byte():
    for name in (KOTHAPALLI, PANIGRAHI):
        listing = _seed(name)
        raw = (SEEDS / name).read_text(encoding="utf-8")
        assert render_profile(listing.owner, listing.profile, listing.papers) == raw + "\n"


# -- synthetic pages ----------------------------------------------------------------------

PAGE = """\
Ann Lee

CV
h-index5
7papers

2 Papers

12.5CVJan 2, 2024Code
First Paper: With a Colon

Bo Chen, Cy Young et al. · mit

First paragraph of the abstract,
wrapped onto a second line.

Second paragraph.

CVJan 3
Second Paper (Revisited)

Ann Lee

"""


def test_a_page_with_partial_stats_and_paragraphs():
    listing = parse_text(PAGE, "p.txt", today=TODAY)
    assert listing.format == FORMAT_PROFILE and listing.owner == "Ann Lee"
    assert listing.profile == Profile(category="CV", h_index=5, papers=7, listed=2,
                                      source="p.txt")
    first, second = listing.papers
    assert (first.title, first.authors, first.et_al, first.affiliation, first.score,
            first.has_code, first.date, first.source.line) == (
        "First Paper: With a Colon", ["Bo Chen", "Cy Young"], True, "mit", 12.5, True,
        "2024-01-02", 9)
    assert first.abstract == ("First paragraph of the abstract, wrapped onto a second line."
                              "\n\nSecond paragraph.")
    assert (second.title, second.authors, second.abstract, second.date, second.source.line) == (
        "Second Paper (Revisited)", ["Ann Lee"], None, "2026-01-03", 19)


def test_crlf_page_parses_the_same():
    plain = parse_text(PAGE, "p.txt", today=TODAY)
    crlf = parse_text(PAGE.replace("\n", "\r\n"), "p.txt", today=TODAY)
    assert crlf.profile == plain.profile
    assert [(p.title, p.authors, p.abstract, p.source.line) for p in crlf.papers] == [
        (p.title, p.authors, p.abstract, p.source.line) for p in plain.papers]


def test_a_page_with_a_header_but_no_papers_is_an_error():
    with pytest.raises(ListingError, match="no papers"):
        parse_text("Ann Lee\n\nh-index5\n7papers\n", "p.txt", today=TODAY)


def test_without_stats_the_page_is_not_a_profile():
    text = "Ann Lee\n\nLGJan 2, 2024\nA Title\n\nBo Chen\n\nAbstract.\n"
    listing = parse_text(text, "p.txt", today=TODAY)
    assert listing.format == FORMAT_COMPACT and listing.owner is None
    assert listing.warnings == ["p.txt:1: skipped a line outside any paper"]
    assert [(p.title, p.authors, p.abstract) for p in listing.papers] == [
        ("A Title", ["Bo Chen"], "Abstract.")]


def test_render_profile_without_stats_counts_the_papers():
    listing = parse_text(PAGE, "p.txt", today=TODAY)
    text = render_profile("Ann Lee", None, listing.papers)
    assert text.split("\n")[:4] == ["Ann Lee", "", "2 Papers", ""]
    again = parse_text(text, "q.txt", today=TODAY)
    assert again.owner == "Ann Lee"
    assert again.profile == Profile(listed=2, source="q.txt")
    assert [(p.title, p.abstract) for p in again.papers] == [
        (p.title, p.abstract) for p in listing.papers]


ODD = """\
Ann Lee

h-index5

3 Papers

LGJan 2, 2024
DeepMind Lab

Prabhat, danah boyd, 张伟 et al. · mit

Abstract here.

LGJan 3, 2024
DeepMind Control

We study control without an author line.

And a second paragraph.

LGJan 4, 2024
DeepMind Pong

Bo Chen Jr.

Text.
"""


def test_the_page_layout_finds_names_the_rules_do_not_know():
    """Before: "DeepMind Lab" went to the compact split ("Deep" + "Mind Lab")
    and the real author line became the abstract."""
    listing = parse_text(ODD, "odd.txt", today=TODAY)
    lab, control, pong = listing.papers
    assert (lab.title, lab.authors, lab.et_al, lab.affiliation, lab.abstract) == (
        "DeepMind Lab", ["Prabhat", "danah boyd", "张伟"], True, "mit", "Abstract here.")
    assert (control.title, control.authors, control.abstract) == (
        "DeepMind Control", [],
        "We study control without an author line.\n\nAnd a second paragraph.")
    assert (pong.title, pong.authors, pong.abstract) == ("DeepMind Pong", ["Bo Chen Jr."], "Text.")
    assert listing.warnings == ["odd.txt:15: no author line under the title"]


def test_a_compact_block_on_a_profile_page_still_splits():
    text = PAGE + "LGJan 4, 2024\nThird PaperDe-Nian Yang, Ann Lee\nThird abstract.\n"
    listing = parse_text(text, "p.txt", today=TODAY)
    third = listing.papers[-1]
    assert (third.title, third.authors, third.abstract, third.source.line) == (
        "Third Paper", ["De-Nian Yang", "Ann Lee"], "Third abstract.", 24)
