"""Screens: the main screen and the modal dialogs (help, note, tags, style)."""
