"""The main screen: people or tags | papers | detail. It owns the state, sets
attributes on its widgets, and handles the messages they post.

Every change goes through the store first; the widgets are then refreshed from
what the store answers, so the screen never shows a change that was not saved.
"""

from __future__ import annotations

import sys
import threading
from contextlib import contextmanager
from dataclasses import replace

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Footer, Input, Static, TextArea
from textual.worker import get_current_worker

from readinglist.background import pause, user_active
from readinglist.models import STATUSES
from readinglist.search import QueryError
from readinglist.settings import Settings
from readinglist.store import StoreError
from readinglist.text import clean_line
from readinglist.tui.state import SORTS, Filters, IndexNotReady, LibraryState
from readinglist.tui.widgets.author_list import AuthorEntry, AuthorList
from readinglist.tui.widgets.detail import DetailPane
from readinglist.tui.widgets.paper_list import PaperList
from readinglist.tui.widgets.tag_list import TagList

VIEW_LABELS = {"library": "Library", "queue": "Queue", "tags": "Tags"}
PAPER_ACTIONS = {"cycle_status", "edit_tags", "toggle_queue", "queue_shift", "edit_note",
                 "copy_citation", "copy_citation_as"}
NARROW = 110  # below this many columns the detail pane goes under the papers
#: A library with more papers than this opens on its first screen of papers
#: (read from the head of the catalogue in milliseconds) while the rest loads
#: in a thread, and builds its search index in a thread. Smaller ones load at once.
LARGE = 5000
HEAD_ROWS = 200  # papers read for that first screen: more than any terminal shows


