"""monitor: a third-party breach news monitor."""

__version__ = "0.1.0"
