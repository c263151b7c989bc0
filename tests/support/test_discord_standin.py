"""The stand-in drives the real discord.py client end to end over 127.0.0.1.

Each test pushes gateway events and asserts on the REST calls the client made, so a test fails
when the bot (or the stand-in) does not do what Discord would have seen.
"""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import discord
import pytest
from discord import app_commands
from discord.ext import commands

from tests.support.discord_standin import DiscordStandIn, run_client

TIMEOUT = 5.0


def make_bot() -> commands.Bot:
    """The smallest bot set up like Verbatim's: message content on, no waiting at start-up."""
    intents = discord.Intents.default()
    intents.message_content = True
    return commands.Bot(
        command_prefix="!",
        intents=intents,
        guild_ready_timeout=0.1,
        chunk_guilds_at_startup=False,
    )


def reply_pong_to_ping(bot: commands.Bot) -> asyncio.Future[discord.Message]:
    """Make ``bot`` answer "ping" with "pong"; the future gets the sent message once sent."""
    sent: asyncio.Future[discord.Message] = asyncio.get_running_loop().create_future()

    @bot.listen("on_message")
    async def pong(message: discord.Message) -> None:
        if not message.author.bot and message.content == "ping":
            reply = await message.channel.send("pong")
            if not sent.done():
                sent.set_result(reply)

    return sent


def channel_messages(channel_id: str) -> str:
    return rf"/channels/{channel_id}/messages"


async def test_client_logs_in_and_becomes_ready(standin: DiscordStandIn) -> None:
    bot = make_bot()
    async with run_client(bot, standin.token):
        assert bot.user is not None
        assert str(bot.user.id) == standin.bot_user["id"]
        assert str(bot.application_id) == standin.application_id
        guild = bot.get_guild(int(standin.guild_id))
        assert guild is not None
        assert guild.me is not None
        channel = guild.get_channel(int(standin.channel_id))
        assert isinstance(channel, discord.TextChannel)
        assert channel.name == "general"
        assert guild.default_role.id == guild.id

    login = standin.requests_matching("GET", "/users/@me")
    assert [r.headers["Authorization"] for r in login] == [f"Bot {standin.token}"]
    identify = [frame.d for frame in standin.gateway_frames if frame.op == 2]
    assert [d["token"] for d in identify] == [standin.token]
    assert standin.unhandled_requests == []


async def test_wrong_token_is_refused(standin: DiscordStandIn) -> None:
    with pytest.raises(discord.LoginFailure):
        async with run_client(make_bot(), "not-the-token"):
            pass
    assert [r.status for r in standin.requests_matching("GET", "/users/@me")] == [401]


async def test_guild_message_gets_a_reply(standin: DiscordStandIn) -> None:
    bot = make_bot()

    @bot.listen("on_message")
    async def answer(message: discord.Message) -> None:
        if not message.author.bot and message.content == "ping":
            await message.reply("pong")

    async with run_client(bot, standin.token):
        question = standin.message_create_payload("ping")
        await standin.dispatch("MESSAGE_CREATE", question)
        sent = await standin.wait_for_request(
            "POST", channel_messages(standin.channel_id), timeout=TIMEOUT
        )

    assert sent.ok
    assert sent.json["content"] == "pong"
    assert str(sent.json["message_reference"]["message_id"]) == question["id"]
    assert sent.headers["authorization"] == f"Bot {standin.token}"


