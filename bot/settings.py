"""One typed Settings object: the only module that reads the environment (and `.env`)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path

from dotenv import dotenv_values

DEFAULT_DATABASE_URL = "sqlite:///./data/newsbrief.db"


class SettingsError(ValueError):
    """A setting has a value that can't be used; the message names the setting."""


def _bool(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise SettingsError(f"{name} must be true or false, not {raw!r}")


def _number(name: str, raw: str, kind: type[int] | type[float]) -> int | float:
    try:
        value = kind(raw.strip())
    except ValueError:
        raise SettingsError(f"{name} must be a number, not {raw!r}") from None
    if value < 0:
        raise SettingsError(f"{name} must not be negative")
    return value


@dataclass(frozen=True)
class Settings:
    """Every setting of newsbrief; `.env.example` lists them with the environment names."""

    database_url: str = DEFAULT_DATABASE_URL
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
    # summaries
    summarizer: str = "extractive"  # extractive (learned) | centrality | seq2seq | lead
    summary_sentences: int = 3
    seq2seq_model: str = ""  # hub id (already in the local cache) or a local folder
    seq2seq_num_beams: int = 4
    seq2seq_min_length: int = 30
    seq2seq_max_length: int = 130
    # chat platforms (used by `newsbrief run`)
    slack_bot_token: str = ""
    slack_app_token: str = ""
    slack_signing_secret: str = ""
    slack_api_url: str = "https://slack.com/api/"
    discord_token: str = ""
    discord_api_url: str = "https://discord.com/api/v10"
    discord_gateway_url: str = "wss://gateway.discord.gg/"
    http_port: int = 3000
    # chat reads one library for every workspace (else each reads only what reached it)
    shared_library: bool = False

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, env_file: str | Path | None = ".env"
    ) -> Settings:
        """Build settings from `.env` (if present) overlaid by the environment."""
        values: dict[str, str] = {}
        if env_file is not None and Path(env_file).is_file():
            values.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
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
        settings = cls(**kwargs)  # type: ignore[arg-type]
        if settings.summarizer not in {"extractive", "centrality", "seq2seq", "lead"}:
            raise SettingsError(
                "NEWSBRIEF_SUMMARIZER must be extractive, centrality, seq2seq or lead, "
                f"not {settings.summarizer!r}"
            )
        for limit in ("max_feeds_per_channel", "max_feed_entries", "pages_per_minute_per_host"):
            if getattr(settings, limit) < 1:
                raise SettingsError(f"{ENV_NAMES[limit]} must be at least 1")
        if settings.article_timeout <= 0:
            raise SettingsError("NEWSBRIEF_ARTICLE_TIMEOUT must be more than 0 seconds")
        if settings.summarizer == "seq2seq" and not settings.seq2seq_model:
            raise SettingsError("NEWSBRIEF_SUMMARIZER=seq2seq needs NEWSBRIEF_SEQ2SEQ_MODEL")
        return settings


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
    "summarizer": "NEWSBRIEF_SUMMARIZER",
    "summary_sentences": "NEWSBRIEF_SUMMARY_SENTENCES",
    "seq2seq_model": "NEWSBRIEF_SEQ2SEQ_MODEL",
    "seq2seq_num_beams": "NEWSBRIEF_SEQ2SEQ_NUM_BEAMS",
    "seq2seq_min_length": "NEWSBRIEF_SEQ2SEQ_MIN_LENGTH",
    "seq2seq_max_length": "NEWSBRIEF_SEQ2SEQ_MAX_LENGTH",
    "slack_bot_token": "SLACK_BOT_TOKEN",
    "slack_app_token": "SLACK_APP_TOKEN",
    "slack_signing_secret": "SLACK_SIGNING_SECRET",
    "slack_api_url": "SLACK_API_URL",
    "discord_token": "DISCORD_TOKEN",
    "discord_api_url": "DISCORD_API_URL",
    "discord_gateway_url": "DISCORD_GATEWAY_URL",
    "http_port": "NEWSBRIEF_HTTP_PORT",
    "shared_library": "NEWSBRIEF_SHARED_LIBRARY",
}
