"""The local command line: ``verbatim`` (main), its interactive shell and summary commands."""