async def test_dm_message_is_answered_in_the_dm(standin: DiscordStandIn) -> None:
    bot = make_bot()
    seen: asyncio.Future[discord.Message] = asyncio.get_running_loop().create_future()

    @bot.listen("on_message")
    async def answer(message: discord.Message) -> None:
        if message.author.bot:
            return
        seen.set_result(message)
        await message.channel.send("in the DM")
        await message.author.send("via user.send")  # opens the DM through POST /users/@me/channels

    dm_channel = standin.dm_channel_payload()
    async with run_client(bot, standin.token):
        await standin.dispatch(
            "MESSAGE_CREATE", standin.message_create_payload("hello", guild=False)
        )
        await standin.wait_for_request(
            "POST", channel_messages(dm_channel["id"]), count=2, timeout=TIMEOUT
        )
        message = await asyncio.wait_for(seen, TIMEOUT)

    assert message.guild is None
    assert isinstance(message.channel, discord.DMChannel)
    assert str(message.channel.id) == dm_channel["id"]
    replies = standin.requests_matching("POST", channel_messages(dm_channel["id"]))
    assert [r.json["content"] for r in replies] == ["in the DM", "via user.send"]
    opened = standin.requests_matching("POST", "/users/@me/channels")
    assert [str(r.json["recipient_id"]) for r in opened] == [standin.user["id"]]


async def test_slash_command_is_answered_through_the_callback(standin: DiscordStandIn) -> None:
    bot = make_bot()
    guild = discord.Object(id=int(standin.guild_id))
    answered: asyncio.Future[discord.InteractionCallbackResponse[Any]] = (
        asyncio.get_running_loop().create_future()
    )

    @app_commands.command(name="ask", description="Ask a question")
    async def ask(interaction: discord.Interaction, question: str) -> None:
        result = await interaction.response.send_message(f"You asked: {question}", ephemeral=True)
        answered.set_result(result)

    bot.tree.add_command(ask, guild=guild)

    async def sync_to_guild() -> None:
        await bot.tree.sync(guild=guild)

    bot.setup_hook = sync_to_guild  # type: ignore[method-assign]

    async with run_client(bot, standin.token):
        interaction = standin.interaction_payload("ask", {"question": "why?"})
        await standin.dispatch("INTERACTION_CREATE", interaction)
        callback_path = rf"/interactions/{interaction['id']}/{interaction['token']}/callback"
        callback = await standin.wait_for_request("POST", callback_path, timeout=TIMEOUT)
        result = await asyncio.wait_for(answered, TIMEOUT)

    synced = standin.requests_matching(
        "PUT", rf"/applications/\d+/guilds/{standin.guild_id}/commands"
    )
    assert [[c["name"] for c in r.json] for r in synced] == [["ask"]]
    assert interaction["data"]["guild_id"] == standin.guild_id
    assert interaction["data"]["id"] == standin.guild_commands[standin.guild_id][0]["id"]
    assert callback.query == {"with_response": "1"}
    assert "Authorization" not in callback.headers
    assert callback.json["type"] == 4
    assert callback.json["data"]["content"] == "You asked: why?"
    assert callback.json["data"]["flags"] & 64
    assert str(result.message_id) == callback.response["resource"]["message"]["id"]


async def test_slash_command_in_a_dm(standin: DiscordStandIn) -> None:
    bot = make_bot()
    where: asyncio.Future[discord.Interaction] = asyncio.get_running_loop().create_future()

    @bot.tree.command(name="ping", description="Answers pong")
    async def ping(interaction: discord.Interaction) -> None:
        where.set_result(interaction)
        await interaction.response.send_message("pong")

    async with run_client(bot, standin.token):
        interaction = standin.interaction_payload("ping", guild=False)
        await standin.dispatch("INTERACTION_CREATE", interaction)
        callback = await standin.wait_for_request(
            "POST",
            rf"/interactions/{interaction['id']}/{interaction['token']}/callback",
            timeout=TIMEOUT,
        )
        received = await asyncio.wait_for(where, TIMEOUT)

    assert received.guild is None
    assert isinstance(received.channel, discord.DMChannel)
    assert str(received.user.id) == standin.user["id"]
    assert callback.json["data"]["content"] == "pong"
    assert (
        standin.messages[callback.response["resource"]["message"]["id"]]["channel_id"]
        == interaction["channel_id"]
    )


