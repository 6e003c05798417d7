"""Settings: environment and .env, typed, with clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import ENV_NAMES, Settings, SettingsError


def test_defaults_without_environment() -> None:
    s = Settings.from_env({}, env_file=None)
    assert s.database_url.startswith("sqlite:///") and s.database_url.endswith(
        "/.local/share/newsbrief/newsbrief.db"
    )
    assert s.allow_private_urls is False
    assert s.summarizer == "extractive"
    assert s.http_port == 3000
    assert (s.max_feeds_per_channel, s.max_feed_entries, s.pages_per_minute_per_host) == (
        20,
        50,
        30,
    )
    assert (s.article_timeout, s.article_workers) == (60.0, 1)


def test_environment_overrides_env_file(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text(
        "NEWSBRIEF_DATABASE_URL=postgresql://db/news\nNEWSBRIEF_FETCH_TIMEOUT=3.5\n"
        "SLACK_BOT_TOKEN=xoxb-from-file\n",
        encoding="utf-8",
    )
    s = Settings.from_env({"SLACK_BOT_TOKEN": "xoxb-from-env"}, env_file=env)
    assert s.database_url == "postgresql://db/news"
    assert s.fetch_timeout == 3.5
    assert s.slack_bot_token == "xoxb-from-env"


@pytest.mark.parametrize(
    ("name", "value", "fragment"),
    [
        ("NEWSBRIEF_ALLOW_PRIVATE_URLS", "maybe", "true or false"),
        ("NEWSBRIEF_FETCH_MAX_BYTES", "lots", "number"),
        ("NEWSBRIEF_HTTP_PORT", "-1", "negative"),
        ("NEWSBRIEF_HTTP_READ_TIMEOUT", "0", "NEWSBRIEF_HTTP_READ_TIMEOUT must be more than 0"),
        ("NEWSBRIEF_SUMMARIZER", "magic", "extractive, centrality, seq2seq or lead"),
        ("NEWSBRIEF_SUMMARIZER", "seq2seq", "NEWSBRIEF_SEQ2SEQ_MODEL"),
        ("NEWSBRIEF_ENCODER_PRECISION", "int4", "fp32, bf16 or int8"),
        ("NEWSBRIEF_ENCODER", "tensorflow", "auto, torch or onnx"),
        ("NEWSBRIEF_VECTOR_INDEX", "sometimes", "true or false"),
        ("NEWSBRIEF_VECTOR_INDEX_SCAN", "0", "SCAN must be more than 0 and at most 1"),
        ("NEWSBRIEF_VECTOR_INDEX_SCAN", "1.5", "SCAN must be more than 0 and at most 1"),
        (
            "NEWSBRIEF_MAX_FEEDS_PER_CHANNEL",
            "0",
            "NEWSBRIEF_MAX_FEEDS_PER_CHANNEL must be at least",
        ),
        ("NEWSBRIEF_MAX_FEED_ENTRIES", "0", "at least 1"),
        ("NEWSBRIEF_PAGES_PER_MINUTE_PER_HOST", "0", "at least 1"),
        ("NEWSBRIEF_ARTICLE_TIMEOUT", "0", "more than 0"),
        ("NEWSBRIEF_ARTICLE_WORKERS", "-2", "negative"),
        # Values that passed and failed later, deep inside (an "unexpected error" or a worker
        # that could not start) or hung (100,000 model threads).
        ("NEWSBRIEF_ARTICLE_TIMEOUT", "nan", "ARTICLE_TIMEOUT must be a finite number"),
        ("NEWSBRIEF_ARTICLE_TIMEOUT", "inf", "ARTICLE_TIMEOUT must be a finite number"),
        ("NEWSBRIEF_FETCH_TIMEOUT", "nan", "FETCH_TIMEOUT must be a finite number"),
        ("NEWSBRIEF_FETCH_TIMEOUT", "0", "FETCH_TIMEOUT must be more than 0"),
        ("NEWSBRIEF_FETCH_MAX_BYTES", "0", "FETCH_MAX_BYTES must be at least 1"),
        ("NEWSBRIEF_SUMMARY_SENTENCES", "0", "SUMMARY_SENTENCES must be at least 1"),
        ("NEWSBRIEF_SEQ2SEQ_NUM_BEAMS", "0", "NUM_BEAMS must be at least 1"),
        ("NEWSBRIEF_TORCH_THREADS", "100000", "TORCH_THREADS must be at most 256"),
        ("NEWSBRIEF_ARTICLE_WORKERS", "99999999999999999999", "WORKERS must be at most 64"),
        ("NEWSBRIEF_FETCH_MAX_REDIRECTS", "1000000", "REDIRECTS must be at most 100"),
        # Sent in HTTP headers: a non-ASCII User-Agent failed every fetch with
        # UnicodeEncodeError, a line break with a protocol error, a long one with a 431.
        ("NEWSBRIEF_USER_AGENT", "Nouvelles/1.0 (caf\u00e9)", "USER_AGENT must be printable ASCII"),
        ("NEWSBRIEF_USER_AGENT", "newsbrief\r\nX-Injected: 1", "must be printable ASCII"),
        ("NEWSBRIEF_USER_AGENT", "newsbrief\x00", "must be printable ASCII"),
        ("NEWSBRIEF_USER_AGENT", "x" * 100_000, "USER_AGENT must be at most 1,000 characters"),
        ("DISCORD_TOKEN", "abc def", "DISCORD_TOKEN must be printable ASCII without blanks"),
        ("SLACK_BOT_TOKEN", "xoxb-\u00e9", "SLACK_BOT_TOKEN must be printable ASCII"),
        ("SLACK_APP_TOKEN", "xapp-1\n2", "SLACK_APP_TOKEN must be printable ASCII"),
    ],
)
def test_bad_values_name_the_setting(name: str, value: str, fragment: str) -> None:
    with pytest.raises(SettingsError, match=fragment):
        Settings.from_env({name: value}, env_file=None)


@pytest.mark.parametrize(
    "name",
    [
        "NEWSBRIEF_ALLOW_PRIVATE_URLS",
        "NEWSBRIEF_FETCH_TIMEOUT",
        "NEWSBRIEF_HTTP_PORT",
        "NEWSBRIEF_SUMMARIZER",
        "NEWSBRIEF_ENCODER",
        "NEWSBRIEF_ENCODER_PRECISION",
        "NEWSBRIEF_BROKER_URL",
        "DISCORD_SHARD_IDS",
    ],
)
def test_a_quote_left_open_in_env_names_the_setting_without_printing_the_lines_after_it(
    tmp_path: Path, name: str
) -> None:
    """python-dotenv runs a quote left open on over the lines after it, to the next quote that
    ends a line: the bad value then holds other settings, and the message quoted it whole,
    printing the token of the next line."""
    env = tmp_path / ".env"
    secret = "xoxb-1111-2222-secret"
    env.write_text(
        f'DISCORD_SHARD_COUNT=2\n{name}="1\nSLACK_BOT_TOKEN={secret}\nSLACK_SIGNING_SECRET=s"\n',
        encoding="utf-8",
    )
    with pytest.raises(SettingsError) as caught:
        Settings.from_env({}, env_file=env)
    assert name in str(caught.value)
    assert secret not in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_long_bad_value_is_described_by_its_size_not_printed() -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.from_env({"NEWSBRIEF_FETCH_TIMEOUT": "9x" * 50_000}, env_file=None)
    assert str(caught.value) == (
        "NEWSBRIEF_FETCH_TIMEOUT must be a number, not a value of 100,000 characters"
    )


def test_an_env_file_that_is_not_utf8_is_named_with_its_line(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_bytes(b"NEWSBRIEF_SUMMARIZER=lead\nNEWSBRIEF_USER_AGENT=caf\xe9\n")
    with pytest.raises(SettingsError, match=r"\.env is not UTF-8 text \(byte 0xe9 on line 2\)"):
        Settings.from_env({}, env_file=env)


def test_header_settings_of_printable_ascii_are_kept_as_given() -> None:
    settings = Settings.from_env(
        {
            "NEWSBRIEF_USER_AGENT": "Mozilla/5.0 (compatible; newsbrief/1.0; +https://x.example)",
            "DISCORD_TOKEN": "MTIz.abc-_def",
            "SLACK_BOT_TOKEN": "  xoxb-1-2  ",
        },
        env_file=None,
    )
    assert settings.user_agent == "Mozilla/5.0 (compatible; newsbrief/1.0; +https://x.example)"
    assert settings.discord_token == "MTIz.abc-_def"
    assert settings.slack_bot_token == "xoxb-1-2"


def test_the_default_database_is_in_the_users_data_folder_wherever_newsbrief_starts() -> None:
    xdg = Settings.from_env({"XDG_DATA_HOME": "/srv/data", "HOME": "/home/ann"}, env_file=None)
    assert xdg.database_url == "sqlite:////srv/data/newsbrief/newsbrief.db"
    home = Settings.from_env({"HOME": "/home/ann"}, env_file=None)
    assert home.database_url == "sqlite:////home/ann/.local/share/newsbrief/newsbrief.db"
    empty = Settings.from_env({"HOME": "/home/ann", "NEWSBRIEF_DATABASE_URL": ""}, env_file=None)
    assert empty.database_url == home.database_url
    given = {"HOME": "/home/ann", "NEWSBRIEF_DATABASE_URL": "postgresql://db/news"}
    assert Settings.from_env(given, env_file=None).database_url == "postgresql://db/news"


def test_env_example_lists_every_setting() -> None:
    example = (Path(__file__).resolve().parents[2] / ".env.example").read_text(encoding="utf-8")
    listed = {
        line.split("=", 1)[0]
        for line in example.splitlines()
        if "=" in line and not line.startswith("#")
    }
    assert listed == set(ENV_NAMES.values())
