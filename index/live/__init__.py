"""Live: an index that reloads while it serves (atomic swap) and the folder watcher."""