@contextmanager
def _yielding_gil():
    """While a thread loads or indexes, hand the GIL over every millisecond
    rather than every 5 ms: a key pressed meanwhile is answered sooner."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(0.001)
    try:
        yield
    finally:
        sys.setswitchinterval(before)


class SearchInput(Input):
    """The search box. Its keys are priority bindings on the screen (see
    ``MainScreen.BINDINGS``), so they act the moment they arrive."""


VIEWS = Binding.Group("Views", compact=True)
MOVE = Binding.Group("Move in queue", compact=True)
CITE = Binding.Group("Cite", compact=True)


class MainScreen(Screen):
    BINDINGS = [
        Binding("1", "view('library')", "Library", group=VIEWS, id="view.library",
                tooltip="Every paper in the library"),
        Binding("2", "view('queue')", "Queue", group=VIEWS, id="view.queue",
                tooltip="The reading queue, in order"),
        Binding("3", "view('tags')", "Tags", group=VIEWS, id="view.tags",
                tooltip="Every tag with its count; choose one to filter"),
        # Priority bindings run as soon as the key arrives, before the keys typed
        # after it are handed to a widget: "/liger" typed fast lands in the box,
        # and keys typed after enter land in the results. check_action limits
        # each to where it belongs.
        Binding("slash", "search", "Search", id="search", priority=True,
                tooltip="Search as you type (fuzzy, with tag: status: author: … filters)"),
        Binding("enter", "submit_search", "Search: results", id="search.submit", priority=True,
                tooltip="Move to the results, best match selected"),
        Binding("down", "submit_search", "Search: results", show=False, id="search.down",
                priority=True, tooltip="Move to the results"),
        Binding("escape", "clear_search", "Search: clear", id="search.clear", priority=True,
                tooltip="Clear the search and go back to the papers"),
        Binding("s", "cycle_status", "Status", id="paper.status",
                tooltip="Cycle the status: unread → reading → read"),
        Binding("t", "edit_tags", "Tags", id="paper.tags", tooltip="Edit the paper's tags"),
        Binding("a", "toggle_queue", "Queue ±", id="paper.queue",
                tooltip="Add the paper to the reading queue, or remove it"),
        Binding("K", "queue_shift(-1)", "Up queue", group=MOVE, id="paper.queue_up",
                tooltip="Move the paper one place up the queue"),
        Binding("J", "queue_shift(1)", "Down queue", group=MOVE, id="paper.queue_down",
                tooltip="Move the paper one place down the queue"),
        Binding("n", "edit_note", "Note", id="paper.note",
                tooltip="Write the paper's note (Markdown, saved as you type)"),
        Binding("y", "copy_citation", "Cite", group=CITE, id="paper.cite",
                tooltip="Copy the citation in the default style (BibTeX)"),
        Binding("Y", "copy_citation_as", "Cite as…", group=CITE, id="paper.cite_as",
                tooltip="Pick a citation style, with a preview, and copy"),
        Binding("u", "undo", "Undo", id="undo",
                tooltip="Undo the last change (tags, status, queue, note)"),
        Binding("0", "stats", "Stats", id="stats", show=False,
                tooltip="Reading statistics: per week, queue, categories, tags, authors"),
        Binding("o", "cycle_sort", "Sort", id="sort", show=False,
                tooltip="Sort by date, title, first author, status or score"),
        Binding("O", "reverse_sort", "Reverse", id="sort.reverse", show=False,
                tooltip="Reverse the sort order"),
    ]

    class LibraryLoaded(Message):
        """The whole library, loaded in a thread (it replaces the first screen's preview)."""

        def __init__(self, state: LibraryState) -> None:
            super().__init__()
            self.state = state

    class IndexBuilt(Message):
        """The search index for ``state``, built in a thread."""

        def __init__(self, state: LibraryState, index) -> None:
            super().__init__()
            self.state = state
            self.index = index

    class SearchFinished(Message):
        def __init__(self, query: str, ids: list[str] | None, error: str | None) -> None:
            super().__init__()
            self.query = query
            self.ids = ids
            self.error = error

    def __init__(self, store, settings: Settings | None = None) -> None:
        super().__init__(id="main")
        self.store = store
        self.settings = settings or Settings()
        self.filters = Filters(sort=self.settings.sort)
        # Large libraries: the first screen now, the rest from a thread (see LARGE).
        head = store.head(HEAD_ROWS) if self.filters.sort == "date" else None
        if head is not None and head.total > LARGE:
            self.state = LibraryState.preview(store, head)
        else:
            self.state = LibraryState(store, index=False)
            if len(self.state.papers) <= LARGE:
                self.state.adopt_index(self.state.build_index())
        self.undo_stack: list[tuple[str, object, list[str], str]] = []
        self._available: tuple[bool, bool] | None = None  # see paper_changed
        self.query_error: str | None = None
        self.citation_style: str = self.settings.citation_style
        self.presets = {p.key: p for p in self.settings.presets}
        for preset in self.settings.presets:
            # The name is shown (help, notices) and comes from settings.toml as written.
            self._bindings.bind(preset.key, f"preset('{preset.key}')", clean_line(preset.name),
                                show=False)

    # -- layout -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="topbar"):
            yield Static(id="views", markup=False)
            yield Static(id="summary", markup=False)
        with Horizontal(id="body"):
            with ContentSwitcher(id="left", initial="authors"):
                yield AuthorList(id="authors")
                yield TagList(id="tags")
            with Container(id="right"):
                with Vertical(id="papers-pane"):
                    yield SearchInput(placeholder="/ search: words, tag:x status:unread "
                                      "author:name cat:LG year:>=2024 code:yes", id="search")
                    yield PaperList(id="papers")
                yield DetailPane(id="detail")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._fill_side_panes()
        self.apply_filters()
        self.set_focus(self.query_one(PaperList))
        self.set_interval(1.0, self.poll_store, name="poll-store")
        # After the first screen is painted: the threads compete with it for the GIL.
        if self.state.loading:
            self.call_after_refresh(self.load_library)
        elif self.state.index is None:
            self.call_after_refresh(self.build_index, self.state)

    # -- a large library: loaded and indexed in threads -------------------------------------

    @property
    def loading(self) -> bool:
        return self.state.loading

    def load_library(self) -> None:
        """Load the whole library, then build its index, in a thread that posts
        each when done. Nothing else touches the store meanwhile (see
        check_action, poll_store). A daemon thread, not a Textual worker:
        quitting while it runs must not wait for it (nothing is unsaved)."""

        def load() -> None:
            pause()
            with _yielding_gil():
                state = LibraryState(self.store, index=False)
                self.post_message(self.LibraryLoaded(state))
                self.post_message(self.IndexBuilt(state, self._index_of(state)))

        user_active()  # let the first screen finish painting before the thread starts work
        threading.Thread(target=load, name="readinglist-load", daemon=True).start()

    def build_index(self, state: LibraryState) -> None:
        """Build ``state``'s search index in a thread; IndexBuilt when done."""

        def build() -> None:
            pause()
            with _yielding_gil():
                self.post_message(self.IndexBuilt(state, self._index_of(state)))

        user_active()
        threading.Thread(target=build, name="readinglist-index", daemon=True).start()

    def _index_of(self, state: LibraryState):
        """(In a thread.) The index from its saved file; if there is none that
        is current, one built by a separate process (which leaves the GIL to
        the app), then read; built here only if that process failed."""
        from readinglist import index_cache

        path = self.store.path
        saved = index_cache.load(path)
        if saved is None and len(state.papers) > index_cache.WORTH_SAVING:
            try:
                index_cache.build_in_background(path).wait()
            except OSError:
                pass
            saved = index_cache.load(path)
        return state.build_index(saved)

    @on(LibraryLoaded)
    def _library_loaded(self, event: LibraryLoaded) -> None:
        keep = self.current_id
        self.state = event.state
        self._fill_side_panes()
        self.apply_filters(keep=keep)
        self.refresh_bindings()

    @on(IndexBuilt)
    def _index_built(self, event: IndexBuilt) -> None:
        if event.state is not self.state:
            return  # the library was reloaded meanwhile: its own index is on its way
        self.state.adopt_index(event.index)
        if self.filters.query.strip():
            self.apply_filters(keep=self.current_id)  # the search typed while indexing
        else:
            self._show_bars()

    def on_resize(self) -> None:
        self.set_class(self.size.width < NARROW, "-narrow")

    # -- widgets from state ---------------------------------------------------------------

    @property
    def papers(self) -> PaperList:
        return self.query_one(PaperList)

    @property
    def current_id(self) -> str | None:
        return self.papers.current_id

    def _author_entries(self) -> list[AuthorEntry]:
        state = self.state
        entries = [AuthorEntry(a.id, a.name, len(a.paper_ids), state.read_count(a))
                   for a in state.authors.values()]
        entries.sort(key=lambda e: (-e[2], e[1].casefold()))
        return entries

    def _fill_side_panes(self) -> None:
        self.query_one(AuthorList).set_authors(self._author_entries())
        self.query_one(TagList).set_tags(self.state.tag_counts())
        self._show_profile(self.filters.author)

    def apply_filters(self, *, keep: str | None = None, select_first: bool = False) -> None:
        """Recompute the shown papers now (after a change, a view or filter switch)."""
        try:
            ids = self.state.rows_for(self.filters)
            self.query_error = None
        except QueryError as exc:
            self.query_error = str(exc)
            ids = self.papers.paper_ids if self.papers.paper_ids else []
        except IndexNotReady:
            self.query_error = None
            ids = self.papers.paper_ids if self.papers.paper_ids else []
        self._show_rows(ids, keep=keep, select_first=select_first)

    def _show_rows(self, ids: list[str], *, keep: str | None = None,
                   select_first: bool = False) -> None:
        papers = self.papers
        papers.sort_key = self.filters.sort if self.filters.view != "queue" else "queue"
        papers.reverse = self.filters.reverse
        papers.empty_message = {
            "queue": "The queue is empty: press a on a paper to add it.",
        }.get(self.filters.view, "No papers match." if self.filters.query else "No papers.")
        papers.set_rows(ids, self.state.row, keep=keep, select_first=select_first)
        self._show_detail(papers.current_id)
        self._show_bars()

    def _show_bars(self) -> None:
        parts: list[Content | str | tuple[str, str]] = []
        for number, (view, label) in enumerate(VIEW_LABELS.items(), start=1):
            active = "bold reverse" if self.app.native_ansi_color else "bold reverse $accent"
            style = active if view == self.filters.view else "$text-muted"
            parts += [(f" {number} {label} ", style), " "]
        self.query_one("#views", Static).update(Content.assemble(*parts))
        f = self.filters
        shown = len(self.papers.paper_ids)
        state = self.state
        total = state.total if state.loading and state.total is not None else len(state.papers)
        bits = [f"{shown} of {total} papers"]
        if state.loading:
            bits.append("loading…")
        elif state.index is None:
            bits.append("indexing for search…" if not f.query.strip() else "search starts when indexed…")
        if f.author and f.author in self.state.authors:
            bits.append(f"by {clean_line(self.state.authors[f.author].name)}")
        if f.view == "tags" and f.tag:
            bits.append(f"#{clean_line(f.tag)}")
        if f.view == "queue":
            bits.append("queue order")
        elif f.query.strip() and not self.query_error:
            bits.append("best match first")
        else:
            bits.append(f"by {f.sort}{' ↑' if f.reverse else ''}")
        summary: list[Content | str | tuple[str, str]] = [" · ".join(bits)]
        if self.query_error:
            summary += ["  ", (f"⚠ {self.query_error}", "$warning")]
        self.query_one("#summary", Static).update(Content.assemble(*summary))

    def _show_detail(self, paper_id: str | None) -> None:
        detail = self.query_one(DetailPane)
        if paper_id is None or paper_id not in self.state.papers:
            detail.show(None)
            return
        paper = self.state.papers[paper_id]
        detail.show(paper, user=self.state.user_of(paper_id),
                    people=self.state.paper_authors(paper), authors=self.state.authors,
                    queue_position=self.state.positions.get(paper_id),
                    queued_at=self.state.queued_since.get(paper_id))

    def _show_profile(self, author_id: str | None) -> None:
        authors = self.query_one(AuthorList)
        state = self.state
        if author_id is None or author_id not in state.authors:
            authors.set_profile(Content.assemble(
                ("Everyone", "bold"),
                "\nloading…" if state.loading
                else f"\n{len(state.authors)} people · {len(state.papers)} papers"))
            return
        author = state.authors[author_id]
        parts: list[Content | str | tuple[str, str]] = [(clean_line(author.name), "bold")]
        read = state.read_count(author)
        parts.append(f"\n{len(author.paper_ids)} papers here · {read} read")
        profile = author.profile
        if profile:
            stats = [("h-index", profile.h_index), ("citations", profile.citations),
                     ("papers", profile.papers), ("novelty", f"{profile.novelty}%"
                                                  if profile.novelty is not None else None),
                     ("AI score", profile.ai_score), ("field", profile.category)]
            shown = [f"{label} {value}" for label, value in stats if value is not None]
            if shown:
                parts += ["\n", (" · ".join(clean_line(str(s)) for s in shown), "$text-accent")]
        if author.aliases:
            parts += ["\n", ("also ", "$text-muted"), ", ".join(clean_line(a) for a in author.aliases)]
        coauthors = state.coauthors(author_id, limit=6)
        if coauthors:
            parts += ["\n", ("with ", "$text-muted"),
                      ", ".join(f"{clean_line(name)} ({n})" for name, n in coauthors)]
        authors.set_profile(Content.assemble(*parts))

    # -- messages up ----------------------------------------------------------------------

    @on(PaperList.PaperHighlighted)
    def _paper_highlighted(self, event: PaperList.PaperHighlighted) -> None:
        self._show_detail(event.paper_id)

    @on(PaperList.PaperSelected)
    def _paper_selected(self, event: PaperList.PaperSelected) -> None:
        self.set_focus(self.query_one(DetailPane))

    @on(AuthorList.AuthorHighlighted)
    def _author_highlighted(self, event: AuthorList.AuthorHighlighted) -> None:
        self._show_profile(event.author_id or self.filters.author)

    @on(AuthorList.AuthorSelected)
    def _author_selected(self, event: AuthorList.AuthorSelected) -> None:
        self.filters.author = event.author_id
        self._show_profile(event.author_id)
        self.apply_filters(select_first=True)

    @on(DetailPane.AuthorChosen)
    def _author_jump(self, event: DetailPane.AuthorChosen) -> None:
        keep = self.current_id
        if self.filters.view == "tags":
            self._set_view("library")
        self.query_one(AuthorList).choose(event.author_id)
        self.filters.author = event.author_id
        self.apply_filters(keep=keep)
        self.set_focus(self.papers)

    @on(TagList.TagSelected)
    def _tag_selected(self, event: TagList.TagSelected) -> None:
        self.filters.tag = event.tag
        self.query_one(TagList).set_tags(self.state.tag_counts())
        self.apply_filters(select_first=True)
        self.set_focus(self.papers)

    # -- search -----------------------------------------------------------------------------

    def action_search(self) -> None:
        # set_focus now, not Widget.focus() (deferred a turn): characters typed right
        # after "/" must land in the box, not in the list.
        self.set_focus(self.query_one(SearchInput))

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.filters.query = event.value
        self.run_search(replace(self.filters))

    @work(exclusive=True, thread=True, group="search")
    def run_search(self, filters: Filters) -> None:
        """Search off the event loop; a newer keystroke cancels this one."""
        try:
            ids, error = self.state.rows_for(filters), None
        except QueryError as exc:
            ids, error = None, str(exc)
        except IndexNotReady:
            ids, error = None, None  # shown as "search starts when indexed"; rerun then
        if not get_current_worker().is_cancelled:
            self.post_message(self.SearchFinished(filters.query, ids, error))

    @on(SearchFinished)
    def _search_finished(self, event: SearchFinished) -> None:
        if event.query != self.filters.query:
            return  # stale: a newer search is on its way
        self.query_error = event.error
        if event.ids is None:
            self._show_bars()
            return
        self._show_rows(event.ids, select_first=bool(event.query.strip()))

    def action_submit_search(self) -> None:
        self.filters.query = self.query_one(SearchInput).value
        self.apply_filters(select_first=True)
        self.set_focus(self.papers)

    def action_clear_search(self) -> None:
        self.query_one(SearchInput).value = ""
        self.filters.query = ""
        self.query_error = None
        self.apply_filters()
        self.set_focus(self.papers)

    # -- views and sorting ------------------------------------------------------------------

    def _set_view(self, view: str) -> None:
        self.filters.view = view
        self.query_one(ContentSwitcher).current = "tags" if view == "tags" else "authors"
        if view == "tags":
            self.query_one(TagList).set_tags(self.state.tag_counts())

    def action_view(self, view: str) -> None:
        self._set_view(view)
        self.apply_filters(select_first=view == "queue")
        if view == "tags":
            self.set_focus(self.query_one(TagList))
        else:
            self.set_focus(self.papers)

    def action_stats(self) -> None:
        from datetime import datetime, timezone

        from readinglist.stats import compute
        from readinglist.tui.screens.stats import StatsScreen

        state = self.state
        self.app.push_screen(StatsScreen(compute(
            state.papers.values(), state.authors, state.user, state.queue,
            datetime.now(timezone.utc), state.queued_since)))

    def action_preset(self, key: str) -> None:
        """A preset view (digit keys 4-9): the library filtered by a saved query."""
        preset = self.presets.get(key)
        if preset is None:
            return
        self._set_view("library")
        self.query_one(SearchInput).value = preset.query  # runs the search as typed
        self.filters.query = preset.query
        self.apply_filters(select_first=True)
        self.set_focus(self.papers)
        self.notify(clean_line(f"{preset.name}: {preset.query}"), timeout=2, markup=False)

    def action_cycle_sort(self) -> None:
        self.filters.sort = SORTS[(SORTS.index(self.filters.sort) + 1) % len(SORTS)]
        self.apply_filters()
        self.notify(f"Sorted by {self.filters.sort}", timeout=1.5)

    def action_reverse_sort(self) -> None:
        self.filters.reverse = not self.filters.reverse
        self.apply_filters()

    # -- which keys apply -----------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        in_search = isinstance(self.focused, SearchInput)
        if action in ("submit_search", "clear_search"):
            return in_search
        if action == "search":
            return not isinstance(self.focused, (Input, TextArea))
        if self.loading and action in PAPER_ACTIONS | {"stats", "undo"}:
            return None  # the store is busy loading in a thread; a second or two
        if action in PAPER_ACTIONS:
            if isinstance(self.focused, (Input, TextArea)):
                return False
            if self.current_id is None:
                return None  # shown, greyed out
            if action == "queue_shift" and self.current_id not in self.state.positions:
                return None
        if action == "undo" and not self.undo_stack:
            return None
        return True

    # -- changes: store first, then the screen -------------------------------------------

    def _change(self, paper_id: str, label: str, write) -> bool:
        before = (paper_id, self.store.user(paper_id), self.store.queue(), label)
        try:
            write()
        except StoreError as exc:
            self.notify(str(exc), title="Not saved", severity="error", markup=False)
            return False
        self.undo_stack.append(before)
        self.paper_changed(paper_id)
        return True

    def paper_changed(self, paper_id: str) -> None:
        """Refresh everything that shows ``paper_id`` from the store's answer."""
        status = self.state.user_of(paper_id).status
        self.state.paper_changed(paper_id)
        self.apply_filters(keep=paper_id)
        if self.state.user_of(paper_id).status != status:
            self._fill_side_panes()  # read counts per person
        else:
            self.query_one(TagList).set_tags(self.state.tag_counts())
            self._show_profile(self.filters.author)
        # Rebuilding the footer costs ~40 ms: only when a key's availability changed.
        available = (bool(self.undo_stack), self.current_id in self.state.positions)
        if available != self._available:
            self._available = available
            self.refresh_bindings()

    def action_cycle_status(self) -> None:
        paper_id = self.current_id
        if paper_id is None:
            return
        status = self.state.user_of(paper_id).status
        new = STATUSES[(STATUSES.index(status) + 1) % len(STATUSES)] if status in STATUSES \
            else STATUSES[0]
        queued = paper_id in self.state.positions
        if self._change(paper_id, f"status {new}", lambda: self.store.set_status(paper_id, new)):
            left = queued and paper_id not in self.state.positions
            extra = " (left the queue)" if left else ""
            self.notify(f"Marked {new}{extra}", timeout=2)

    def action_toggle_queue(self) -> None:
        paper_id = self.current_id
        if paper_id is None:
            return
        if paper_id in self.state.positions:
            if self._change(paper_id, "queue remove", lambda: self.store.queue_remove(paper_id)):
                self.notify("Removed from the queue", timeout=2)
        elif self._change(paper_id, "queue add", lambda: self.store.queue_add(paper_id)):
            self.notify(f"Queued at #{self.state.positions.get(paper_id)}", timeout=2)

    def action_queue_shift(self, delta: int) -> None:
        paper_id = self.current_id
        if paper_id is None:
            return
        if paper_id not in self.state.positions:
            self.notify("Not in the queue: press a to add it", severity="warning", timeout=2)
            return
        self._change(paper_id, "queue move", lambda: self.store.queue_shift(paper_id, delta))

    def action_edit_tags(self) -> None:
        paper_id = self.current_id
        if paper_id is None:
            return
        from readinglist.tui.screens.tag_prompt import TagPrompt

        current = list(self.state.user_of(paper_id).tags)
        known = [tag for tag, _ in self.state.tag_counts()]

        def done(tags: list[str] | None) -> None:
            if tags is None or tags == current:
                return
            if self._change(paper_id, "tags", lambda: self.store.set_tags(paper_id, tags)):
                saved = self.state.user_of(paper_id).tags
                self.notify("Tags: " + (", ".join(saved) if saved else "none"), timeout=2,
                            markup=False)

        self.app.push_screen(TagPrompt(self.state.papers[paper_id].title, current, known), done)

    def action_edit_note(self) -> None:
        paper_id = self.current_id
        if paper_id is None:
            return
        from readinglist.tui.screens.note_editor import NoteEditor

        first_save = True

        def save(text: str) -> bool:
            nonlocal first_save
            before = (paper_id, self.store.user(paper_id), self.store.queue(), "note")
            try:
                self.store.set_note(paper_id, text)
            except StoreError as exc:
                self.notify(str(exc), title="Note not saved", severity="error", markup=False)
                return False
            if first_save:
                self.undo_stack.append(before)
                first_save = False
            if self.is_attached:
                self.paper_changed(paper_id)
            return True

        note = self.state.user_of(paper_id).note
        self.app.push_screen(NoteEditor(self.state.papers[paper_id].title, note, save))

    def action_undo(self) -> None:
        if not self.undo_stack:
            self.notify("Nothing to undo", timeout=2)
            return
        paper_id, user, queue, label = self.undo_stack.pop()
        try:
            self.store.restore(paper_id, user, queue)
        except StoreError as exc:
            self.undo_stack.append((paper_id, user, queue, label))
            self.notify(str(exc), title="Undo failed", severity="error", markup=False)
            return
        self.paper_changed(paper_id)
        self.papers.move_to(paper_id)
        self.notify(f"Undid {label}", timeout=2)

    # -- citations ----------------------------------------------------------------------------

    def _cite(self, paper_id: str, style: str) -> str:
        from readinglist.citations import cite

        paper = self.state.papers[paper_id]
        return cite(paper, self.state.authors, style, key=self.state.citation_key(paper_id),
                    tags=self.state.user_of(paper_id).tags)

    def copy_text(self, text: str, what: str) -> None:
        from readinglist.clipboard import copy

        self.app.keep_clipboard(text)
        try:
            result = copy(text, osc52=self.app.copy_to_clipboard)
        except Exception as exc:  # the chain should not raise; if it does, say so
            self.notify(f"Not copied: {exc}", severity="error", markup=False)
            return
        self.notify(result.message, title=what, severity="information" if result.ok else "error",
                    markup=False)

    def action_copy_citation(self) -> None:
        from readinglist.citations import STYLES

        paper_id = self.current_id
        if paper_id is None:
            return
        style = self.citation_style
        self.copy_text(self._cite(paper_id, style), f"{STYLES.get(style, style)} citation")

    def action_copy_citation_as(self) -> None:
        from readinglist.citations import STYLES
        from readinglist.tui.screens.style_picker import StylePicker

        paper_id = self.current_id
        if paper_id is None:
            return

        def done(style: str | None) -> None:
            if style is not None:
                self.copy_text(self._cite(paper_id, style), f"{STYLES.get(style, style)} citation")

        self.app.push_screen(StylePicker(STYLES, lambda style: self._cite(paper_id, style),
                                         current=self.citation_style), done)

    # -- other processes ------------------------------------------------------------------------

    def poll_store(self) -> None:
        """Pick up changes made elsewhere (the CLI in another terminal)."""
        if self.loading:
            return  # the loading thread reads the store now; it will see the change
        try:
            changed = self.store.refresh()
        except StoreError as exc:
            self.notify(str(exc), title="Library", severity="error", markup=False)
            return
        if changed:
            self.reload()

    def reload(self) -> None:
        keep = self.current_id
        large = len(self.state.papers) > LARGE
        self.state = LibraryState(self.store, index=not large)
        if large:
            self.build_index(self.state)
        if self.filters.author and self.filters.author not in self.state.authors:
            self.filters.author = None
        self._fill_side_panes()
        self.apply_filters(keep=keep)
        self.refresh_bindings()