async def test_deferred_command_follows_up_and_edits(standin: DiscordStandIn) -> None:
    bot = make_bot()
    followed_up: asyncio.Future[discord.WebhookMessage] = asyncio.get_running_loop().create_future()

    @bot.tree.command(name="slow", description="Answers after thinking")
    async def slow(interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True)
        message = await interaction.followup.send("done", wait=True)
        await interaction.edit_original_response(content="done, edited")
        followed_up.set_result(message)

    async def sync_globally() -> None:
        await bot.tree.sync()

    bot.setup_hook = sync_globally  # type: ignore[method-assign]

    async with run_client(bot, standin.token):
        interaction = standin.interaction_payload("slow")
        await standin.dispatch("INTERACTION_CREATE", interaction)
        token = interaction["token"]
        edit = await standin.wait_for_request(
            "PATCH", rf"/webhooks/\d+/{token}/messages/@original", timeout=TIMEOUT
        )
        message = await asyncio.wait_for(followed_up, TIMEOUT)

    assert [c["name"] for c in standin.global_commands] == ["slow"]
    assert "guild_id" not in interaction["data"]
    callbacks = standin.requests_matching(
        "POST", rf"/interactions/{interaction['id']}/{token}/callback"
    )
    assert [r.json["type"] for r in callbacks] == [5]
    followups = standin.requests_matching("POST", rf"/webhooks/{standin.application_id}/{token}")
    assert [(r.query.get("wait"), r.json["content"]) for r in followups] == [("1", "done")]
    assert edit.json["content"] == "done, edited"
    assert str(message.channel.id) == standin.channel_id
    # Like Discord, the first follow-up after a deferral fills the "thinking" message.
    original = standin.messages[str(message.id)]
    assert original["content"] == "done, edited"
    assert not original["flags"] & 128


async def test_button_click_reaches_the_view(standin: DiscordStandIn) -> None:
    bot = make_bot()

    class Confirm(discord.ui.View):
        def __init__(self) -> None:
            super().__init__(timeout=None)  # no timeout task left pending when the test ends

        @discord.ui.button(label="Confirm", custom_id="confirm")
        async def confirm(
            self, interaction: discord.Interaction, button: discord.ui.Button[Confirm]
        ) -> None:
            await interaction.response.edit_message(content="confirmed", view=None)

    @bot.listen("on_message")
    async def ask(message: discord.Message) -> None:
        if not message.author.bot:
            await message.channel.send("Sure?", view=Confirm())

    async with run_client(bot, standin.token):
        await standin.dispatch(
            "MESSAGE_CREATE", standin.message_create_payload("delete everything")
        )
        sent = await standin.wait_for_request(
            "POST", channel_messages(standin.channel_id), timeout=TIMEOUT
        )
        button = sent.json["components"][0]["components"][0]
        assert button["custom_id"] == "confirm"
        click = standin.component_interaction_payload("confirm", message=sent.response)
        await standin.dispatch("INTERACTION_CREATE", click)
        callback = await standin.wait_for_request(
            "POST", rf"/interactions/{click['id']}/{click['token']}/callback", timeout=TIMEOUT
        )

    assert callback.json["type"] == 7
    assert callback.json["data"]["content"] == "confirmed"
    assert callback.json["data"]["components"] == []
    assert standin.messages[sent.response["id"]]["content"] == "confirmed"


