"""Storage: the SQLite database (items, sources, incidents, outbox), read-only queries, feedback, and file caches."""
