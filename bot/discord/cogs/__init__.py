"""The bot's features, one extension each, loaded by name in ``setup_hook``."""
