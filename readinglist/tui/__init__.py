"""The Textual app. Importing this package imports nothing heavy: the CLI opens the
app through ``readinglist.tui.app.make_app``, imported only when it is needed."""
