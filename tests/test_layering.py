"""The layers hold: imports are read from the source (with `ast`) of every module.

- only the store (`summaries/store/`) speaks SQL: it alone imports sqlalchemy or alembic;
- the news core (`summaries/`) never imports the chat side (`bot`), nor APScheduler;
- only the platform adapters (`bot/slack_*.py`, `bot/discord_*.py`) import a chat SDK, or
  aiohttp (the Slack adapter's HTTP server, and discord.py's transport);
- only the job queue (`bot/queue.py`) imports Celery.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("summaries", "bot")
SQL = frozenset({"sqlalchemy", "alembic"})
CHAT = frozenset({"slack_bolt", "slack_sdk", "discord", "aiohttp"})
QUEUE = frozenset({"celery", "kombu"})


def imports(path: Path, module: str) -> Iterator[str]:
    """The absolute names of the modules `path` (module `module`) imports, anywhere in it."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolved against the importing module's package
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                yield ".".join([*base, node.module] if node.module else base)
            else:
                yield node.module or ""


def modules(root: Path) -> Iterator[tuple[str, Path]]:
    """Every module of the packages under `root`: dotted name and path."""
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            yield ".".join(parts[:-1] if parts[-1] == "__init__" else parts), path


def violations(root: Path) -> list[str]:
    """Each import that breaks a layering rule, as "module imports name: why"."""
    found = []
    for module, path in modules(root):
        file = path.relative_to(root).as_posix()
        in_store = file.startswith("summaries/store/")
        in_core = file.startswith("summaries/")
        adapter = file.startswith(("bot/slack_", "bot/discord_"))
        for name in imports(path, module):
            top = name.split(".")[0]
            if top in SQL and not in_store:
                found.append(f"{module} imports {name}: only summaries.store speaks SQL")
            if top == "bot" and in_core:
                found.append(f"{module} imports {name}: the core never imports the bot")
            if top == "apscheduler" and in_core:
                found.append(f"{module} imports {name}: scheduling is the bot's")
            if top in CHAT and not adapter:
                found.append(f"{module} imports {name}: only the platform adapters do")
            if top in QUEUE and file != "bot/queue.py":
                found.append(f"{module} imports {name}: only bot.queue speaks to the broker")
    return found


def test_the_project_keeps_its_layers() -> None:
    walked = {module for module, _ in modules(REPO)}
    assert {"summaries.store.engine", "bot.scheduler", "bot.slack_adapter"} <= walked
    assert violations(REPO) == []


def test_each_rule_catches_a_module_that_breaks_it(tmp_path: Path) -> None:
    sources = {
        "summaries/__init__.py": "",
        "summaries/answers/__init__.py": "",
        "summaries/answers/digest.py": "import sqlalchemy as sa\nfrom bot.replies import Reply\n",
        "summaries/answers/later.py": "def f():\n    from apscheduler import x\n",
        "summaries/store/__init__.py": "from sqlalchemy import select\nfrom alembic import op\n",
        "summaries/store/relative.py": "from ...bot import replies\n",
        "bot/__init__.py": "",
        "bot/scheduler.py": "from sqlalchemy.dialects import sqlite\nimport discord\n",
        "bot/replies.py": "from slack_sdk import WebClient\n",
        "bot/slack_adapter.py": "from slack_bolt import App\nfrom aiohttp import web\n",
        "bot/discord_render.py": "import discord\n",
        "bot/queue.py": "from celery import Celery\n",
        "bot/cli/__init__.py": "",
        "bot/cli/worker.py": "from kombu import Connection\n",
    }
    for name, text in sources.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)

    found = violations(tmp_path)

    assert sorted(found) == [
        "bot.cli.worker imports kombu: only bot.queue speaks to the broker",
        "bot.replies imports slack_sdk: only the platform adapters do",
        "bot.scheduler imports discord: only the platform adapters do",
        "bot.scheduler imports sqlalchemy.dialects: only summaries.store speaks SQL",
        "summaries.answers.digest imports bot.replies: the core never imports the bot",
        "summaries.answers.digest imports sqlalchemy: only summaries.store speaks SQL",
        "summaries.answers.later imports apscheduler: scheduling is the bot's",
        "summaries.store.relative imports bot: the core never imports the bot",
    ]
