"""A local stand-in for Discord's REST API and gateway, for tests that drive the real discord.py.

Why it exists: mocking discord.py's internals (as dpytest does) tests a bot that never really runs.
Here the *real* client logs in, opens a websocket, receives events and makes HTTP calls, only
the other end is a small aiohttp server on 127.0.0.1. Tests push gateway events with
:meth:`DiscordStandIn.dispatch` and assert on the REST calls the bot made
(:attr:`DiscordStandIn.requests`), so they check what Discord would actually have received.

Pointing discord.py at the stand-in takes two class attributes, set by the test fixture:
``discord.http.Route.BASE = standin.api_url`` and
``discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(standin.gateway_url)``.

Fidelity notes (each one is something discord.py checks):

* JSON replies carry ``Content-Type: application/json`` exactly; discord.py compares the header
  for equality and would treat ``application/json; charset=utf-8`` as plain text.
* Gateway frames are TEXT frames of JSON: discord.py asks for zlib-stream but only inflates
  binary frames.
* The interaction callback answers ``with_response`` with a JSON body (an empty 204 breaks
  discord.py).
* A 429 carries a ``Via`` header and ``retry_after`` in the body, or discord.py will not retry it.

The module imports nothing from discord.py at run time, so it cannot drift with its internals.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import mimetypes
import re
import time
import uuid
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Final, Self, TypeVar

from aiohttp import BodyPartReader, WSMsgType, web
from multidict import CIMultiDict, CIMultiDictProxy

if TYPE_CHECKING:
    import discord

__all__ = [
    "DEFAULT_TOKEN",
    "DiscordStandIn",
    "GatewayFrame",
    "Payload",
    "RecordedRequest",
    "run_client",
]

Payload = dict[str, Any]
"""A JSON object as Discord sends it: plain dicts, snowflakes as strings."""

DEFAULT_TOKEN: Final = "standin-bot-token"
API_PREFIX: Final = "/api/v10"
DISCORD_EPOCH_MS: Final = 1_420_070_400_000
JSON_TYPE: Final = "application/json"

# Gateway opcodes (https://discord.com/developers/docs/topics/opcodes-and-status-codes).
OP_DISPATCH: Final = 0
OP_HEARTBEAT: Final = 1
OP_IDENTIFY: Final = 2
# GUILD_MEMBERS, GUILD_PRESENCES and MESSAGE_CONTENT: Discord closes the gateway with 4014 when a
# bot asks for one its application has not enabled on the Developer Portal.
PRIVILEGED_INTENTS: Final = (1 << 1) | (1 << 8) | (1 << 15)
OP_RESUME: Final = 6
OP_RECONNECT: Final = 7
OP_REQUEST_MEMBERS: Final = 8
OP_INVALID_SESSION: Final = 9
OP_HELLO: Final = 10
OP_HEARTBEAT_ACK: Final = 11

# Interaction callback types the stand-in gives meaning to.
CALLBACK_MESSAGE: Final = 4
CALLBACK_DEFERRED_MESSAGE: Final = 5
CALLBACK_DEFERRED_UPDATE: Final = 6
CALLBACK_UPDATE_MESSAGE: Final = 7

FLAG_EPHEMERAL: Final = 1 << 6
FLAG_LOADING: Final = 1 << 7
FLAG_SUPPRESS_EMBEDS: Final = 1 << 2
# VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS | ATTACH_FILES | READ_MESSAGE_HISTORY |
# USE_APPLICATION_COMMANDS ...
EVERYONE_PERMISSIONS: Final = "2248473465835073"

# Interactions and webhooks authenticate by their token in the URL, and GET /gateway needs nothing:
# discord.py sends no Authorization header there, so the stand-in must not demand one.
_UNAUTHENTICATED = re.compile(r"/(?:interactions|webhooks)/.*|/gateway")

ClientT = TypeVar("ClientT", bound="discord.Client")


@dataclass(frozen=True)
class RecordedRequest:
    """One REST request the client made, with what the stand-in answered.

    ``path`` is relative to ``/api/v10`` (``/channels/1/messages``); ``json`` is the JSON body,
    or the ``payload_json`` part of a multipart upload, whose files are in ``files`` by filename.
    """

    method: str
    path: str
    query: dict[str, str]
    headers: Mapping[str, str]
    """Case-insensitive, as HTTP headers are: ``headers["authorization"]`` works too."""
    json: Any
    files: dict[str, bytes] = field(default_factory=dict)
    status: int = 0
    response: Any = None
    at: float = field(default_factory=time.perf_counter)
    """When the stand-in answered it (``time.perf_counter``), for latency measurements."""

    @property
    def ok(self) -> bool:
        """Whether the stand-in answered with a 2xx status, i.e. the call took effect."""
        return 200 <= self.status < 300


@dataclass(frozen=True)
class GatewayFrame:
    """One frame the client sent on the gateway; ``connection`` numbers the websockets from 1."""

    op: int
    d: Any
    connection: int


@dataclass(frozen=True)
class _Call:
    """What a REST route handler gets: URL parameters, query and body."""

    params: dict[str, str]
    query: Mapping[str, str]
    json: Any
    files: dict[str, bytes]


@dataclass(frozen=True)
class _Reply:
    """What a REST route handler returns; ``body=None`` means an empty body."""

    status: int = 200
    body: Any = None
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class _Route:
    method: str
    pattern: re.Pattern[str]
    handler: Callable[[_Call], _Reply]


@dataclass(frozen=True)
class _Fault:
    method: str
    pattern: re.Pattern[str]
    reply: _Reply


@dataclass
class _Connection:
    """One gateway websocket, kept so the stand-in can push to it or drop it."""

    number: int
    ws: web.WebSocketResponse
    request: web.Request


def _route(method: str, template: str, handler: Callable[[_Call], _Reply]) -> _Route:
    """Compile ``/channels/{cid}/messages`` into a route; ``{name}`` matches one path segment."""
    pattern = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template)
    return _Route(method, re.compile(pattern), handler)


def _error(status: int, message: str, code: int = 0) -> _Reply:
    """An error body shaped like Discord's, so discord.py's exceptions carry the text."""
    return _Reply(status, {"message": message, "code": code})


def _now_iso() -> str:
    return datetime.now(UTC).isoformat()


class _Snowflakes:
    """Increasing, Discord-shaped IDs (timestamp since the Discord epoch, shifted by 22 bits)."""

    def __init__(self) -> None:
        self._last = 0

    def next(self) -> str:
        candidate = (int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22
        self._last = max(candidate, self._last + 1)
        return str(self._last)


class DiscordStandIn:
    """Discord's REST API (``/api/v10``) and gateway (``/``) on one loopback aiohttp server.

    It has one bot user and application, one guild with an ``@everyone`` role and text
    channels, and a human member (:attr:`user`) for tests to speak as. Messages, DM channels,
    interactions and synced commands are kept in memory so replies are consistent: a component
    interaction can point at the message the bot sent, and a follow-up lands in the right channel.
    """

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        bot_name: str = "Verbatim",
        guild_name: str = "Stand-in Guild",
        channel_names: Sequence[str] = ("general",),
    ) -> None:
        if not channel_names:
            raise ValueError("channel_names needs at least one channel name")
        self.token = token
        self._ids = _Snowflakes()
        self.application_id = self._ids.next()
        self.users: dict[str, Payload] = {}
        self.bot_user = self.make_user(bot_name, bot=True, user_id=self.application_id)
        self.user = self.make_user("tester")
        """The human member tests speak as; also the guild's and the application's owner."""
        self.guild_id = self._ids.next()
        self.guild_name = guild_name
        self.channels: dict[str, Payload] = {}
        for position, name in enumerate(channel_names):
            channel_id = self._ids.next()
            self.channels[channel_id] = self._text_channel(channel_id, name, position)
        self.channel_id = next(iter(self.channels))
        """The first guild text channel, where messages go unless a test says otherwise."""

        self.enabled_privileged_intents = PRIVILEGED_INTENTS
        """The privileged intents "enabled on the portal"; IDENTIFY asking for others gets 4014."""

        self.resume_gateway_url: str | None = None
        """What READY tells the client to resume at (None: this stand-in's own gateway URL)."""

        self.requests: list[RecordedRequest] = []
        self.unhandled_requests: list[RecordedRequest] = []
        self.gateway_frames: list[GatewayFrame] = []
        self.messages: dict[str, Payload] = {}
        self.global_commands: list[Payload] = []
        self.guild_commands: dict[str, list[Payload]] = {}

        self._routes = self._build_routes()
        self._faults: list[_Fault] = []
        self._dm_channels: dict[str, Payload] = {}  # by recipient user id
        self._interactions: dict[str, Payload] = {}  # by token
        self._acknowledged: set[str] = set()  # interaction tokens already answered
        self._originals: dict[str, str] = {}  # interaction token -> original response message id
        self._command_ids: dict[tuple[str | None, str, int], str] = {}

        self._connection_numbers = itertools.count(1)
        self._connections: list[_Connection] = []
        self._live: _Connection | None = None
        self._session_id: str | None = None
        self._seq = 0
        self._history: list[tuple[int, str, Payload]] = []
        self._dispatch_lock = asyncio.Lock()
        self._changed = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._port: int | None = None

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        """Serve on 127.0.0.1 on a free port (loopback only, never another address)."""
        if self._runner is not None:
            raise RuntimeError("the stand-in is already started")
        app = web.Application()
        app.router.add_get("/", self._handle_gateway)
        app.router.add_route("*", "/{tail:.*}", self._handle_rest)
        runner = web.AppRunner(app, handle_signals=False)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        self._runner = runner
        self._port = int(runner.addresses[0][1])

    async def stop(self) -> None:
        """Close every gateway socket (1001, going away) and the server."""
        for connection in list(self._connections):
            await connection.ws.close(code=1001)
        if self._runner is not None:
            await self._runner.cleanup()
        self._runner = None
        self._live = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        if self._port is None:
            raise RuntimeError("start() the stand-in before asking for its URLs")
        return f"http://127.0.0.1:{self._port}"

    @property
    def api_url(self) -> str:
        """The value for ``discord.http.Route.BASE``."""
        return self.base_url + API_PREFIX

    @property
    def gateway_url(self) -> str:
        """The value (as a ``yarl.URL``) for ``DiscordWebSocket.DEFAULT_GATEWAY``."""
        return self.base_url.replace("http://", "ws://", 1) + "/"

    # ------------------------------------------------------------------ payload builders

    def make_user(self, username: str, *, bot: bool = False, user_id: str | None = None) -> Payload:
        """A user object, remembered so that opening a DM with it finds it again."""
        user: Payload = {
            "id": user_id or self._ids.next(),
            "username": username,
            "global_name": username,
            "discriminator": "0",
            "avatar": None,
            "bot": bot,
            "public_flags": 0,
        }
        self.users[user["id"]] = user
        return user

    def member_payload(self, user: Payload) -> Payload:
        """A guild member object for ``user`` with no roles beyond ``@everyone``."""
        return {
            "user": user,
            "roles": [],
            "nick": None,
            "avatar": None,
            "flags": 0,
            "joined_at": _now_iso(),
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "pending": False,
        }

    def dm_channel_payload(self, user: Payload | None = None) -> Payload:
        """The DM channel (type 1) between the bot and ``user``, the same one every time."""
        user = user or self.user
        channel = self._dm_channels.get(user["id"])
        if channel is None:
            channel = {
                "id": self._ids.next(),
                "type": 1,
                "last_message_id": None,
                "recipients": [user],
                "flags": 0,
            }
            self._dm_channels[user["id"]] = channel
        return channel

    def guild_payload(self) -> Payload:
        """The GUILD_CREATE body: roles, channels and members (the bot and :attr:`user`)."""
        members = [self.member_payload(self.bot_user), self.member_payload(self.user)]
        return {
            "id": self.guild_id,
            "name": self.guild_name,
            "icon": None,
            "owner_id": self.user["id"],
            "unavailable": False,
            "large": False,
            "member_count": len(members),
            "joined_at": _now_iso(),
            "roles": [self._everyone_role()],
            "channels": list(self.channels.values()),
            "members": members,
            "threads": [],
            "presences": [],
            "voice_states": [],
            "emojis": [],
            "stickers": [],
            "features": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
            "premium_tier": 0,
            "preferred_locale": "en-US",
            "mfa_level": 0,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "nsfw_level": 0,
            "afk_timeout": 300,
            "system_channel_flags": 0,
        }

    def message_create_payload(
        self,
        content: str,
        *,
        channel_id: str | None = None,
        author: Payload | None = None,
        guild: bool = True,
        mentions: Sequence[Payload] = (),
    ) -> Payload:
        """A MESSAGE_CREATE body from ``author`` (default :attr:`user`).

        ``guild=False`` makes a DM: no ``guild_id`` and no ``member``, in the author's DM channel.
        discord.py then builds a ``DMChannel`` from ``channel_id`` alone, so no CHANNEL_CREATE is
        needed first (and Discord does not send one for DMs). To mention the bot, pass
        ``mentions=[standin.bot_user]`` and put ``<@{id}>`` in ``content``.
        """
        author = author or self.user
        message: Payload = {
            "id": self._ids.next(),
            "type": 0,
            "content": content,
            "author": author,
            "mentions": [dict(user) for user in mentions],
            "mention_roles": [],
            "mention_everyone": False,
            "attachments": [],
            "embeds": [],
            "components": [],
            "pinned": False,
            "tts": False,
            "flags": 0,
            "timestamp": _now_iso(),
            "edited_timestamp": None,
        }
        if guild:
            message["channel_id"] = channel_id or self.channel_id
            message["guild_id"] = self.guild_id
            message["member"] = {
                k: v for k, v in self.member_payload(author).items() if k != "user"
            }
        else:
            message["channel_id"] = channel_id or self.dm_channel_payload(author)["id"]
        return message

    def interaction_payload(
        self,
        name: str,
        options: Mapping[str, object] | Sequence[Payload] | None = None,
        *,
        user: Payload | None = None,
        guild: bool = True,
        channel_id: str | None = None,
        command_guild_id: str | None = None,
    ) -> Payload:
        """An INTERACTION_CREATE body for slash command ``name`` (type 2).

        ``options`` is either ``{"query": "text"}`` (types inferred: str, int, float, bool) or
        raw option dicts (for subcommands). ``data.guild_id`` is set when the command was synced
        to the guild, or from ``command_guild_id``: discord.py looks guild commands up by it.
        """
        data = self._command_data(name, _options(options), command_guild_id, guild)
        return self._interaction(2, data, user=user, guild=guild, channel_id=channel_id)

    def autocomplete_payload(
        self,
        name: str,
        options: Mapping[str, object] | Sequence[Payload],
        focused: str,
        *,
        user: Payload | None = None,
        guild: bool = True,
        channel_id: str | None = None,
        command_guild_id: str | None = None,
    ) -> Payload:
        """An autocomplete INTERACTION_CREATE (type 4) with option ``focused`` being typed."""
        raw = _options(options)
        if focused not in {option["name"] for option in raw}:
            raise ValueError(f"focused option {focused!r} is not among {[o['name'] for o in raw]}")
        for option in raw:
            if option["name"] == focused:
                option["focused"] = True
        data = self._command_data(name, raw, command_guild_id, guild)
        return self._interaction(4, data, user=user, guild=guild, channel_id=channel_id)

    def component_interaction_payload(
        self,
        custom_id: str,
        *,
        message: Payload,
        component_type: int = 2,
        values: Sequence[str] | None = None,
        user: Payload | None = None,
    ) -> Payload:
        """A component INTERACTION_CREATE (type 3): ``user`` clicked ``custom_id`` on ``message``.

        ``message`` is the message carrying the component, typically ``request.response`` of the
        bot's recorded send: discord.py routes the click to the view stored under its id.
        ``component_type`` is 2 for a button, 3 for a string select (give ``values``).
        """
        data: Payload = {"custom_id": custom_id, "component_type": component_type}
        if values is not None:
            data["values"] = list(values)
        guild = "guild_id" in message
        payload = self._interaction(
            3, data, user=user, guild=guild, channel_id=message["channel_id"]
        )
        payload["message"] = message
        return payload

    # ------------------------------------------------------------------ pushing events

    async def dispatch(self, event: str, data: Payload) -> int:
        """Send a DISPATCH (op 0) with the next sequence number, and return that number.

        Events sent while no socket is live (after :meth:`drop_gateway`) are kept and replayed
        when the client RESUMEs, as Discord does. Dispatched messages and interactions are
        remembered, so the bot can reply to them and answer them.
        """
        async with self._dispatch_lock:
            if self._session_id is None:
                raise RuntimeError("no gateway session yet: wait until the client is ready")
            self._remember(event, data)
            return await self._send_dispatch(event, data)

    async def drop_gateway(self, *, code: int | None = None) -> None:
        """Cut the live gateway socket; the client should reconnect and RESUME.

        With ``code=None`` the TCP connection is aborted with no close frame (a network drop,
        seen by the client as 1006); with a code, a close frame with that code is sent.
        """
        connection = self._require_live()
        self._live = None
        transport = connection.request.transport
        if code is None and transport is not None:
            transport.abort()
        else:
            await connection.ws.close(code=code or 4000, message=b"stand-in closed the gateway")

    async def request_reconnect(self) -> None:
        """Send op 7 RECONNECT, as Discord does before maintenance; the client should RESUME."""
        connection = self._require_live()
        await self._send(connection, {"op": OP_RECONNECT, "d": None})

    # ------------------------------------------------------------------ fault injection

    def fail_next(self, method: str, path_regex: str, status: int = 500) -> None:
        """Answer the next ``method`` request whose path fully matches with ``status``, once."""
        reply = _error(status, f"{status}: stand-in injected failure")
        self._faults.append(_Fault(method.upper(), re.compile(path_regex), reply))

    def rate_limit_next(self, method: str, path_regex: str, retry_after: float = 0.05) -> None:
        """Answer the next matching request with a 429 that discord.py will wait out and retry."""
        body = {
            "message": "You are being rate limited.",
            "retry_after": retry_after,
            "global": False,
        }
        headers = {
            "Via": "1.1 google",  # without it discord.py assumes a Cloudflare ban and raises
            "Retry-After": str(max(1, round(retry_after))),
            "X-RateLimit-Limit": "5",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": f"{time.time() + retry_after:.3f}",
            "X-RateLimit-Reset-After": f"{retry_after:.3f}",
            "X-RateLimit-Bucket": uuid.uuid4().hex,
            "X-RateLimit-Scope": "user",
        }
        self._faults.append(
            _Fault(method.upper(), re.compile(path_regex), _Reply(429, body, headers))
        )

    # ------------------------------------------------------------------ assertions

    def requests_matching(self, method: str, path_regex: str) -> list[RecordedRequest]:
        """Recorded requests with this method whose path fully matches ``path_regex``."""
        pattern = re.compile(path_regex)
        return [
            r for r in self.requests if r.method == method.upper() and pattern.fullmatch(r.path)
        ]

    async def wait_for_request(
        self, method: str, path_regex: str, count: int = 1, timeout: float = 5.0
    ) -> RecordedRequest:
        """Wait until ``count`` matching requests were answered; return the ``count``-th one."""
        await self._wait_until(
            lambda: len(self.requests_matching(method, path_regex)) >= count,
            timeout,
            f"{count} x {method.upper()} {path_regex}",
        )
        return self.requests_matching(method, path_regex)[count - 1]

    async def wait_for_gateway_op(
        self, op: int, count: int = 1, timeout: float = 5.0
    ) -> GatewayFrame:
        """Wait until the client has sent ``count`` frames with opcode ``op``; return the last."""
        await self._wait_until(
            lambda: len(self._frames(op)) >= count, timeout, f"{count} x gateway op {op}"
        )
        return self._frames(op)[count - 1]

    def sent_messages(self, channel_id: str | None = None) -> list[Payload]:
        """Messages the bot created and did not delete, oldest first (optionally in one channel)."""
        return [
            message
            for message in self.messages.values()
            if message["author"]["id"] == self.bot_user["id"]
            and (channel_id is None or message["channel_id"] == channel_id)
        ]

    # ------------------------------------------------------------------ REST plumbing

    async def _handle_rest(self, request: web.Request) -> web.Response:
        path = (
            request.path.removeprefix(API_PREFIX)
            if request.path.startswith(API_PREFIX)
            else request.path
        )
        body, files = await _read_body(request)
        reply, routed = self._answer(
            request.method, path, request.headers.get("Authorization"), request.query, body, files
        )
        record = RecordedRequest(
            method=request.method,
            path=path,
            query=dict(request.query),
            headers=CIMultiDictProxy(CIMultiDict(request.headers)),
            json=body,
            files=files,
            status=reply.status,
            response=reply.body,
        )
        self.requests.append(record)
        if not routed:
            self.unhandled_requests.append(record)
        self._notify()
        return _to_response(reply)

    def _answer(
        self,
        method: str,
        path: str,
        authorization: str | None,
        query: Mapping[str, str],
        body: Any,
        files: dict[str, bytes],
    ) -> tuple[_Reply, bool]:
        """Check the token, then injected faults, then the route table; unknown routes get 404."""
        if not _UNAUTHENTICATED.fullmatch(path) and authorization != f"Bot {self.token}":
            return _error(401, "401: Unauthorized"), True
        for fault in self._faults:
            if fault.method == method and fault.pattern.fullmatch(path):
                self._faults.remove(fault)
                return fault.reply, True
        for route in self._routes:
            if route.method == method and (match := route.pattern.fullmatch(path)):
                return route.handler(_Call(match.groupdict(), query, body, files)), True
        return _error(404, f"404: the stand-in has no route for {method} {path}"), False

    def _build_routes(self) -> list[_Route]:
        """The REST surface; first match wins, so ``@me`` routes come before ``{uid}`` ones."""
        return [
            _route("GET", "/users/@me", lambda _: _Reply(200, self.bot_user)),
            _route("POST", "/users/@me/channels", self._open_dm),
            _route("GET", "/users/{uid}", self._get_user),
            _route("GET", "/oauth2/applications/@me", lambda _: _Reply(200, self._application())),
            _route("GET", "/gateway", lambda _: _Reply(200, {"url": self.gateway_url})),
            _route("GET", "/gateway/bot", lambda _: _Reply(200, self._gateway_bot())),
            _route(
                "GET", "/applications/{app}/commands", lambda _: _Reply(200, self.global_commands)
            ),
            _route("PUT", "/applications/{app}/commands", self._sync_global),
            _route("GET", "/applications/{app}/guilds/{gid}/commands", self._get_guild_commands),
            _route("PUT", "/applications/{app}/guilds/{gid}/commands", self._sync_guild),
            _route("GET", "/channels/{cid}", self._get_channel),
            _route("POST", "/channels/{cid}/messages", self._create_message),
            _route("GET", "/channels/{cid}/messages/{mid}", self._get_message),
            _route("PATCH", "/channels/{cid}/messages/{mid}", self._edit_channel_message),
            _route("DELETE", "/channels/{cid}/messages/{mid}", self._delete_message),
            _route("POST", "/channels/{cid}/typing", lambda _: _Reply(204)),
            _route(
                "PUT", "/channels/{cid}/messages/{mid}/reactions/{emoji}/@me", lambda _: _Reply(204)
            ),
            _route(
                "DELETE",
                "/channels/{cid}/messages/{mid}/reactions/{emoji}/@me",
                lambda _: _Reply(204),
            ),
            _route("POST", "/interactions/{iid}/{token}/callback", self._interaction_callback),
            _route("POST", "/webhooks/{app}/{token}", self._execute_webhook),
            _route("GET", "/webhooks/{app}/{token}/messages/{mid}", self._get_webhook_message),
            _route("PATCH", "/webhooks/{app}/{token}/messages/{mid}", self._edit_webhook_message),
            _route(
                "DELETE", "/webhooks/{app}/{token}/messages/{mid}", self._delete_webhook_message
            ),
        ]

    # ------------------------------------------------------------------ REST handlers

    def _application(self) -> Payload:
        # interactions_endpoint_url is left out: if set, discord.py warns it gets no interactions.
        return {
            "id": self.application_id,
            "name": self.bot_user["username"],
            "description": "",
            "icon": None,
            "bot_public": False,
            "bot_require_code_grant": False,
            "owner": self.user,
            "verify_key": "0" * 64,
            "flags": 0,
            "bot": self.bot_user,
        }

    def _gateway_bot(self) -> Payload:
        limit = {"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1}
        return {"url": self.gateway_url, "shards": 1, "session_start_limit": limit}

    def _open_dm(self, call: _Call) -> _Reply:
        recipient_id = str((call.json or {}).get("recipient_id", ""))
        user = self.users.get(recipient_id)
        if user is None:
            return _error(400, "Invalid Recipient(s)", 50033)
        return _Reply(200, self.dm_channel_payload(user))

    def _get_user(self, call: _Call) -> _Reply:
        user = self.users.get(call.params["uid"])
        return _Reply(200, user) if user else _error(404, "Unknown User", 10013)

    def _sync_global(self, call: _Call) -> _Reply:
        self.global_commands = [self._registered_command(c, None) for c in call.json or []]
        return _Reply(200, self.global_commands)

    def _sync_guild(self, call: _Call) -> _Reply:
        guild_id = call.params["gid"]
        self.guild_commands[guild_id] = [
            self._registered_command(c, guild_id) for c in call.json or []
        ]
        return _Reply(200, self.guild_commands[guild_id])

    def _get_guild_commands(self, call: _Call) -> _Reply:
        return _Reply(200, self.guild_commands.get(call.params["gid"], []))

    def _registered_command(self, command: Payload, guild_id: str | None) -> Payload:
        """Echo a synced command the way Discord does: with id, application_id and version."""
        kind = int(command.get("type", 1))
        key = (guild_id, command["name"], kind)
        command_id = self._command_ids.setdefault(key, self._ids.next())
        registered = {"type": kind, "description": "", "options": [], **command}
        registered.update(
            id=command_id, application_id=self.application_id, version=self._ids.next()
        )
        if guild_id is not None:
            registered["guild_id"] = guild_id
        return registered

    def _get_channel(self, call: _Call) -> _Reply:
        channel = self._channel(call.params["cid"])
        return _Reply(200, channel) if channel else _error(404, "Unknown Channel", 10003)

    def _create_message(self, call: _Call) -> _Reply:
        channel_id = call.params["cid"]
        if self._channel(channel_id) is None:
            return _error(404, "Unknown Channel", 10003)
        return _Reply(200, self._new_message(channel_id, call.json or {}, call.files))

    def _get_message(self, call: _Call) -> _Reply:
        message = self.messages.get(call.params["mid"])
        if message is None or message["channel_id"] != call.params["cid"]:
            return _error(404, "Unknown Message", 10008)
        return _Reply(200, message)

    def _edit_channel_message(self, call: _Call) -> _Reply:
        if self._get_message(call).status != 200:
            return _error(404, "Unknown Message", 10008)
        return _Reply(200, self._edit_message(call.params["mid"], call.json or {}, call.files))

    def _delete_message(self, call: _Call) -> _Reply:
        if self._get_message(call).status != 200:
            return _error(404, "Unknown Message", 10008)
        del self.messages[call.params["mid"]]
        return _Reply(204)

    def _interaction_callback(self, call: _Call) -> _Reply:
        """Acknowledge an interaction once, answering ``with_response`` with the created message."""
        token = call.params["token"]
        interaction = self._interactions.get(token)
        if interaction is None or interaction["id"] != call.params["iid"]:
            return _error(404, "Unknown interaction", 10062)
        if token in self._acknowledged:
            return _error(400, "Interaction has already been acknowledged.", 40060)
        self._acknowledged.add(token)
        body = call.json or {}
        kind = int(body.get("type", 0))
        data = body.get("data") or {}
        flags = int(data.get("flags") or 0)
        message: Payload | None = None
        if kind == CALLBACK_MESSAGE:
            message = self._new_message(interaction["channel_id"], data, call.files, interaction)
        elif kind == CALLBACK_DEFERRED_MESSAGE:
            loading = {"content": "", "flags": flags | FLAG_LOADING}
            message = self._new_message(interaction["channel_id"], loading, {}, interaction)
        elif (
            kind in (CALLBACK_DEFERRED_UPDATE, CALLBACK_UPDATE_MESSAGE) and "message" in interaction
        ):
            message_id = interaction["message"]["id"]
            self.messages.setdefault(message_id, interaction["message"])
            message = self._edit_message(
                message_id, data if kind == CALLBACK_UPDATE_MESSAGE else {}, call.files
            )
        result: Payload = {
            "interaction": {
                "id": interaction["id"],
                "type": interaction["type"],
                "response_message_loading": kind == CALLBACK_DEFERRED_MESSAGE,
                "response_message_ephemeral": bool(flags & FLAG_EPHEMERAL),
            }
        }
        if message is not None:
            self._originals[token] = message["id"]
            result["interaction"]["response_message_id"] = message["id"]
            result["resource"] = {"type": kind, "message": message}
        return _Reply(200, result)

    def _execute_webhook(self, call: _Call) -> _Reply:
        """A follow-up; like Discord, the first one after a deferral fills the loading message."""
        interaction = self._interactions.get(call.params["token"])
        if interaction is None or call.params["app"] != self.application_id:
            return _error(404, "Unknown Webhook", 10015)
        original = self.messages.get(self._originals.get(call.params["token"], ""))
        if original is not None and original["flags"] & FLAG_LOADING:
            message = self._edit_message(original["id"], call.json or {}, call.files)
        else:
            message = self._new_message(
                interaction["channel_id"], call.json or {}, call.files, interaction
            )
        waits = call.query.get("wait", "").lower() in ("1", "true")
        return _Reply(200, message) if waits else _Reply(204)

    def _webhook_message_id(self, call: _Call) -> str | None:
        if call.params["token"] not in self._interactions:
            return None
        message_id = call.params["mid"]
        if message_id == "@original":
            return self._originals.get(call.params["token"])
        return message_id if message_id in self.messages else None

    def _get_webhook_message(self, call: _Call) -> _Reply:
        message_id = self._webhook_message_id(call)
        if message_id is None or message_id not in self.messages:
            return _error(404, "Unknown Message", 10008)
        return _Reply(200, self.messages[message_id])

    def _edit_webhook_message(self, call: _Call) -> _Reply:
        message_id = self._webhook_message_id(call)
        if message_id is None or message_id not in self.messages:
            return _error(404, "Unknown Message", 10008)
        return _Reply(200, self._edit_message(message_id, call.json or {}, call.files))

    def _delete_webhook_message(self, call: _Call) -> _Reply:
        message_id = self._webhook_message_id(call)
        if message_id is None or self.messages.pop(message_id, None) is None:
            return _error(404, "Unknown Message", 10008)
        return _Reply(204)

    # ------------------------------------------------------------------ state helpers

    def _channel(self, channel_id: str) -> Payload | None:
        if channel_id in self.channels:
            return self.channels[channel_id]
        return next((c for c in self._dm_channels.values() if c["id"] == channel_id), None)

    def _new_message(
        self,
        channel_id: str,
        body: Payload,
        files: dict[str, bytes],
        interaction: Payload | None = None,
    ) -> Payload:
        """Store and return the message the bot's request created, as Discord would echo it."""
        message: Payload = {
            "id": self._ids.next(),
            "channel_id": channel_id,
            "type": 0,
            "content": body.get("content") or "",
            "author": self.bot_user,
            "embeds": body.get("embeds") or [],
            "components": body.get("components") or [],
            "attachments": self._attachments(files),
            "mentions": [],
            "mention_roles": [],
            "mention_everyone": False,
            "pinned": False,
            "tts": bool(body.get("tts")),
            "flags": int(body.get("flags") or 0),
            "timestamp": _now_iso(),
            "edited_timestamp": None,
        }
        if channel_id in self.channels:
            message["guild_id"] = self.guild_id
        reference = body.get("message_reference")
        if reference:
            message["type"] = 19  # REPLY
            message["message_reference"] = {"channel_id": channel_id, **reference}
            referenced = self.messages.get(str(reference.get("message_id")))
            if referenced is not None:
                message["referenced_message"] = {
                    k: v for k, v in referenced.items() if k != "referenced_message"
                }
        if interaction is not None:
            message["type"] = (
                20 if interaction["type"] == 2 else message["type"]
            )  # CHAT_INPUT_COMMAND
            message["webhook_id"] = self.application_id
            message["application_id"] = self.application_id
        self.messages[message["id"]] = message
        return message

    def _edit_message(self, message_id: str, body: Payload, files: dict[str, bytes]) -> Payload:
        """Apply an edit; any edit of a deferred ("thinking") message resolves it."""
        message = self.messages[message_id]
        for key in ("content", "embeds", "components"):
            if key in body:
                message[key] = (
                    body[key] if body[key] is not None else ([] if key != "content" else "")
                )
        if "flags" in body and body["flags"] is not None:
            # Like Discord, an edit can only set or clear SUPPRESS_EMBEDS: a message stays as
            # public (or ephemeral) as it was sent, a deferral's follow-up included.
            editable = FLAG_SUPPRESS_EMBEDS
            message["flags"] = (message["flags"] & ~editable) | (int(body["flags"]) & editable)
        if files:
            message["attachments"] = self._attachments(files)
        if body:
            message["flags"] &= ~FLAG_LOADING
            message["edited_timestamp"] = _now_iso()
        return message

    def _attachments(self, files: Mapping[str, bytes]) -> list[Payload]:
        attachments = []
        for filename, content in files.items():
            attachment_id = self._ids.next()
            url = f"{self.base_url}/attachments/{attachment_id}/{filename}"
            attachments.append(
                {
                    "id": attachment_id,
                    "filename": filename,
                    "size": len(content),
                    "url": url,
                    "proxy_url": url,
                    "content_type": mimetypes.guess_type(filename)[0] or "application/octet-stream",
                }
            )
        return attachments

    def _remember(self, event: str, data: Payload) -> None:
        """Keep what a dispatched event creates, so later REST calls about it succeed."""
        if event == "MESSAGE_CREATE":
            self.messages[data["id"]] = data
        elif event == "INTERACTION_CREATE":
            self._interactions[data["token"]] = data

    def _everyone_role(self) -> Payload:
        return {
            "id": self.guild_id,  # @everyone shares the guild's id
            "name": "@everyone",
            "permissions": EVERYONE_PERMISSIONS,
            "position": 0,
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
            "hoist": False,
            "managed": False,
            "mentionable": False,
            "icon": None,
            "unicode_emoji": None,
            "flags": 0,
        }

    def _text_channel(self, channel_id: str, name: str, position: int) -> Payload:
        return {
            "id": channel_id,
            "type": 0,
            "guild_id": self.guild_id,
            "name": name,
            "position": position,
            "permission_overwrites": [],
            "topic": None,
            "nsfw": False,
            "parent_id": None,
            "last_message_id": None,
            "rate_limit_per_user": 0,
        }

    def _command_data(
        self, name: str, options: list[Payload], command_guild_id: str | None, in_guild: bool
    ) -> Payload:
        """``data`` of a command interaction, reusing the id from a sync when there was one."""
        guild_synced = self.guild_commands.get(self.guild_id, [])
        if command_guild_id is None and in_guild and any(c["name"] == name for c in guild_synced):
            command_guild_id = self.guild_id
        synced = (
            self.guild_commands.get(command_guild_id, [])
            if command_guild_id
            else self.global_commands
        )
        command_id = next((c["id"] for c in synced if c["name"] == name), None) or self._ids.next()
        data: Payload = {"id": command_id, "name": name, "type": 1, "options": options}
        if command_guild_id is not None:
            data["guild_id"] = command_guild_id
        return data

    def _interaction(
        self, kind: int, data: Payload, *, user: Payload | None, guild: bool, channel_id: str | None
    ) -> Payload:
        user = user or self.user
        payload: Payload = {
            "id": self._ids.next(),
            "application_id": self.application_id,
            "type": kind,
            "token": f"interaction-token-{uuid.uuid4().hex}",
            "version": 1,
            "data": data,
            "app_permissions": EVERYONE_PERMISSIONS,
            "locale": "en-US",
            "attachment_size_limit": 10 * 1024 * 1024,  # discord.py raises KeyError without it
            "entitlements": [],
        }
        if guild:
            channel = self.channels.get(channel_id or self.channel_id)
            if channel is None:
                raise ValueError(
                    f"unknown guild channel {channel_id}; known: {list(self.channels)}"
                )
            member = self.member_payload(user)
            member["permissions"] = EVERYONE_PERMISSIONS
            payload.update(
                guild_id=self.guild_id,
                guild_locale="en-US",
                channel_id=channel["id"],
                channel=channel,
                member=member,
                context=0,
                authorizing_integration_owners={"0": self.guild_id},
            )
        else:
            dm_channel = self._channel(channel_id) if channel_id else self.dm_channel_payload(user)
            if dm_channel is None:
                raise ValueError(f"unknown DM channel {channel_id}")
            payload.update(
                channel_id=dm_channel["id"],
                channel=dm_channel,
                user=user,
                context=1,
                authorizing_integration_owners={"1": user["id"]},
            )
        return payload

    # ------------------------------------------------------------------ gateway

    async def _handle_gateway(self, request: web.Request) -> web.WebSocketResponse:
        """One gateway connection: HELLO, then answer heartbeats, IDENTIFY and RESUME."""
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        connection = _Connection(next(self._connection_numbers), ws, request)
        self._connections.append(connection)
        try:
            await self._send(connection, {"op": OP_HELLO, "d": {"heartbeat_interval": 45_000}})
            async for message in ws:
                if message.type is WSMsgType.TEXT:
                    await self._on_frame(connection, json.loads(message.data))
        finally:
            self._connections.remove(connection)
            if self._live is connection:
                self._live = None
        return ws

    async def _on_frame(self, connection: _Connection, frame: Payload) -> None:
        op, data = int(frame.get("op", -1)), frame.get("d")
        self.gateway_frames.append(GatewayFrame(op, data, connection.number))
        self._notify()
        body: Payload = data if isinstance(data, dict) else {}
        if op == OP_HEARTBEAT:
            await self._send(connection, {"op": OP_HEARTBEAT_ACK})
        elif op == OP_IDENTIFY:
            await self._identify(connection, body)
        elif op == OP_RESUME:
            await self._resume(connection, body)
        elif op == OP_REQUEST_MEMBERS:
            await self._send_member_chunk(connection, body)
        # Presence (3) and voice state (4) updates are only recorded.

    async def _identify(self, connection: _Connection, data: Payload) -> None:
        if data.get("token") != self.token:
            await connection.ws.close(code=4004, message=b"Authentication failed.")
            return
        asked = int(data.get("intents") or 0) & PRIVILEGED_INTENTS
        if asked & ~self.enabled_privileged_intents:
            await connection.ws.close(code=4014, message=b"Disallowed intent(s).")
            return
        async with self._dispatch_lock:
            self._session_id = uuid.uuid4().hex
            self._seq = 0
            self._history.clear()
            self._live = connection
            ready = {
                "v": 10,
                "user": {**self.bot_user, "verified": True, "mfa_enabled": False, "flags": 0},
                "guilds": [{"id": self.guild_id, "unavailable": True}],
                "session_id": self._session_id,
                "resume_gateway_url": self.resume_gateway_url or self.gateway_url,
                "application": {"id": self.application_id, "flags": 0},
                "private_channels": [],
                "relationships": [],
                "session_type": "normal",
            }
            await self._send_dispatch("READY", ready)
            await self._send_dispatch("GUILD_CREATE", self.guild_payload())

    async def _resume(self, connection: _Connection, data: Payload) -> None:
        async with self._dispatch_lock:
            if data.get("token") != self.token or data.get("session_id") != self._session_id:
                await self._send(connection, {"op": OP_INVALID_SESSION, "d": False})
                return
            self._live = connection
            last_seen = int(data.get("seq") or 0)
            for seq, event, payload in self._history:
                if seq > last_seen:
                    await self._send(
                        connection, {"op": OP_DISPATCH, "t": event, "s": seq, "d": payload}
                    )
            await self._send_dispatch("RESUMED", {})

    async def _send_member_chunk(self, connection: _Connection, data: Payload) -> None:
        members = [self.member_payload(self.bot_user), self.member_payload(self.user)]
        chunk = {"guild_id": self.guild_id, "members": members, "chunk_index": 0, "chunk_count": 1}
        if data.get("nonce"):
            chunk["nonce"] = data["nonce"]
        async with self._dispatch_lock:
            await self._send_dispatch("GUILD_MEMBERS_CHUNK", chunk)

    async def _send_dispatch(self, event: str, data: Payload) -> int:
        """Number, keep and (if a socket is live) send one event; hold ``_dispatch_lock``."""
        self._seq += 1
        self._history.append((self._seq, event, data))
        if self._live is not None:
            frame = {"op": OP_DISPATCH, "t": event, "s": self._seq, "d": data}
            await self._send(self._live, frame)
        return self._seq

    async def _send(self, connection: _Connection, frame: Payload) -> None:
        with contextlib.suppress(ConnectionResetError):  # a dropped socket; RESUME replays events
            await connection.ws.send_str(json.dumps(frame))

    def _require_live(self) -> _Connection:
        if self._live is None:
            raise RuntimeError("no live gateway connection")
        return self._live

    def _frames(self, op: int) -> list[GatewayFrame]:
        return [frame for frame in self.gateway_frames if frame.op == op]

    # ------------------------------------------------------------------ waiting

    def _notify(self) -> None:
        """Wake every waiter; each re-checks its own condition."""
        self._changed.set()
        self._changed = asyncio.Event()

    async def _wait_until(self, predicate: Callable[[], bool], timeout: float, what: str) -> None:
        try:
            async with asyncio.timeout(timeout):
                while not predicate():
                    await self._changed.wait()
        except TimeoutError:
            seen = "\n  ".join(f"{r.status} {r.method} {r.path}" for r in self.requests) or "(none)"
            raise TimeoutError(f"no {what} within {timeout}s; requests so far:\n  {seen}") from None


def _options(options: Mapping[str, object] | Sequence[Payload] | None) -> list[Payload]:
    """Slash command options from ``{name: value}`` (type inferred) or from raw option dicts."""
    if options is None:
        return []
    if isinstance(options, Mapping):
        return [
            {"name": name, "type": _option_type(value), "value": value}
            for name, value in options.items()
        ]
    return [dict(option) for option in options]


def _option_type(value: object) -> int:
    # bool before int: bool is a subclass of int.
    for kind, code in ((bool, 5), (int, 4), (float, 10), (str, 3)):
        if isinstance(value, kind):
            return code
    raise TypeError(f"option values must be str, int, float or bool, not {type(value).__name__}")


async def _read_body(request: web.Request) -> tuple[Any, dict[str, bytes]]:
    """The JSON body, or for multipart uploads the ``payload_json`` part and the files."""
    if request.content_type.startswith("multipart/"):
        payload: Any = None
        files: dict[str, bytes] = {}
        reader = await request.multipart()
        while (part := await reader.next()) is not None:
            if not isinstance(part, BodyPartReader):
                continue
            if part.name == "payload_json":
                payload = json.loads(await part.text())
            elif part.filename:
                files[part.filename] = bytes(await part.read())
        return payload, files
    text = await request.text() if request.can_read_body else ""
    if not text:
        return None, {}
    try:
        return json.loads(text), {}
    except json.JSONDecodeError:
        return text, {}


def _to_response(reply: _Reply) -> web.Response:
    """Serialize a reply; the Content-Type is set by hand because discord.py wants it exact."""
    if reply.body is None:
        return web.Response(status=reply.status, headers=dict(reply.headers))
    headers = {"Content-Type": JSON_TYPE, **reply.headers}
    return web.Response(status=reply.status, body=json.dumps(reply.body).encode(), headers=headers)


@contextlib.asynccontextmanager
async def run_client(
    client: ClientT, token: str = DEFAULT_TOKEN, *, timeout: float = 5.0
) -> AsyncIterator[ClientT]:
    """Log ``client`` in, connect it, wait for READY; close it (and its HTTP session) on exit.

    ``login`` and ``connect`` are called separately rather than ``start`` because
    ``wait_until_ready`` only works once ``login`` has set the client up, and a client that
    stops while connecting (a bad token, say) must fail here at once, not at the timeout.
    """
    connecting: asyncio.Task[None] | None = None
    try:
        await client.login(token)
        connecting = asyncio.create_task(client.connect(), name="discord-client-connect")
        ready = asyncio.create_task(client.wait_until_ready(), name="discord-client-ready")
        done, _ = await asyncio.wait(
            {connecting, ready}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
        )
        if ready not in done:
            ready.cancel()
            if connecting in done:
                connecting.result()  # re-raises why the client stopped
            raise TimeoutError(f"the client was not ready within {timeout}s")
        yield client
    finally:
        await client.close()
        if connecting is not None:
            # A closed client returns from connect(); anything it raised surfaces here.
            await asyncio.wait_for(connecting, timeout)
