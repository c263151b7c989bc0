"""``python -m benchmarks servers``: what one bot process holds with many servers (prints figures).

Two measurements on generated per-server corpora (``benchmarks.summary.write_corpus``, N articles
of ~40 sentences each per server):

* memory per loaded corpus: resident memory (``/proc/self/statm``) before and after opening M
  servers' folders exactly as the bot does (``bot.corpora.live_loader``: persistent index,
  summaries prepared, one shared analyzer), from their persistent indexes (the steady state);
* questions per second: the real bot, in this process, against the local Discord stand-in with S
  servers each served from its own folder; Q mentions spread over the servers are sent at once
  and the time until every reply is measured (cooldown off).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import multiprocessing
import os
import random
import tempfile
import time
from pathlib import Path

from benchmarks.summary import write_corpus


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--servers", type=int, default=100, help="servers with their own folder")
    parser.add_argument("--articles", type=int, default=20, help="articles per server")
    parser.add_argument("--questions", type=int, default=1000, help="questions to answer")
    parser.add_argument("--memory-servers", type=int, default=32, help="corpora loaded at once")


def rss_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def make_guilds(root: Path, guild_ids: list[str], articles: int) -> list[list[str]]:
    """One folder per server; each server's questions: phrases from its own sentences."""
    questions = []
    for number, guild_id in enumerate(guild_ids):
        folder = root / guild_id
        folder.mkdir(parents=True)
        write_corpus(folder, articles, random.Random(number))
        text = (folder / "a0000.txt").read_text(encoding="utf-8").split()
        questions.append([" ".join(text[i : i + 4]) + "?" for i in range(5, 400, 37)])
    return questions


def memory_per_corpus(
    root: Path, count: int, questions: list[list[str]]
) -> tuple[float, float, float]:
    """MB per loaded corpus (resident once each has answered its questions: the index is
    memory-mapped, so pages count once read), seconds per load, MB on disk per index."""
    from bot.corpora import live_loader
    from bot.settings import Settings
    from index import Analyzer, answer_question

    folders = sorted(p for p in root.iterdir() if p.name.isdigit())
    load = live_loader(Analyzer())
    policy = Settings(_env_file=None).answer_policy()  # type: ignore[call-arg]
    # One corpus first, answering its questions: what every process pays once (the lexicon
    # tables, the analyzer's caches, imports) is not a loaded corpus's cost.
    warm = load(folders[-1])
    for question in questions[-1]:
        answer_question(warm.current, question, policy)
    folders = folders[:count]
    gc.collect()
    before = rss_mb()
    started = time.perf_counter()
    loaded = [load(folder) for folder in folders]
    seconds = (time.perf_counter() - started) / count
    for live, asked in zip(loaded, questions, strict=False):
        for question in asked:
            answer_question(live.current, question, policy)
    gc.collect()
    after = rss_mb()
    for live in [*loaded, warm]:
        live.close()
    index_root = root / ".verbatim-index"
    disk = sum(p.stat().st_size for p in index_root.rglob("*") if p.is_file()) / 2**20
    return (after - before) / count, seconds, disk / len(list(index_root.iterdir()))


async def questions_per_second(
    root: Path, guild_ids: list[str], questions: list[list[str]], total: int
) -> tuple[float, float]:
    """Questions per second over ``total`` questions, after one warm-up question per server;
    and the resident memory (MB) of the process serving them."""
    from bot.discord.endpoints import discord_endpoints
    from index import LiveIndex
    from tests.conftest import SEEDS, TOKEN
    from tests.support.bot_runner import mention, running_bot
    from tests.support.discord_standin import DiscordStandIn

    standin = DiscordStandIn(TOKEN)
    for guild_id in guild_ids[1:]:
        standin.add_guild(guild_id=guild_id)
    channels = {g: next(iter(standin.guild_channels[g])) for g in standin.guild_names}
    await standin.start()
    live = LiveIndex(SEEDS)
    try:
        with discord_endpoints(standin.api_url, standin.gateway_url):
            async with running_bot(
                standin,
                live,
                guilds_dir=root,
                cooldown_questions=0,
                max_loaded_corpora=len(guild_ids),
            ):
                order = list(standin.guild_names)

                async def ask_all(count: int) -> float:
                    before = len(standin.requests_matching("POST", r"/channels/\d+/messages"))
                    started = time.perf_counter()
                    for number in range(count):
                        guild = order[number % len(order)]
                        asked = questions[number % len(order)]
                        text = asked[(number // len(order)) % len(asked)]
                        message = mention(standin, text, channel_id=channels[guild])
                        await standin.dispatch("MESSAGE_CREATE", message)
                    await standin.wait_for_request(
                        "POST", r"/channels/\d+/messages", before + count, timeout=600
                    )
                    return time.perf_counter() - started

                await ask_all(len(order))  # loads every server's index
                seconds = await ask_all(total)
                memory = rss_mb()
    finally:
        await standin.stop()
        live.close()
    return total / seconds, memory


def build_indexes(root: Path) -> None:
    """Every server's persistent index, built once (the bot then opens them as they are)."""
    from bot.corpora import live_loader
    from index import Analyzer

    load = live_loader(Analyzer())
    for folder in sorted(p for p in root.iterdir() if p.name.isdigit()):
        load(folder).close()


def main_servers(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="verbatim-servers-") as tmp:
        root = Path(tmp) / "guilds"
        # Server ids as Discord makes them: the stand-in's own guild first, then made-up ones.
        from tests.conftest import TOKEN
        from tests.support.discord_standin import DiscordStandIn

        first = DiscordStandIn(TOKEN).guild_id
        ids = [first, *(str(int(first) + n) for n in range(1, args.servers))]
        questions = make_guilds(root, ids, args.articles)
        loaded = min(args.memory_servers, args.servers - 1)
        build_indexes(root)
        # Measured in a fresh interpreter: memory freed by the builds above would be reused by
        # the loads and hide what a loaded corpus really holds.
        with multiprocessing.get_context("spawn").Pool(1) as pool:
            per_corpus, load_seconds, disk = pool.apply(
                memory_per_corpus, (root, loaded, questions)
            )
        print(
            f"memory per loaded corpus ({args.articles} articles, {loaded} loaded, each having "
            f"answered its questions): {per_corpus:.1f} MB resident; index on disk {disk:.1f} MB; "
            f"open from its persistent index: {load_seconds * 1000:.0f} ms"
        )
        rate, memory = asyncio.run(questions_per_second(root, ids, questions, args.questions))
        print(
            f"{args.servers} servers, each its own folder, all loaded: {rate:.0f} questions/s "
            f"over {args.questions} questions; the process holds {memory:.0f} MB"
        )
    return 0
