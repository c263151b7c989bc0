"""Sharding: each shard's socket gets only its servers, and a process answers only its shards."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

from bot.settings import Settings
from bot.store import Window, open_existing_store, report_of
from index.retrieval.corpus_index import CorpusIndex
from tests.bot.discord.test_process import TIMEOUT, environment, start
from tests.support.bot_runner import ask_over_gateway, mention, running_bot
from tests.support.discord_standin import DiscordStandIn, shard_of

MOSCOW = "Who was killed in Moscow?"


def two_shards(standin: DiscordStandIn) -> dict[int, tuple[str, str]]:
    """Shard id → (guild id, channel id): the stand-in's guild, and one on the other shard."""
    first = shard_of(standin.guild_id, 2)
    other_id = str(int(standin.guild_id) + (1 << 22))  # the next millisecond: the other shard
    other = standin.add_guild("other shard", guild_id=other_id)
    assert shard_of(other_id, 2) == 1 - first
    return {first: (standin.guild_id, standin.channel_id), 1 - first: other}


async def test_one_process_running_both_shards_gets_each_guild_on_its_shard(
    standin: DiscordStandIn, shipped_index: CorpusIndex
) -> None:
    guilds = two_shards(standin)
    async with running_bot(standin, shipped_index, shard_count=2) as bot:
        replies = [
            await ask_over_gateway(standin, mention(standin, MOSCOW, channel_id=channel))
            for _, channel in guilds.values()
        ]
        shard_ids = sorted(bot.shards)
    assert shard_ids == [0, 1] and standin.shards == {0: 2, 1: 2}
    for shard, (guild_id, _) in guilds.items():
        created = [
            data["id"] for event, data in standin.events_sent(shard) if event == "GUILD_CREATE"
        ]
        assert created == [guild_id]
    identify = [f.d["shard"] for f in standin.gateway_frames if f.op == 2]
    assert sorted(identify) == [[0, 2], [1, 2]]
    assert all("Kirillov" in reply.json["content"] for reply in replies)


async def test_two_processes_with_different_shard_ids_each_answer_only_their_servers(
    standin: DiscordStandIn, tmp_path: Path
) -> None:
    guilds = two_shards(standin)
    processes = {}
    for shard in (0, 1):
        env = environment(
            standin,
            VERBATIM_SHARD_COUNT="2",
            VERBATIM_SHARD_IDS=str(shard),
            VERBATIM_DATA_DIR=str(tmp_path / f"data-{shard}"),
        )
        processes[shard] = await start(["bot"], env, tmp_path)
    try:
        async with asyncio.timeout(TIMEOUT):
            while len(standin.shards) < 2 or len(standin.events_sent(0)) < 2:
                await asyncio.sleep(0.05)
            while len(standin.events_sent(1)) < 2:
                await asyncio.sleep(0.05)
        await asyncio.sleep(0.5)  # both processes handle their GUILD_CREATE
        for _, channel in guilds.values():
            reply = await ask_over_gateway(standin, mention(standin, MOSCOW, channel_id=channel))
            assert "Kirillov" in reply.json["content"]
    finally:
        for process in processes.values():
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
        codes = [await asyncio.wait_for(p.wait(), TIMEOUT) for p in processes.values()]
    assert codes == [0, 0]
    assert standin.shards == {0: 2, 1: 2}
    for shard in (0, 1):
        settings = Settings(_env_file=None, data_dir=tmp_path / f"data-{shard}")  # type: ignore[call-arg]
        store = open_existing_store(settings)
        assert store is not None
        try:
            asked = {
                name: report_of(store, Window(0.0, int(guild_id))).asked
                for name, (guild_id, _) in guilds.items()
            }
        finally:
            store.close()
        assert asked == {shard: 1, 1 - shard: 0}  # this process answered its shard's server only
