"""Dateline: turn a news article into a map and a timeline."""

__version__ = "0.1.0"
