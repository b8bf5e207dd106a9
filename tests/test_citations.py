"""Citation keys and styles on seed papers."""

from __future__ import annotations

import pytest

from readinglist.citations import (
    STYLES,
    base_key,
    bibtex_title,
    cite,
    latex_escape,
    sentence_case,
    unique_keys,
)
from readinglist.models import Paper


def paper(title, authors, date="2023-07-04", et_al=False, **kw):
    return Paper(id=kw.pop("id", "p1"), title=title, authors=authors, et_al=et_al, date=date, **kw)


REVIEW = paper("Neural Collapse: A Review on Modelling Principles and Generalization",
               ["Vignesh Kothapalli"], date="2022-06-08")
TWO = paper("Learning and Generalization in RNNs", ["Abhishek Panigrahi", "Navin Goyal"],
            date="2021-05-31")
THREE = paper("Analysis on Gradient Propagation in Batch Normalized Residual Networks",
              ["Abhishek Panigrahi", "Yueru Chen", "C. -C. Jay Kuo"], date="2018-12-02")
ETAL = paper("Provable Acceleration of Heavy Ball beyond Quadratics for a Class of "
             "Polyak-\u0141ojasiewicz Functions when the Non-Convexity is Averaged-Out",
             ["Jun-Kun Wang", "Chi-Heng Lin", "Andre Wibisono"], date="2022-06-22", et_al=True)


@pytest.mark.parametrize(
    ("p", "key"),
    [(REVIEW, "kothapalli2022neural"), (TWO, "panigrahi2021learning"),
     (THREE, "panigrahi2018analysis"), (ETAL, "wang2022provable"),
     (paper("The Good, the Bad", ["Ørsted Müller"], date=None), "mullerndgood")],
)
def test_base_key(p, key):
    assert base_key(p) == key


def test_unique_keys_suffix_stably():
    a = paper("Neural Tangents", ["Ann Lee"], id="b", added="2024-01-02")
    b = paper("Neural Nets", ["Ann Lee"], id="a", added="2024-01-01")
    c = paper("Other", ["Bo Chan"], id="c")
    keys = unique_keys([a, b, c])
    assert keys == {"a": "lee2023neurala", "b": "lee2023neuralb", "c": "chan2023other"}
    assert unique_keys([c, b, a]) == keys


@pytest.mark.parametrize(
    ("style", "p", "expected"),
    [
        ("apa", REVIEW, "Kothapalli, V. (2022). Neural collapse: A review on modelling principles "
                        "and generalization [Preprint]."),
        ("apa", TWO, "Panigrahi, A., & Goyal, N. (2021). Learning and generalization in RNNs [Preprint]."),
        ("apa", THREE, "Panigrahi, A., Chen, Y., & Kuo, C.-C. J. (2018). Analysis on gradient propagation "
                       "in batch normalized residual networks [Preprint]."),
        ("mla", TWO, "Panigrahi, Abhishek, and Navin Goyal. \u201cLearning and Generalization in RNNs.\u201d "
                     "Preprint, 2021."),
        ("mla", THREE, "Panigrahi, Abhishek, et al. \u201cAnalysis on Gradient Propagation in Batch "
                       "Normalized Residual Networks.\u201d Preprint, 2018."),
        ("chicago", TWO, "Panigrahi, Abhishek, and Navin Goyal. 2021. \u201cLearning and Generalization "
                         "in RNNs.\u201d Preprint."),
        ("plain", ETAL, "Jun-Kun Wang, Chi-Heng Lin, Andre Wibisono et al. (2022). " + ETAL.title + "."),
        ("markdown", TWO, "- Learning and Generalization in RNNs, Abhishek Panigrahi, Navin Goyal (2021)"),
    ],
)
def test_styles(style, p, expected):
    assert cite(p, style=style) == expected


def test_bibtex_entry():
    entry = cite(ETAL, style="bibtex", key="wang2022provable", tags=["theory", "R&D"])
    assert entry.startswith("@misc{wang2022provable,\n")
    assert "author = {Wang, Jun-Kun and Lin, Chi-Heng and Wibisono, Andre and others}" in entry
    assert "year = 2022" in entry and "month = jun" in entry
    assert "keywords = {theory, R\\&D}" in entry
    assert entry.rstrip().endswith("}")


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Using LLMs for 50% of $x$ & more_", "Using {LLMs} for 50\\% of \\$x\\$ \\& more\\_"),
        ("GPT-4 and MoDeGPT", "{GPT-4} and {MoDeGPT}"),
        ("Averaged-Out {braces}", "Averaged-Out \\{braces\\}"),
    ],
)
def test_bibtex_title(title, expected):
    assert bibtex_title(title) == expected


def test_latex_escape_every_special():
    assert latex_escape("$%&_#{}") == "\\$\\%\\&\\_\\#\\{\\}"


def test_sentence_case_keeps_acronyms_and_capitalises_after_colon():
    assert sentence_case("DARE the Extreme: Revisiting Delta-Parameter Pruning For LLMs") == (
        "DARE the extreme: Revisiting delta-parameter pruning for LLMs")


def test_every_style_renders_every_seed_paper(seed_catalogue):
    for p in seed_catalogue.papers.values():
        for style in STYLES:
            text = cite(p, seed_catalogue.authors, style)
            assert p.title.split()[0].lower()[:3] in text.lower()


def test_unknown_style():
    with pytest.raises(ValueError, match="unknown citation style"):
        cite(TWO, style="harvard")


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("apa", "King, M. L., Jr., & Van den Broeck, G. (1963). I have a dream [Preprint]."),
        ("mla", "King, Martin Luther, Jr., and Guy Van den Broeck. \u201cI Have a Dream.\u201d Preprint, 1963."),
        ("ieee", "M. L. King Jr. and G. Van den Broeck, \u201cI Have a Dream,\u201d preprint, Aug. 1963."),
    ],
)
def test_suffixes_and_capitalised_particles(style, expected):
    p = paper("I Have a Dream", ["Martin Luther King Jr.", "Guy Van den Broeck"], date="1963-08-28")
    assert cite(p, style=style) == expected


def test_bibtex_puts_the_suffix_in_the_middle():
    p = paper("I Have a Dream", ["Martin Luther King Jr."], date="1963-08-28")
    assert "author = {King, Jr., Martin Luther}" in cite(p, style="bibtex")
