"""The timeline: the TIMEX3 grammar, extraction, anchoring, and the dated events of a story."""
