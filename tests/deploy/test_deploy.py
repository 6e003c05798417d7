"""deploy/: the Slack manifest, the Discord invite, the image, compose and systemd files agree
with the code — scopes and events with what the adapters call, commands, users, ports and the
health check with the settings. (No Docker here: the files are parsed and checked.)"""

from __future__ import annotations

import ast
import configparser
import json
import re
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from bot import health, slack_adapter
from bot.cli.deploy import manifest_text
from bot.commands import REGISTRY
from bot.discord_adapter import application_id, intents, invite_url
from bot.settings import ENV_NAMES, Settings, data_dir

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
HTTP_URL = "https://newsbrief.example.org/slack/events"


# -- Slack ----------------------------------------------------------------------------------------
def client_calls() -> set[str]:
    """The Web API methods the Slack adapter calls, as `self.client.<method>(…)`, read from its
    source."""
    tree = ast.parse(Path(slack_adapter.__file__).read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            if (
                isinstance(owner, ast.Attribute)
                and owner.attr == "client"
                and isinstance(owner.value, ast.Name)
                and owner.value.id == "self"
            ):
                found.add(node.func.attr)
    return found


@pytest.mark.parametrize(
    ("name", "request_url"), [("slack-manifest.yaml", None), ("slack-manifest-http.yaml", HTTP_URL)]
)
def test_the_slack_manifests_are_what_the_adapter_needs_and_up_to_date(
    name: str, request_url: str | None
) -> None:
    text = (DEPLOY / name).read_text(encoding="utf-8")
    assert text == manifest_text(request_url), f"regenerate: newsbrief slack manifest > {name}"
    manifest: dict[str, Any] = yaml.safe_load(text)

    calls = client_calls()
    assert {"chat_postMessage", "users_info", "conversations_info"} <= calls  # the reading works
    app_token_calls = {"apps_connections_open"}
    undeclared = calls - slack_adapter.API_SCOPES.keys() - app_token_calls
    assert not undeclared, f"declare the scopes of {undeclared} in API_SCOPES"
    needed = {
        scope
        for method in calls & slack_adapter.API_SCOPES.keys()
        for scope in slack_adapter.API_SCOPES[method]
    }
    needed |= {"commands", *slack_adapter.EVENTS.values()}
    granted = set(manifest["oauth_config"]["scopes"]["bot"])
    assert needed <= granted
    assert {"groups:read", "chat:write", "app_mentions:read"} <= granted

    settings = manifest["settings"]
    assert settings["event_subscriptions"]["bot_events"] == list(slack_adapter.EVENTS)
    (command,) = manifest["features"]["slash_commands"]
    assert command["command"] == slack_adapter.SLASH_COMMAND
    hint = command["usage_hint"]
    assert all(re.search(rf"\b{c.name}\b", hint) for c in REGISTRY)  # Slack's help: the registry
    assert len(hint) <= 1000 and len(command["description"]) <= 2000

    if request_url is None:
        assert settings["socket_mode_enabled"] is True
        assert "request_url" not in settings["event_subscriptions"]
        for scope in slack_adapter.APP_TOKEN_SCOPES:  # the app-level token's, said in the header
            assert scope in text.split("_metadata")[0]
        assert "connections:write" in slack_adapter.APP_TOKEN_SCOPES
    else:
        assert settings["socket_mode_enabled"] is False
        assert settings["event_subscriptions"]["request_url"] == request_url
        assert command["url"] == request_url
        assert urlsplit(request_url).path == slack_adapter.EVENTS_PATH


def test_the_manifest_command_refuses_a_plain_http_url(tmp_path: Path) -> None:
    from bot.cli import main

    assert main(["slack", "manifest", "--http", "http://example.org/slack/events"]) == 2


# -- Discord --------------------------------------------------------------------------------------
def test_the_discord_invite_asks_exactly_the_permissions_and_scopes_the_bot_needs() -> None:
    query = parse_qs(urlsplit(invite_url(123456789012345678)).query)
    assert query["client_id"] == ["123456789012345678"]
    view_channel, send, embed, history = 1 << 10, 1 << 11, 1 << 14, 1 << 16
    assert int(query["permissions"][0]) == view_channel | send | embed | history
    assert query["scope"][0].split() == ["bot", "applications.commands"]
    assert intents().message_content  # which the invite's output tells to turn on


def test_discord_invite_reads_the_application_id_from_the_token() -> None:
    import base64

    head = base64.b64encode(b"987654321098765432").decode().rstrip("=")
    assert application_id(f"{head}.Gx1234.abcdef") == 987654321098765432
    assert application_id("not-a-token") is None


def test_discord_invite_command_prints_the_url_and_the_intent_to_turn_on(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from bot.cli import main

    assert main(["discord", "invite", "--client-id", "42"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("https://discord.com/oauth2/authorize?client_id=42&")
    assert "View Channel, Send Messages, Embed Links, Read Message History" in out
    assert "Message Content intent" in out


# -- the image ------------------------------------------------------------------------------------
def dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of deploy/Dockerfile, continuation lines joined."""
    joined = re.sub(r"\\\n", " ", (DEPLOY / "Dockerfile").read_text(encoding="utf-8"))
    out = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def docker_env() -> dict[str, str]:
    env: dict[str, str] = {}
    for word, rest in dockerfile():
        if word == "ENV":
            env.update(dict(pair.split("=", 1) for pair in shlex.split(rest)))
    return env


def test_the_image_runs_the_bot_as_a_user_with_the_settings_it_checks() -> None:
    steps = dockerfile()
    words = [w for w, _ in steps]
    env = docker_env()
    settings = Settings.from_env(env, env_file=None)  # the image's settings are valid ones
    unknown = {k for k in env if k.startswith("NEWSBRIEF_")} - set(ENV_NAMES.values())
    assert not unknown

    user = [rest for w, rest in steps if w == "USER"][-1]
    assert user.split(":")[0] not in {"root", "0"}
    entry = json.loads(next(rest for w, rest in steps if w == "ENTRYPOINT"))
    cmd = json.loads(next(rest for w, rest in steps if w == "CMD"))
    assert entry + cmd == ["newsbrief", "run"]
    assert words.index("USER") < words.index("ENTRYPOINT")

    port = settings.http_port
    exposed = [int(p.split("/")[0]) for w, rest in steps if w == "EXPOSE" for p in rest.split()]
    assert exposed == [port]
    assert settings.http_host == "0.0.0.0"  # reachable through the container's port
    check = next(rest for w, rest in steps if w == "HEALTHCHECK")
    assert f"127.0.0.1:{port}{health.PATH}" in check

    installs = " ".join(rest for w, rest in steps if w == "RUN" and "pip install" in rest)
    assert "--extra-index-url https://download.pytorch.org/whl/cpu" in installs
    assert settings.database_url.startswith("sqlite:////data/")
    assert any(w == "VOLUME" and "/data" in rest for w, rest in steps)
    assert {"HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"} <= env.keys()  # models from the image
    for w, rest in steps:
        if w == "COPY":
            *sources, _ = rest.split()
            assert all((ROOT / src).exists() for src in sources)


@pytest.mark.skipif(shutil.which("hadolint") is None, reason="hadolint is not installed")
def test_the_dockerfile_passes_hadolint() -> None:
    done = subprocess.run(
        ["hadolint", "--no-color", str(DEPLOY / "Dockerfile")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr


# -- compose --------------------------------------------------------------------------------------
def interpolate(value: str) -> str:
    """Compose's `${NAME:-default}`, with no variable set."""
    return re.sub(r"\$\{[A-Z_]+:-([^}]*)\}", r"\1", value)


def test_compose_runs_the_image_against_its_postgresql_with_a_volume() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    bot, db = compose["services"]["newsbrief"], compose["services"]["db"]

    build = bot["build"]
    assert (DEPLOY / build["context"] / build["dockerfile"]).resolve() == DEPLOY / "Dockerfile"
    env = {k: interpolate(str(v)) for k, v in bot["environment"].items()}
    assert set(env) <= set(ENV_NAMES.values())
    settings = Settings.from_env(env, env_file=None)
    url = urlsplit(settings.database_url)
    assert url.scheme == "postgresql" and url.hostname == "db" and url.port == 5432
    db_env = {k: interpolate(str(v)) for k, v in db["environment"].items()}
    assert url.username == db_env["POSTGRES_USER"] and url.password == db_env["POSTGRES_PASSWORD"]
    assert url.path.lstrip("/") == db_env["POSTGRES_DB"]

    assert bot["depends_on"]["db"]["condition"] == "service_healthy" and "healthcheck" in db
    volume, _, mount = db["volumes"][0].partition(":")
    assert volume in compose["volumes"] and mount == "/var/lib/postgresql/data"
    (published,) = bot["ports"]
    assert (
        published.rsplit(":", 1)[1]
        == str(settings.http_port)
        == docker_env()["NEWSBRIEF_HTTP_PORT"]
    )
    assert published.startswith("127.0.0.1:")  # only this machine (a TLS proxy) reaches it


# -- systemd --------------------------------------------------------------------------------------
def test_the_systemd_unit_runs_the_bot_unprivileged_and_keeps_its_data_in_its_state_folder() -> (
    None
):
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str  # type: ignore[assignment,method-assign]
    unit.read(DEPLOY / "newsbrief.service", encoding="utf-8")
    service = unit["Service"]
    program, *arguments = service["ExecStart"].split()
    assert Path(program).name == "newsbrief" and arguments == ["run"]
    assert service["User"] not in {"root", "0"}
    assert service["Restart"] in {"on-failure", "always"}
    assert "network-online.target" in unit["Unit"]["After"]
    env = dict(pair.split("=", 1) for pair in shlex.split(service["Environment"]))
    state = Path("/var/lib") / service["StateDirectory"]
    assert data_dir(env) == state  # the default database lands in the folder systemd makes
    assert unit["Install"]["WantedBy"] == "multi-user.target"


def test_compose_scale_runs_bots_and_workers_on_one_postgresql_and_redis() -> None:
    """deploy/compose.scale.yaml: PostgreSQL, Redis, N bot processes (Slack), M workers, and a
    service per Discord shard, all from the image built with Celery, on one database and one
    broker. (`docker compose config` checks it too where compose is installed.)"""
    from bot.cli import build_parser

    compose = yaml.safe_load((DEPLOY / "compose.scale.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    db, redis = services["db"], services["redis"]
    ours = {name: s for name, s in services.items() if name not in {"db", "redis"}}
    assert {"bot", "worker", "discord-shard-0", "discord-shard-1"} <= set(ours)

    db_env = {k: interpolate(str(v)) for k, v in db["environment"].items()}
    settings_of = {}
    for name, service in ours.items():
        build = service["build"]
        assert (DEPLOY / build["context"] / build["dockerfile"]).resolve() == DEPLOY / "Dockerfile"
        assert build["args"]["EXTRAS"] == "[onnx,workers]"  # Celery in the image, ONNX encoder
        for needed in ("db", "redis"):
            assert service["depends_on"][needed]["condition"] == "service_healthy"
        env = {k: interpolate(str(v)) for k, v in service["environment"].items()}
        assert set(env) <= set(ENV_NAMES.values())
        settings = Settings.from_env(env, env_file=None)
        settings_of[name] = settings
        url = urlsplit(settings.database_url)
        assert (url.scheme, url.hostname, url.port) == ("postgresql", "db", 5432)
        assert url.username == db_env["POSTGRES_USER"]
        assert url.password == db_env["POSTGRES_PASSWORD"]
        assert url.path.lstrip("/") == db_env["POSTGRES_DB"]
        broker = urlsplit(settings.broker_url)
        assert (broker.scheme, broker.hostname, broker.port) == ("redis", "redis", 6379)
        args = build_parser().parse_args(service["command"])
        assert args.command in {"run", "worker"}, service["command"]

    assert "healthcheck" in db and "healthcheck" in redis
    assert any(v.endswith(":/data") for v in redis["volumes"])  # queued jobs kept on disk
    assert set(compose["volumes"]) >= {"pgdata", "redisdata"}

    bot, worker = ours["bot"], ours["worker"]
    assert bot["command"] == ["run"] and bot["deploy"]["replicas"] >= 2
    assert worker["command"][0] == "worker" and worker["deploy"]["replicas"] >= 2
    assert worker["healthcheck"]["disable"] is True  # the image's check asks /healthz of `run`
    assert bot["environment"]["DISCORD_TOKEN"] == ""  # Discord is the shards' alone
    (published,) = bot["ports"]
    host, _, container = published.rpartition(":")
    assert host.startswith("127.0.0.1:") and "-" in host  # a port per replica, this machine only
    assert container == str(settings_of["bot"].http_port)

    shards = {n: s for n, s in settings_of.items() if n.startswith("discord-shard-")}
    counts = {s.discord_shard_count for s in shards.values()}
    assert len(counts) == 1  # every shard process says the same count
    served = sorted(i for s in shards.values() for i in s.shard_ids() or [])
    assert served == list(range(counts.pop()))  # together they serve each shard once
    for name in shards:
        assert ours[name]["environment"]["SLACK_BOT_TOKEN"] == ""  # Slack is `bot`'s alone
        assert ours[name]["profiles"] == ["discord"]

    steps = dockerfile()
    assert any(w == "ARG" and rest.startswith("EXTRAS=") for w, rest in steps)
    installs = " ".join(rest for w, rest in steps if w == "RUN" and "pip install" in rest)
    assert '"./${EXTRAS}"' in installs


@pytest.mark.skipif(
    shutil.which("docker") is None
    or subprocess.run(["docker", "compose", "version"], capture_output=True).returncode != 0,
    reason="docker compose is not installed",
)
def test_docker_compose_accepts_the_scale_file() -> None:
    done = subprocess.run(
        ["docker", "compose", "-f", str(DEPLOY / "compose.scale.yaml"), "config", "--quiet"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