async def test_autocomplete_offers_choices(standin: DiscordStandIn) -> None:
    bot = make_bot()

    @bot.tree.command(name="topic", description="Pick a topic")
    async def topic(interaction: discord.Interaction, name: str) -> None:
        await interaction.response.send_message(name)

    @topic.autocomplete("name")
    async def complete(
        interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        topics = ["alpha", "alphabet", "beta"]
        return [app_commands.Choice(name=t, value=t) for t in topics if t.startswith(current)]

    async with run_client(bot, standin.token):
        typing = standin.autocomplete_payload("topic", {"name": "alp"}, focused="name")
        await standin.dispatch("INTERACTION_CREATE", typing)
        callback = await standin.wait_for_request(
            "POST", rf"/interactions/{typing['id']}/{typing['token']}/callback", timeout=TIMEOUT
        )

    assert callback.json["type"] == 8
    assert [c["name"] for c in callback.json["data"]["choices"]] == ["alpha", "alphabet"]


@pytest.mark.parametrize("how", ["network drop", "close 4000", "op 7 reconnect"])
async def test_client_resumes_after_losing_the_gateway(standin: DiscordStandIn, how: str) -> None:
    bot = make_bot()
    sent = reply_pong_to_ping(bot)
    resumed = asyncio.Event()

    @bot.listen("on_resumed")
    async def note_resumed() -> None:
        resumed.set()

    async with run_client(bot, standin.token):
        if how == "network drop":
            await standin.drop_gateway()
        elif how == "close 4000":
            await standin.drop_gateway(code=4000)
        else:
            await standin.request_reconnect()
        resume = await standin.wait_for_gateway_op(6, timeout=TIMEOUT)
        await asyncio.wait_for(resumed.wait(), TIMEOUT)
        await standin.dispatch("MESSAGE_CREATE", standin.message_create_payload("ping"))
        await asyncio.wait_for(sent, TIMEOUT)

    identify = [frame for frame in standin.gateway_frames if frame.op == 2]
    assert len(identify) == 1, "the client should RESUME, not IDENTIFY again"
    assert resume.connection == 2
    assert resume.d["token"] == standin.token
    assert [m["content"] for m in standin.sent_messages(standin.channel_id)] == ["pong"]


async def test_events_missed_while_disconnected_are_replayed_on_resume(
    standin: DiscordStandIn,
) -> None:
    bot = make_bot()
    sent = reply_pong_to_ping(bot)

    async with run_client(bot, standin.token):
        await standin.drop_gateway()
        missed_seq = await standin.dispatch(
            "MESSAGE_CREATE", standin.message_create_payload("ping")
        )
        await asyncio.wait_for(sent, TIMEOUT)
        resume = await standin.wait_for_gateway_op(6, timeout=TIMEOUT)

    assert resume.d["seq"] < missed_seq, "the message was sent before the client resumed"
    assert [m["content"] for m in standin.sent_messages(standin.channel_id)] == ["pong"]


@pytest.mark.parametrize(("fault", "status"), [("fail", 500), ("rate limit", 429)])
async def test_failed_send_is_retried_and_delivered_once(
    standin: DiscordStandIn, fault: str, status: int
) -> None:
    bot = make_bot()
    sent = reply_pong_to_ping(bot)
    path = channel_messages(standin.channel_id)
    if fault == "fail":
        standin.fail_next("POST", path, status=500)
    else:
        standin.rate_limit_next("POST", path, retry_after=0.05)

    async with run_client(bot, standin.token):
        await standin.dispatch("MESSAGE_CREATE", standin.message_create_payload("ping"))
        # discord.py sleeps 1 s before retrying a 500, hence the longer bound.
        message = await asyncio.wait_for(sent, TIMEOUT)

    attempts = standin.requests_matching("POST", path)
    assert [r.status for r in attempts] == [status, 200]
    assert [m["id"] for m in standin.sent_messages(standin.channel_id)] == [str(message.id)]


async def test_unknown_routes_are_recorded_and_answered_404(standin: DiscordStandIn) -> None:
    bot = make_bot()
    async with run_client(bot, standin.token):
        with pytest.raises(discord.NotFound):
            await bot.fetch_guild(int(standin.guild_id))

    assert [(r.method, r.path, r.status) for r in standin.unhandled_requests] == [
        ("GET", f"/guilds/{standin.guild_id}", 404)
    ]


async def test_json_replies_carry_the_exact_content_type(standin: DiscordStandIn) -> None:
    # discord.py parses a body as JSON only when Content-Type equals "application/json".
    async with (
        aiohttp.ClientSession() as session,
        session.get(
            standin.api_url + "/users/@me", headers={"Authorization": f"Bot {standin.token}"}
        ) as reply,
    ):
        assert reply.status == 200
        assert reply.headers["Content-Type"] == "application/json"
        assert (await reply.json())["id"] == standin.bot_user["id"]
