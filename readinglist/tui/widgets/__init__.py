"""The main screen's widgets: author list, paper list (Line API), detail pane."""
