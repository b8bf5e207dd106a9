"""Reading statistics on a small library with known dates and a fixed clock."""

from __future__ import annotations

from datetime import datetime, timezone

from readinglist import stats
from readinglist.models import Author, Paper, UserData

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)  # a Wednesday


def library():
    people = {"a1": Author("a1", "Ann Lee"), "a2": Author("a2", "Bo Chan")}
    papers = [
        Paper("p1", "One", author_ids=["a1"], category="LG"),
        Paper("p2", "Two", author_ids=["a1", "a2"], category="LG"),
        Paper("p3", "Three", author_ids=["a2"], category="CL"),
        Paper("p4", "Four", category="CL"),
        Paper("p5", "Five", category=None),
    ]
    user = {
        "p1": UserData("p1", tags=["theory"], status="read",
                       status_since={"read": "2026-11-24T10:00:00+00:00"}),  # this week
        "p2": UserData("p2", tags=["theory", "gpu"], status="read",
                       status_since={"read": "2026-11-16T10:00:00+00:00"}),  # last week
        "p3": UserData("p3", status="read", status_since={"read": "2025-01-01T10:00:00+00:00"}),
        "p4": UserData("p4", status="reading", status_since={"reading": "2026-11-01T10:00:00+00:00"}),
    }
    return papers, people, user


def test_figures():
    papers, people, user = library()
    result = stats.compute(papers, people, user, ["p5", "p4"], NOW,
                           queued_since={"p5": "2026-10-26T12:00:00+00:00",
                                         "p4": "2026-11-20T12:00:00+00:00"})
    assert result.total == 5
    assert result.by_status == {"unread": 1, "reading": 1, "read": 3}
    assert result.by_category == [("LG", 2), ("CL", 2), ("?", 1)]
    assert result.by_tag == [("theory", 2), ("gpu", 1)]
    assert result.read_per_week[-1] == 1 and result.read_per_week[-2] == 1
    assert sum(result.read_per_week) == 2  # the 2025 one is outside the last 52 weeks
    assert result.week_starts[-1] == "2026-11-23"  # this week's Monday
    assert result.read_last_30_days == 2
    assert (result.queue_length, result.oldest_queued_days) == (2, 30)
    assert result.most_read_authors == [("Ann Lee", 2), ("Bo Chan", 2)]


def test_empty_library_and_text():
    result = stats.compute([], {}, {}, [], NOW)
    assert result.total == 0 and result.oldest_queued_days is None
    text = stats.render_text(result)
    assert "0 papers" in text and "no tags yet" in text and "nothing read yet" in text


def test_sparkline():
    assert stats.sparkline([0, 1, 2, 4]) == "\u2581\u2583\u2585\u2588"
    assert stats.sparkline([0, 0]) == "\u2581\u2581"
