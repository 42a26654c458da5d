"""Qt widgets over the core: a thin layer that shows the session and turns taps into calls."""
