"""Storage: the persistent, memory-mapped index on disk (format, builder, store, opener)."""
