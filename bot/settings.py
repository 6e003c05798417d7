"""One typed Settings object: the only module that reads the environment (and `.env`)."""

from __future__ import annotations

import io
import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path

from dotenv import dotenv_values


def data_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Where newsbrief keeps its data by default: $XDG_DATA_HOME/newsbrief, else
    ~/.local/share/newsbrief (the XDG base-directory convention)."""
    env = os.environ if environ is None else environ
    xdg = env.get("XDG_DATA_HOME", "").strip()
    if xdg and Path(xdg).is_absolute():
        return Path(xdg) / "newsbrief"
    home = env.get("HOME", "").strip()
    return (Path(home) if home else Path.home()) / ".local" / "share" / "newsbrief"


def default_database_url(environ: Mapping[str, str] | None = None) -> str:
    """The database used when NEWSBRIEF_DATABASE_URL is not set: a SQLite file in `data_dir`,
    the same wherever newsbrief is started from."""
    return f"sqlite:///{data_dir(environ) / 'newsbrief.db'}"


class SettingsError(ValueError):
    """A setting has a value that can't be used; the message names the setting."""


def _read_env_file(path: Path) -> dict[str, str | None]:
    """The settings of a .env file; SettingsError naming the file (and the line) when it can't
    be read or is not UTF-8 text (python-dotenv's UnicodeDecodeError was an "unexpected
    error" naming neither)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SettingsError(f"{path} can't be read: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise SettingsError(
            f"{path} is not UTF-8 text (byte 0x{data[exc.start]:02x} on line {line}): "
            "save it as UTF-8"
        ) from None
    return dotenv_values(stream=io.StringIO(text))


# The longest bad value an error message quotes; a longer one is described by its size.
MAX_QUOTED = 100


def _quoted(raw: str) -> str:
    """A bad value as an error message shows it: quoted when short and on one line, else by
    its size alone. A value spanning lines is a quote left open in .env, which python-dotenv
    runs on over the lines after it, other settings and secrets among them: messages quoted
    them whole (a token printed to the terminal and to the service's log)."""
    if "\n" in raw or "\r" in raw:
        lines = len(raw.splitlines())
        return f"a value of {lines} lines (a quote left open in .env?)"
    if len(raw) > MAX_QUOTED:
        return f"a value of {len(raw):,} characters"
    return repr(raw)


def _bool(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise SettingsError(f"{name} must be true or false, not {_quoted(raw)}")


# Settings sent as HTTP header values: visible ASCII (RFC 9110), tokens without blanks. A
# non-ASCII User-Agent failed every fetch with UnicodeEncodeError (an "unexpected error"), one
# with a line break every fetch with "network error (LocalProtocolError)".
MAX_HEADER_SETTING = 1000
_HEADER_SETTINGS = {
    "user_agent": re.compile(r"[\x21-\x7e]++(?:[ \t]++[\x21-\x7e]++)*+"),
    **dict.fromkeys(
        ("slack_bot_token", "slack_app_token", "discord_token"), re.compile(r"[\x21-\x7e]++")
    ),
}


def _check_headers(settings: Settings) -> None:
    for name, allowed in _HEADER_SETTINGS.items():
        value = getattr(settings, name)
        if not value:
            continue
        if len(value) > MAX_HEADER_SETTING:
            raise SettingsError(
                f"{ENV_NAMES[name]} must be at most {MAX_HEADER_SETTING:,} characters, "
                f"not {len(value):,}"
            )
        if not allowed.fullmatch(value):
            what = "printable ASCII" if name == "user_agent" else "printable ASCII without blanks"
            raise SettingsError(f"{ENV_NAMES[name]} must be {what} (it is sent in HTTP headers)")


def _number(name: str, raw: str, kind: type[int] | type[float]) -> int | float:
    try:
        value = kind(raw.strip())
    except ValueError:
        raise SettingsError(f"{name} must be a number, not {_quoted(raw)}") from None
    if not math.isfinite(value):  # nan or inf: no limit, timeout or count
        raise SettingsError(f"{name} must be a finite number, not {_quoted(raw)}")
    if value < 0:
        raise SettingsError(f"{name} must not be negative")
    return value


# Counts that must lie in a range, or newsbrief would fail later, deep inside (a summary of 0
# sentences, a fetch of 0 bytes) or hang (100,000 model threads; as many worker processes).
_RANGES: dict[str, tuple[int, int]] = {
    "max_feeds_per_channel": (1, 1_000_000),
    "max_feed_entries": (1, 1_000_000),
    "pages_per_minute_per_host": (1, 1_000_000),
    "fetch_max_bytes": (1, 2**40),
    "fetch_max_redirects": (0, 100),
    "article_workers": (0, 64),
    "torch_threads": (0, 256),
    "summary_sentences": (1, 100),
    "seq2seq_num_beams": (1, 64),
    "seq2seq_min_length": (0, 100_000),
    "seq2seq_max_length": (1, 100_000),
    "discord_shard_count": (0, 100_000),
}


@dataclass(frozen=True)
class Settings:
    """Every setting of newsbrief; `.env.example` lists them with the environment names."""

    # empty in the environment: the default, a SQLite file in the user's data folder
    database_url: str = field(default_factory=default_database_url)
    log_level: str = "INFO"
    # fetching
    allow_private_urls: bool = False
    fetch_timeout: float = 15.0
    fetch_max_bytes: int = 5_000_000
    fetch_max_redirects: int = 5
    user_agent: str = ""  # empty: the fetcher's default
    # limits on what one channel or feed can make the bot do
    max_feeds_per_channel: int = 20
    max_feed_entries: int = 50  # entries read from one fetch of a feed, newest first
    pages_per_minute_per_host: int = 30  # feed entry pages fetched from one host
    # ingest
    article_timeout: float = 60.0  # seconds one article may take to read and understand
    article_workers: int = 1  # worker processes; 0: in this process, without the time limit
    speaker_model: bool = True  # the learned speaker model beside the quote rules
    # summaries
    summarizer: str = "extractive"  # extractive (learned) | centrality | seq2seq | lead
    summary_sentences: int = 3
    # whether the extractive scorer weighs the headline (off: it reads the body as pasted text,
    # which measures better on CNN-style news and worse on BBC-style news; see README)
    summary_headline: bool = True
    seq2seq_model: str = ""  # hub id (already in the local cache) or a local folder
    seq2seq_num_beams: int = 4
    seq2seq_min_length: int = 30
    seq2seq_max_length: int = 130
    # speed
    # the models' threads per process (torch, ONNX Runtime, numpy's BLAS under spaCy);
    # 0: the usable cores (CPU affinity), at most 4
    torch_threads: int = 0
    encoder: str = "auto"  # MiniLM's runtime: auto | torch | onnx (see embed.RUNTIMES)
    encoder_precision: str = "fp32"  # fp32 | bf16 (torch) | int8 (see embed.PRECISIONS)
    encoder_cache: str = ""  # folder of exported ONNX encoders ("": embed.encoder_cache_dir())
    vector_index: bool = True  # nearest by meaning through faiss (when installed)
    vector_index_dir: str = ""  # where it is kept; empty: beside a SQLite file, else in memory
    vector_index_scan: float = 0.2  # share of the IVF index's lists a question scans (0-1]
    # chat platforms (used by `newsbrief run`)
    slack_bot_token: str = ""
    slack_app_token: str = ""
    slack_signing_secret: str = ""
    slack_api_url: str = "https://slack.com/api/"
    discord_token: str = ""
    discord_api_url: str = "https://discord.com/api/v10"
    discord_gateway_url: str = "wss://gateway.discord.gg/"
    http_port: int = 3000
    # address the HTTP server binds; empty: 0.0.0.0 when Slack events come over HTTP (Slack
    # must reach them), else 127.0.0.1 (only /healthz is served, for local checks)
    http_host: str = ""
    # seconds a client of the HTTP server has to send a whole request (headers and body) from
    # when it connects; a slower one (slowloris) gets 408 and is cut off
    http_read_timeout: float = 10.0
    # seconds `newsbrief run` keeps retrying an unreachable platform at start (0: try once)
    start_timeout: float = 300.0
    # chat reads one library for every workspace (else each reads only what reached it)
    shared_library: bool = False
    # past one machine: articles as Celery jobs on workers (empty: in this process)
    broker_url: str = ""  # redis://… or amqp://…
    result_backend: str = ""  # empty: the Redis broker itself, or rpc:// with RabbitMQ
    broker_visibility_timeout: float = 0.0  # Redis: seconds before an unacked job is redone
    broker_queue: str = "newsbrief"  # the queue's name: deployments sharing a broker differ
    # Discord sharding: shards in all, and those this process serves (empty: all of them)
    discord_shard_count: int = 0  # 0: one connection, no sharding
    discord_shard_ids: str = ""  # e.g. "0,1"

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, env_file: str | Path | None = ".env"
    ) -> Settings:
        """Build settings from `.env` (if present) overlaid by the environment."""
        values: dict[str, str] = {}
        if env_file is not None and Path(env_file).is_file():
            values.update(
                {k: v for k, v in _read_env_file(Path(env_file)).items() if v is not None}
            )
        values.update(os.environ if environ is None else environ)
        kwargs: dict[str, object] = {}
        for f in fields(cls):
            name = ENV_NAMES[f.name]
            if name not in values:
                continue
            raw = values[name]
            default = f.default
            if isinstance(default, bool):
                kwargs[f.name] = _bool(name, raw)
            elif isinstance(default, int):
                kwargs[f.name] = int(_number(name, raw, int))
            elif isinstance(default, float):
                kwargs[f.name] = float(_number(name, raw, float))
            else:
                kwargs[f.name] = raw.strip()
        if not kwargs.get("database_url"):
            kwargs["database_url"] = default_database_url(values)
        settings = cls(**kwargs)  # type: ignore[arg-type]
        if settings.summarizer not in {"extractive", "centrality", "seq2seq", "lead"}:
            raise SettingsError(
                "NEWSBRIEF_SUMMARIZER must be extractive, centrality, seq2seq or lead, "
                f"not {_quoted(settings.summarizer)}"
            )
        if settings.encoder not in {"auto", "torch", "onnx"}:
            raise SettingsError(
                f"NEWSBRIEF_ENCODER must be auto, torch or onnx, not {_quoted(settings.encoder)}"
            )
        if settings.encoder_precision not in {"fp32", "bf16", "int8"}:
            raise SettingsError(
                "NEWSBRIEF_ENCODER_PRECISION must be fp32, bf16 or int8, "
                f"not {_quoted(settings.encoder_precision)}"
            )
        for limit, (low, high) in _RANGES.items():
            value = getattr(settings, limit)
            if value < low:
                raise SettingsError(f"{ENV_NAMES[limit]} must be at least {low}, not {value}")
            if value > high:
                raise SettingsError(f"{ENV_NAMES[limit]} must be at most {high}, not {value}")
        for positive in ("fetch_timeout",):
            if getattr(settings, positive) <= 0:
                raise SettingsError(f"{ENV_NAMES[positive]} must be more than 0 seconds")
        if not 0 < settings.vector_index_scan <= 1:
            raise SettingsError("NEWSBRIEF_VECTOR_INDEX_SCAN must be more than 0 and at most 1")
        for timeout in ("article_timeout", "http_read_timeout"):
            if getattr(settings, timeout) <= 0:
                raise SettingsError(f"{ENV_NAMES[timeout]} must be more than 0 seconds")
        if settings.broker_url and not settings.broker_url.startswith(BROKER_SCHEMES):
            raise SettingsError(
                f"NEWSBRIEF_BROKER_URL must start with redis:// or amqp://, not "
                f"{_quoted(settings.broker_url.split(':', 1)[0])}"
            )
        settings.shard_ids()  # raises SettingsError on a bad list
        _check_headers(settings)
        if settings.http_port > 65535:
            raise SettingsError("NEWSBRIEF_HTTP_PORT must be a port number (0-65535)")
        if settings.summarizer == "seq2seq" and not settings.seq2seq_model:
            raise SettingsError("NEWSBRIEF_SUMMARIZER=seq2seq needs NEWSBRIEF_SEQ2SEQ_MODEL")
        return settings

    def shard_ids(self) -> list[int] | None:
        """The Discord shards this process serves: None when unsharded or serving them all."""
        raw = self.discord_shard_ids.replace(" ", "")
        if not raw:
            return None
        if not self.discord_shard_count:
            raise SettingsError("DISCORD_SHARD_IDS needs DISCORD_SHARD_COUNT")
        try:
            ids = sorted({int(part) for part in raw.split(",") if part})
        except ValueError:
            raise SettingsError(
                f"DISCORD_SHARD_IDS must be shard numbers like 0,1, not {_quoted(raw)}"
            ) from None
        if not ids or ids[0] < 0 or ids[-1] >= self.discord_shard_count:
            raise SettingsError(
                f"DISCORD_SHARD_IDS must be between 0 and {self.discord_shard_count - 1}"
            )
        return ids


# Brokers newsbrief's Celery jobs run on.
BROKER_SCHEMES = ("redis://", "rediss://", "amqp://", "amqps://", "pyamqp://")

# Setting -> environment variable. The chat SDKs' own names are kept as they are.
ENV_NAMES: dict[str, str] = {
    "database_url": "NEWSBRIEF_DATABASE_URL",
    "log_level": "NEWSBRIEF_LOG_LEVEL",
    "allow_private_urls": "NEWSBRIEF_ALLOW_PRIVATE_URLS",
    "fetch_timeout": "NEWSBRIEF_FETCH_TIMEOUT",
    "fetch_max_bytes": "NEWSBRIEF_FETCH_MAX_BYTES",
    "fetch_max_redirects": "NEWSBRIEF_FETCH_MAX_REDIRECTS",
    "user_agent": "NEWSBRIEF_USER_AGENT",
    "max_feeds_per_channel": "NEWSBRIEF_MAX_FEEDS_PER_CHANNEL",
    "max_feed_entries": "NEWSBRIEF_MAX_FEED_ENTRIES",
    "pages_per_minute_per_host": "NEWSBRIEF_PAGES_PER_MINUTE_PER_HOST",
    "article_timeout": "NEWSBRIEF_ARTICLE_TIMEOUT",
    "article_workers": "NEWSBRIEF_ARTICLE_WORKERS",
    "speaker_model": "NEWSBRIEF_SPEAKER_MODEL",
    "summarizer": "NEWSBRIEF_SUMMARIZER",
    "summary_sentences": "NEWSBRIEF_SUMMARY_SENTENCES",
    "summary_headline": "NEWSBRIEF_SUMMARY_HEADLINE",
    "seq2seq_model": "NEWSBRIEF_SEQ2SEQ_MODEL",
    "seq2seq_num_beams": "NEWSBRIEF_SEQ2SEQ_NUM_BEAMS",
    "seq2seq_min_length": "NEWSBRIEF_SEQ2SEQ_MIN_LENGTH",
    "seq2seq_max_length": "NEWSBRIEF_SEQ2SEQ_MAX_LENGTH",
    "torch_threads": "NEWSBRIEF_TORCH_THREADS",
    "encoder": "NEWSBRIEF_ENCODER",
    "encoder_precision": "NEWSBRIEF_ENCODER_PRECISION",
    "encoder_cache": "NEWSBRIEF_ENCODER_CACHE",
    "vector_index": "NEWSBRIEF_VECTOR_INDEX",
    "vector_index_dir": "NEWSBRIEF_VECTOR_INDEX_DIR",
    "vector_index_scan": "NEWSBRIEF_VECTOR_INDEX_SCAN",
    "slack_bot_token": "SLACK_BOT_TOKEN",
    "slack_app_token": "SLACK_APP_TOKEN",
    "slack_signing_secret": "SLACK_SIGNING_SECRET",
    "slack_api_url": "SLACK_API_URL",
    "discord_token": "DISCORD_TOKEN",
    "discord_api_url": "DISCORD_API_URL",
    "discord_gateway_url": "DISCORD_GATEWAY_URL",
    "http_port": "NEWSBRIEF_HTTP_PORT",
    "http_host": "NEWSBRIEF_HTTP_HOST",
    "http_read_timeout": "NEWSBRIEF_HTTP_READ_TIMEOUT",
    "start_timeout": "NEWSBRIEF_START_TIMEOUT",
    "shared_library": "NEWSBRIEF_SHARED_LIBRARY",
    "broker_url": "NEWSBRIEF_BROKER_URL",
    "result_backend": "NEWSBRIEF_RESULT_BACKEND",
    "broker_visibility_timeout": "NEWSBRIEF_BROKER_VISIBILITY_TIMEOUT",
    "broker_queue": "NEWSBRIEF_BROKER_QUEUE",
    "discord_shard_count": "DISCORD_SHARD_COUNT",
    "discord_shard_ids": "DISCORD_SHARD_IDS",
}
