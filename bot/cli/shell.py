"""Discord's slash commands, typed at the local prompt: ``verbatim shell`` (and ``make run``).

``/ask question:…``, ``/summary topic:… length:… article:…``, ``/topics``, ``/sources`` and
``/help`` are parsed as Discord would pass their options, answered by the core and rendered with
the same renderers as the bot (terminal serializer), so every command can be tried without
Discord. A line not starting with ``/`` is a question.

The prompt is one conversation, as a thread is in Discord: a question that names nothing to look
up on its own ("how old is he?", "and why?") is answered as a follow-up to the last question
that did, and says so ("Following up on: …"). A question that names its own subject is answered
as asked, and becomes the one later follow-ups refer to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from index import UsageError

if TYPE_CHECKING:
    from bot.settings import Settings
    from index import CorpusIndex

# Each command's options; the first one also takes text typed without "name:".
OPTIONS: dict[str, tuple[str, ...]] = {
    "ask": ("question",),
    "summary": ("topic", "length", "article", "since"),
    "topics": (),
    "sources": (),
    "help": (),
}
HELP = """\
Commands (as in Discord):
  /ask question:TEXT                          answer a question with quoted sentences
  /summary [topic:X] [length:3-6] [article:T] the gist, or what the articles say about X
           [since:7d|2024-03-01]              only articles published since then
  /topics                                     the main topics and how often they come up
  /sources                                    the articles I can quote
  /help                                       this list
A line without a leading / is a question."""


@dataclass(slots=True)
class Conversation:
    """What the prompt remembers between lines: the last question that named its subject."""

    earlier: str | None = None


@dataclass(frozen=True, slots=True)
class SlashCommand:
    name: str
    options: dict[str, str] = field(default_factory=dict)


def parse_line(line: str) -> SlashCommand:
    """Read one prompt line as Discord would: a slash command with ``name:value`` options."""
    line = line.strip()
    if not line.startswith("/"):
        return SlashCommand("ask", {"question": line})
    name, _, rest = line[1:].partition(" ")
    name = name.casefold()
    if name not in OPTIONS:
        known = ", ".join(f"/{command}" for command in OPTIONS)
        raise UsageError(f"Unknown command /{name}. Commands: {known}.")
    return SlashCommand(name, _options(name, rest.strip()))


def _options(name: str, rest: str) -> dict[str, str]:
    names = OPTIONS[name]
    if not names:
        if rest:
            raise UsageError(f"/{name} takes no options.")
        return {}
    pattern = re.compile(r"(?:^|\s)(" + "|".join(names) + r"):", re.IGNORECASE)
    matches = list(pattern.finditer(rest))
    options: dict[str, str] = {}
    lead = rest[: matches[0].start()] if matches else rest
    if lead.strip():
        options[names[0]] = lead.strip()
    ends = [following.start() for following in matches[1:]] + [len(rest)] if matches else []
    for match, end in zip(matches, ends, strict=True):
        options[match.group(1).casefold()] = rest[match.end() : end].strip()
    return options


def respond(
    line: str,
    index: CorpusIndex,
    settings: Settings,
    ansi: bool = False,
    conversation: Conversation | None = None,
) -> str:
    """The text the bot would post for ``line``, rendered for a terminal (``conversation``: the
    prompt's, for follow-ups; ``None`` answers every line on its own)."""
    try:
        command = parse_line(line)
        if command.name == "ask":
            question = command.options.get("question", "")
            return _ask(question, index, settings, ansi, conversation)
        if command.name == "summary":
            return _summary(command.options, index, settings, ansi)
        if command.name == "topics":
            return _topics(index)
        if command.name == "sources":
            return sources_text(index)
        return HELP
    except UsageError as exc:
        return f"{exc} Type /help for the list."


def _ask(
    question: str,
    index: CorpusIndex,
    settings: Settings,
    ansi: bool,
    conversation: Conversation | None = None,
) -> str:
    from bot import service
    from bot.render import render_answer, to_terminal
    from bot.render.terminal import one_line
    from bot.render.text import followed_question
    from index import AnswerStatus

    policy = service.policy(settings)
    answer = service.ask(index, question, policy)
    if conversation is None:
        return to_terminal(render_answer(answer), ansi=ansi)
    if answer.status is AnswerStatus.UNRECOGNIZED and conversation.earlier:
        earlier = conversation.earlier
        followed = service.ask(index, question, policy, earlier)
        if followed.status is not AnswerStatus.UNRECOGNIZED:
            header = f"Following up on: “{one_line(followed_question(earlier))}”\n"
            return header + to_terminal(render_answer(followed), ansi=ansi)
    if answer.status not in (AnswerStatus.UNRECOGNIZED, AnswerStatus.EMPTY_QUESTION):
        conversation.earlier = question
    return to_terminal(render_answer(answer), ansi=ansi)


def _summary(options: dict[str, str], index: CorpusIndex, settings: Settings, ansi: bool) -> str:
    from bot import service
    from bot.render import render_summary, to_terminal

    length = None
    if "length" in options:
        if not options["length"].isdigit():
            raise UsageError(service.SUMMARY_LENGTH.describe())
        length = int(options["length"])
    summary = service.summary(
        index, settings, options.get("topic"), options.get("article"), length, options.get("since")
    )
    return to_terminal(render_summary(summary), ansi=ansi)


def _topics(index: CorpusIndex) -> str:
    from bot import service
    from bot.render import render_topics, to_terminal

    return to_terminal(render_topics(service.topics(index), len(index.documents)))


def completions(line: str, index: CorpusIndex) -> list[str]:
    """Whole-line completions for the prompt, as Discord autocompletes: command names, then the
    ``topic:`` and ``article:`` values of ``/summary``."""
    from index import complete_topic, match_article_titles

    if not line.startswith("/"):
        return []
    if " " not in line:
        return [f"/{name} " for name in OPTIONS if f"/{name}".startswith(line.casefold())]
    option = re.search(r"(?:^|\s)(topic|article):([^:]*)$", line, re.IGNORECASE)
    if not line.casefold().startswith("/summary ") or option is None:
        return []
    head, typed = line[: option.start(2)], option.group(2)
    if option.group(1).casefold() == "topic":
        return [head + phrase for phrase in complete_topic(index, typed)]
    return [head + title for title in match_article_titles(index, typed)]


def install_completion(index: CorpusIndex) -> None:
    """Tab completion at the interactive prompt (readline must already be imported)."""
    import readline

    def complete(_text: str, state: int) -> str | None:
        choices = completions(readline.get_line_buffer(), index)
        return choices[state] if state < len(choices) else None

    readline.set_completer_delims("")
    readline.set_completer(complete)
    readline.parse_and_bind("tab: complete")


def sources_text(index: CorpusIndex) -> str:
    """What ``verbatim sources`` prints: each article with its URL, file and counts."""
    from bot import service
    from index import display_date

    return "\n".join(
        f"{source.title}\n   {source.url or '(no URL)'} · "
        f"{display_date(source.published) or '(no date)'} · {source.source or source.path} · "
        f"{source.paragraphs} paragraphs, {source.sentences} sentences"
        for source in service.sources(index)
    )
