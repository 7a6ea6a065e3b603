"""Evaluation: precision and recall of matching and detection on labelled items (the set shipped in data/)."""
