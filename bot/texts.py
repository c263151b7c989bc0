"""Everything the Discord bot says in its own words (answers themselves are only quotes).

Kept in one place so the wording stays consistent and each failure maps to one helpful line.
"""

from __future__ import annotations

ERROR = "Something went wrong while answering that. Please try again in a moment."
NOT_YOURS = (
    "These buttons belong to the person who asked. Ask your own question with `/ask` "
    "or by mentioning me."
)
NO_MORE = "That was every quote the articles have for this question."
NO_CONTEXT = "That answer has no quote to show context for."


def too_long(length: int, limit: int) -> str:
    return (
        f"That question is {length:,} characters long; please keep it under {limit:,} "
        "characters and ask about one thing at a time."
    )


def cooldown(retry_after: float) -> str:
    seconds = max(1, round(retry_after + 0.49))
    return f"You're asking quickly. Please wait {seconds} s before your next question."


RELOAD_REFUSED = (
    "Only the bot's owner and the admins it names can reload the articles, and only in a "
    "server. Ask whoever runs the bot if the articles look out of date."
)
RELOAD_UNEXPECTED = "an unexpected error (the details are in the bot's log)"


def reload_cooldown(retry_after: float) -> str:
    seconds = max(1, round(retry_after + 0.49))
    return f"The articles were reloaded moments ago; you can reload again in {seconds} s."


def reload_failed(reason: str) -> str:
    return (
        f"The reload failed: {reason}\nI'm still answering from the articles I had before. "
        "Fix the articles folder and run `/reload` again."
    )
