"""The Discord adapter: the bot, its runner, and the cogs (extensions loaded by name)."""
