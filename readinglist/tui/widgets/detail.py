"""Everything about one paper: title, people (each a jump), facts, abstract,
its other versions, tags and the note (the user's own Markdown).

Untrusted text (titles, abstracts, names, tags) goes in as ``Content`` objects,
cleaned of control characters, so it is never parsed as markup. The note is
rendered as Markdown; its links only show their address, never act.

A field longer than anyone reads here (``SHOWN_LIMIT`` characters; real
abstracts are under 5,000) is shown cut, saying how long it is: laying out a
10 MB abstract froze the app for 90 s. ``readinglist show`` prints it whole.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Markdown, OptionList, Static
from textual.widgets.option_list import Option

from readinglist.models import Author, Paper, UserData
from readinglist.text import clean, clean_line
from readinglist.tui.widgets import SentBy

NO_AUTHOR = "__none__"
SHOWN_LIMIT = 20_000  # characters of a title, name, abstract or version laid out
NOTE_LIMIT = 100_000  # characters of the note rendered as Markdown
NAME_LIMIT = 500  # characters of a name, tag or affiliation


def shown(text: str, limit: int = SHOWN_LIMIT, *, line: bool = False, strip: bool = True) -> str:
    """``text`` as the pane shows it: cleaned, and cut past ``limit`` characters
    with a word on how much there is (the cut is made before cleaning, so a huge
    field costs no more than a short one)."""
    total = len(text)
    if line:
        text = clean_line(text[:limit])
    else:
        text = clean(text[:limit])
        text = text.strip() if strip else text
    if total > limit:
        text += f" … (the first {limit:,} of {total:,} characters)"
    return text


class DetailPane(VerticalScroll, can_focus=True):
    BINDINGS = [
        Binding("j,down", "scroll_down", "Scroll down", show=False, id="detail.down",
                tooltip="Scroll the detail pane down"),
        Binding("k,up", "scroll_up", "Scroll up", show=False, id="detail.up",
                tooltip="Scroll the detail pane up"),
        Binding("g", "scroll_home", "Top", show=False, id="detail.top",
                tooltip="Scroll to the top"),
        Binding("G", "scroll_end", "Bottom", show=False, id="detail.bottom",
                tooltip="Scroll to the bottom"),
    ]

    class AuthorChosen(SentBy):
        """The user chose one of the paper's people: jump to them."""

        def __init__(self, detail: DetailPane, author_id: str) -> None:
            super().__init__(detail)
            self.author_id = author_id

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.paper_id: str | None = None
        self._note_shown: str | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="detail-title", markup=False)
        yield OptionList(id="detail-authors")
        yield Static(id="detail-meta", markup=False)
        yield Static(id="detail-abstract", markup=False)
        yield Static(id="detail-versions", markup=False)
        yield Static(id="detail-tags", markup=False)
        yield Markdown(id="detail-note", open_links=False)

    def show(self, paper: Paper | None, *, user: UserData | None = None,
             people: list[tuple[str, str | None]] = (), authors: dict[str, Author] | None = None,
             queue_position: int | None = None, queued_at: str | None = None) -> None:
        """Show ``paper`` (None: an empty pane)."""
        same = paper is not None and paper.id == self.paper_id
        self.paper_id = paper.id if paper else None
        title = self.query_one("#detail-title", Static)
        options = self.query_one("#detail-authors", OptionList)
        meta = self.query_one("#detail-meta", Static)
        abstract = self.query_one("#detail-abstract", Static)
        versions = self.query_one("#detail-versions", Static)
        tags = self.query_one("#detail-tags", Static)
        note = self.query_one("#detail-note", Markdown)
        if paper is None:
            title.update(Content("No paper selected"))
            for widget in (meta, abstract, versions, tags):
                widget.update("")
            options.clear_options()
            options.display = False
            self._set_note(note, "")
            return
        user = user or UserData(paper.id)
        title.update(Content(shown(paper.title, line=True)).stylize("bold"))
        highlighted = options.highlighted
        options.set_options([
            Option(Content.assemble(("→ " if aid else "  "), shown(name, NAME_LIMIT, line=True)),
                   id=aid if aid else f"{NO_AUTHOR}{i}", disabled=aid is None)
            for i, (name, aid) in enumerate(people)
        ] + ([Option(Content("et al."), disabled=True)] if paper.et_al else []))
        options.display = bool(people)
        if same and highlighted is not None:
            options.highlighted = min(highlighted, options.option_count - 1)
        meta.update(self._meta(paper, user, queue_position, queued_at))
        text = shown(paper.abstract or "")
        abstract.update(Content(text) if text else Content("No abstract.").stylize("italic"))
        others = [version for version in (shown(v) for v in paper.abstract_versions
                                          if v != paper.abstract)
                  if version and version != text]
        if others:
            parts: list[Content | str | tuple[str, str]] = [
                (f"Other versions of the abstract ({len(others)})", "bold")]
            for number, version in enumerate(others, start=1):
                parts += ["\n\n", (f"v{number}: ", "$text-muted"), version]
            versions.update(Content.assemble(*parts))
            versions.display = True
        else:
            versions.update("")
            versions.display = False
        tag_text = "  ".join(f"#{shown(t, NAME_LIMIT, line=True)}" for t in user.tags)
        tags.update(Content.assemble(("Tags ", "bold"),
                                     (tag_text, "$accent") if tag_text else ("none (t to add)", "$text-muted")))
        body = shown(user.note, NOTE_LIMIT, strip=False)  # indentation is Markdown
        self._set_note(note, body if body.strip() else "*No note yet: press **n** to write one.*")
        if not same:
            self.scroll_home(animate=False)

    def _set_note(self, note: Markdown, text: str) -> None:
        if text != self._note_shown:  # rebuilding Markdown is the slow part of a move
            self._note_shown = text
            note.update(text)

    @staticmethod
    def _meta(paper: Paper, user: UserData, position: int | None,
              queued_at: str | None = None) -> Content:
        rows: list[tuple[str, str]] = []
        status = user.status + (f" since {user.status_since[user.status][:10]}"
                                if user.status in user.status_since else "")
        rows.append(("Status", status + (f" · queue #{position}" if position else "")))
        timeline = [("added", paper.added), ("queued", queued_at),
                    ("started", user.status_since.get("reading")),
                    ("finished", user.status_since.get("read") if user.status == "read" else None)]
        rows.append(("Timeline", " · ".join(f"{what} {when[:10]}" for what, when in timeline if when)
                     or "not yet started"))
        rows.append(("Date", clean_line(paper.date or paper.date_text or "unknown")))
        if paper.category:
            rows.append(("Category", clean_line(paper.category)))
        rows.append(("Code", "yes" if paper.has_code else "no"))
        if paper.score is not None:
            rows.append(("Score", f"{paper.score:g}"))
        if paper.affiliation:
            rows.append(("Affiliation", shown(paper.affiliation, NAME_LIMIT, line=True)))
        sources = ", ".join(f"{clean_line(s.file)}:{s.line}" for s in paper.sources)
        rows.append(("Sources", sources or "none"))
        rows.append(("Id", paper.id))
        if paper.needs_review:
            rows.append(("Review", "matched to no listed paper: check it"))
        parts: list[Content | str | tuple[str, str]] = []
        for label, value in rows:
            if parts:
                parts.append("\n")
            # "Affiliation" is longer than the column: a space still parts it from its value.
            parts += [(f"{label:<9}" if len(label) < 9 else f"{label} ", "$text-muted"), value]
        return Content.assemble(*parts)

    @on(OptionList.OptionSelected, "#detail-authors")
    def _author_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id and not event.option.id.startswith(NO_AUTHOR):
            self.post_message(self.AuthorChosen(self, event.option.id))

    @on(Markdown.LinkClicked)
    def _link(self, event: Markdown.LinkClicked) -> None:
        event.stop()
        self.notify(f"Link: {clean_line(event.href)}", title="Note", markup=False)
