"""The `newsbrief` command line, driven through `main()` with real parts underneath."""

from __future__ import annotations

import io
import json
import sys
import time
from pathlib import Path

import pytest

from summaries.ingest.jobs import passage_spans
from summaries.store import NewArticle, Store, vector_index
from tests.bot.cli_main import run_cli

ARTICLE = (
    "Harbour gates approved\n\n"
    "The town council of Westmere approved new harbour gates on Tuesday after a long debate "
    "about cost and the risk of winter storms flooding the old quay.\n\n"
    "The gates will cost 12 million and take three years to build, the council said, with most "
    "of the money coming from the regional government.\n\n"
    "Fishermen welcomed the decision but asked for the works to pause during the herring season "
    "so that boats can still reach the market.\n\n"
    "Work on the foundations is expected to begin in the spring once the final designs are "
    "signed off by the harbour board."
)


@pytest.fixture(autouse=True)
def lead_summaries(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, shared_models: None) -> None:
    """Keep CLI tests quick and independent of a developer's .env; model tests opt back in.

    The models the CLI makes are the session's, loaded once (`shared_models`).
    """
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NEWSBRIEF_SUMMARIZER", "lead")
    monkeypatch.setenv("NEWSBRIEF_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")


def test_summarize_jsonl_answers_every_line_and_survives_bad_ones() -> None:
    lines = "\n".join(
        [
            json.dumps({"id": "a", "text": ARTICLE}),
            "{not json",
            json.dumps({"id": "b"}),
            json.dumps({"id": "c", "text": ""}),
            json.dumps(["not", "an", "object"]),
            json.dumps({"id": 7, "text": "One short sentence only."}),
        ]
    )
    code, out = run_cli(["summarize", "--jsonl", "-"], stdin=lines)
    assert code == 0
    rows = [json.loads(line) for line in out]
    assert [r.get("id") for r in rows] == ["a", None, "b", "c", None, 7]
    assert rows[0]["summary"].startswith("The town council of Westmere")
    assert "invalid JSON" in rows[1]["error"]
    assert "text" in rows[2]["error"]
    assert "error" in rows[3]
    assert "object" in rows[4]["error"]
    assert rows[5]["summary"] == "One short sentence only."


def test_extract_jsonl_returns_text_and_metadata(tmp_path: Path) -> None:
    html = (
        "<html><head><title>Bridge closed</title>"
        "<meta property='article:published_time' content='2026-11-02T10:00:00+02:00'>"
        "<meta name='author' content='Ann Reed'></head><body><nav>Home | News | Sport</nav>"
        "<article><h1>Bridge closed</h1>"
        + "".join(f"<p>{p}</p>" for p in ARTICLE.split("\n\n")[1:])
        + "</article></body></html>"
    )
    src = tmp_path / "in.jsonl"
    src.write_text(
        json.dumps({"id": 1, "html": html})
        + "\n"
        + json.dumps({"id": 2, "html": "\x00\x01"})
        + "\n",
        encoding="utf-8",
    )
    code, out = run_cli(["extract", "--jsonl", str(src)])
    assert code == 0
    first, second = (json.loads(line) for line in out)
    assert first["id"] == 1 and first["title"] == "Bridge closed"
    assert "harbour gates" in first["text"] and "Home | News" not in first["text"]
    assert first["published"].startswith("2026-11-02T08:00")
    assert first["byline"] == "Ann Reed"
    assert second["id"] == 2 and second["error"]


def test_extract_jsonl_gives_the_lead_image_and_the_language(tmp_path: Path) -> None:
    body = "".join(f"<p>{p}</p>" for p in ARTICLE.split("\n\n")[1:])
    french = (
        "<p>Le conseil municipal de Westmere a approuvé mardi de nouvelles portes pour le port, "
        "après un long débat sur leur coût et sur le risque de voir les tempêtes d'hiver "
        "inonder le vieux quai.</p><p>Les travaux dureront trois ans et coûteront douze "
        "millions, selon le conseil, qui compte sur une aide de la région pour la plus grande "
        "partie de la somme.</p>"
    )

    def page(head: str, paragraphs: str) -> str:
        return (
            f"<html><head><title>Gates</title>{head}</head>"
            f"<body><article>{paragraphs}</article></body></html>"
        )

    lines = [
        {
            "id": "og",
            "url": "https://news.example/gates/1",
            "html": page("<meta property='og:image' content='/pictures/gates.jpg'>", body),
        },
        {
            "id": "private",
            "html": page("<meta property='og:image' content='http://192.168.0.9/gates.jpg'>", body),
        },
        {"id": "none", "html": page("", french)},
    ]
    code, out = run_cli(["extract", "--jsonl", "-"], stdin="\n".join(json.dumps(x) for x in lines))
    assert code == 0
    rows = {row["id"]: row for row in map(json.loads, out)}
    assert rows["og"]["image"] == "https://news.example/pictures/gates.jpg"
    assert rows["og"]["language"] == "en"
    assert rows["private"]["image"] is None
    assert (rows["none"]["image"], rows["none"]["language"]) == (None, "fr")
    for row in rows.values():  # the fields there were before, all still there
        assert {"title", "byline", "published", "site", "url", "text"} <= row.keys()


def test_ingest_jsonl_stores_dedupes_and_reports_errors(tmp_path: Path) -> None:
    lines = "\n".join(
        [
            json.dumps(
                {
                    "id": "x",
                    "text": ARTICLE,
                    "url": "https://news.example/a?utm_source=t",
                    "published": "2026-11-03T09:00:00Z",
                }
            ),
            json.dumps({"id": "y", "text": ARTICLE.replace("\n\n", "\n\n\n")}),
            json.dumps({"id": "z", "text": "Other news. " * 30, "published": "last tuesday"}),
            json.dumps(
                {
                    "id": "w",
                    "text": "A different story entirely. " * 20,
                    "url": "https://news.example/a",
                }
            ),
        ]
    )
    code, out = run_cli(["ingest", "--jsonl", "-"], stdin=lines)
    assert code == 0
    rows = {r["id"]: r for r in map(json.loads, out)}
    assert isinstance(rows["x"]["article_id"], int)
    assert rows["y"]["skipped"] and rows["y"]["article_id"] == rows["x"]["article_id"]
    assert "ISO 8601" in rows["z"]["error"]
    assert rows["w"]["skipped"]  # same canonical URL as x
    with Store(f"sqlite:///{tmp_path / 'cli.db'}") as store:
        assert store.count_articles() == 1
        (article,) = store.latest_articles(5)
        assert article.published is not None and article.published.hour == 9


def test_ingest_jsonl_line_with_only_a_url_stores_the_page_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.loopback import Route, serve

    monkeypatch.setenv("NEWSBRIEF_ALLOW_PRIVATE_URLS", "true")
    paragraphs = "".join(f"<p>{p}</p>" for p in ARTICLE.split("\n\n")[1:])
    page = "<html><head><title>Harbour gates approved</title></head><body><article>"
    page += f"<h1>Harbour gates</h1>{paragraphs}</article></body></html>"
    with serve() as site:
        site.routes["/gates"] = Route(page.encode())
        lines = [
            {"id": 1, "url": site.url("/gates")},
            {"id": 2, "url": site.url("/gates")},
            {"id": 3, "url": "file:///etc/passwd"},
        ]
        code, out = run_cli(["ingest", "--jsonl", "-"], stdin="\n".join(map(json.dumps, lines)))
    assert code == 0
    first, again, bad = map(json.loads, out)
    assert isinstance(first["article_id"], int)
    assert again["skipped"] and again["article_id"] == first["article_id"]
    assert site.hits["/gates"] == 1  # the second line found the stored article
    assert bad == {"id": 3, "error": '"url" must be an http(s) URL when there is no "text"'}
    with Store(f"sqlite:///{tmp_path / 'cli.db'}") as store:
        (article,) = store.latest_articles(5)
        assert "12 million" in article.text and article.url == site.url("/gates")


def test_reindex_embeds_the_sentences_stored_without_vectors_then_has_nothing_to_do(
    tmp_path: Path,
) -> None:
    with Store(f"sqlite:///{tmp_path / 'cli.db'}") as store:  # as an older version left it
        spans = passage_spans(ARTICLE)
        store.save_article(NewArticle(text=ARTICLE, sentence_spans=tuple(spans)))
    code, out = run_cli(["reindex"])
    assert code == 0 and out[0] == f"Embedded {len(spans)} stored sentences that had no vectors."
    if vector_index.available():
        assert out[1:] == [f"Vector index rebuilt: {len(spans)} sentence and 0 quote vectors."]
    code, out = run_cli(["reindex"])
    assert code == 0 and out[0] == "Nothing to reindex: every stored sentence has its vector."


def test_digest_lists_stored_stories_newest_first(tmp_path: Path) -> None:
    other = ARTICLE.replace("Westmere", "Eastwick").replace("Harbour gates", "Eastwick gates")
    ingest = "\n".join(
        [
            json.dumps({"id": 1, "text": ARTICLE, "published": "2026-11-01T08:00:00+00:00"}),
            json.dumps({"id": 2, "text": other, "published": "2026-11-02T08:00:00+00:00"}),
        ]
    )
    assert run_cli(["ingest", "--jsonl", "-"], stdin=ingest)[0] == 0
    code, out = run_cli(["digest", "--json"])
    assert code == 0
    stories = json.loads("\n".join(out))
    assert [s["title"] for s in stories] == ["Eastwick gates approved", "Harbour gates approved"]
    code, text = run_cli(["digest"])
    assert any("Eastwick gates approved" in line for line in text)


def test_digest_of_an_empty_store_says_so() -> None:
    code, out = run_cli(["digest"])
    assert code == 0 and "No stories" in out[0]


def test_global_db_option_overrides_the_setting(tmp_path: Path) -> None:
    db = tmp_path / "other.db"
    run_cli(
        ["--db", f"sqlite:///{db}", "ingest", "--jsonl", "-"],
        stdin=json.dumps({"id": 1, "text": ARTICLE}),
    )
    assert db.exists()
    with Store(f"sqlite:///{db}") as store:
        assert store.count_articles() == 1


def test_ingest_of_a_missing_file_fails_with_exit_status_1(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out = run_cli(["ingest", "does/not/exist.html"])
    assert code == 1
    assert any("no such file" in line for line in out)


def test_ingest_of_dash_stores_what_is_piped_and_refuses_binary_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(ARTICLE.encode())))
    code, out = run_cli(["ingest", "-"])
    assert code == 0
    assert any(line.startswith("stored") for line in out), out
    with Store(f"sqlite:///{tmp_path / 'cli.db'}") as store:
        assert store.count_articles() == 1
        (article,) = store.latest_articles(5)
        assert ARTICLE.split()[3] in article.text
    png = b"\x89PNG\r\n\x1a\n" + bytes(200)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(png)))
    code, _ = run_cli(["ingest", "-"])
    assert code == 2
    assert "-: it is" in capsys.readouterr().err
    with Store(f"sqlite:///{tmp_path / 'cli.db'}") as store:
        assert store.count_articles() == 1


def test_bad_setting_is_reported_not_raised(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEWSBRIEF_FETCH_TIMEOUT", "soon")
    code, _ = run_cli(["digest"])
    assert code == 2
    assert "NEWSBRIEF_FETCH_TIMEOUT" in capsys.readouterr().err


@pytest.mark.model
def test_demo_runs_offline_with_the_default_summariser_and_keeps_its_library_if_asked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("NEWSBRIEF_SUMMARIZER")
    code, out = run_cli(["demo", "--keep"])
    text = "\n".join(out)
    assert code == 0
    assert text.count("stored  #") == 4
    assert "Armenia and Azerbaijan are ready for peace: Blinken" in text
    assert "4 skipped as duplicates" in text
    assert "Newsbrief digest: 4 stories" in text
    # it ends by asking its own articles who said what, then says what to do next
    whosaid = text.split("$ newsbrief whosaid", 1)[1].split("$ newsbrief ask", 1)
    assert "Antony Blinken" in whosaid[0] and "no military solution" in whosaid[0]
    assert "Ines Okafor" in whosaid[1]
    assert "newsbrief ingest" in text and "newsbrief chat" in text
    # kept: the library is there for the commands the demo showed
    code, found = run_cli(["whosaid", "no military solution"])
    assert code == 0 and any("Antony Blinken" in line for line in found)


def test_schedule_lists_suggestion_works_as_printed_and_says_where_ids_are() -> None:
    code, out = run_cli(["schedule", "list"])
    assert code == 0
    text = "\n".join(out).replace("\\\n", "")
    assert "Copy ID" in text and "app.slack.com/client/" in text
    suggested = next(line for line in text.splitlines() if "newsbrief schedule add" in line)
    argv = suggested.strip().split()[1:]
    assert run_cli(argv)[0] == 0
    code, listed = run_cli(["schedule", "list"])
    assert code == 0 and "08:00 Europe/Paris" in listed[0]


def test_an_undated_article_shows_no_date_and_ask_and_digest_json_agree() -> None:
    pasted = json.dumps({"id": 1, "text": ARTICLE})  # no "published"
    assert run_cli(["ingest", "--jsonl", "-"], stdin=pasted)[0] == 0
    _, digest = run_cli(["digest", "--json"])
    (story,) = json.loads("\n".join(digest))
    assert story["published"] is None
    _, asked = run_cli(["ask", "--json", "--words-only", "news about the harbour gates"])
    answer = json.loads(asked[0])
    assert answer["citations"]
    assert all(c["published"] is None for c in answer["citations"])


def test_pasted_text_without_a_title_is_named_by_its_first_words() -> None:
    text = "Ferry fares on the Westmere crossing will rise in spring, the operator said today."
    code, out = run_cli(["ingest", text])
    assert code == 0
    assert out == ["stored  #1  Ferry fares on the Westmere crossing will rise…"]
    code, digest = run_cli(["digest"])
    assert "1. Ferry fares on the Westmere crossing will rise…" in digest
    assert "Newsbrief digest: 1 story" in digest


SAMPLES = Path(__file__).resolve().parents[2] / "bot" / "samples"
SEED = SAMPLES / "armenia-azerbaijan-blinken.txt"


def test_quotes_jsonl_gives_spans_into_the_text_and_survives_bad_lines() -> None:
    text = 'The mayor spoke on Monday. "We will build the barrier," Mayor Ines Okafor said.'
    lines = "\n".join(
        [
            json.dumps({"id": "a", "text": text}),
            json.dumps({"id": "b", "text": 5}),
            "oops",
            json.dumps({"id": "c", "text": "No quotes in here at all."}),
        ]
    )
    code, out = run_cli(["quotes", "--jsonl", "-"], stdin=lines)
    assert code == 0
    a, b, bad, c = (json.loads(line) for line in out)
    (quote,) = a["quotes"]
    assert quote["speaker"] == "Ines Okafor" and quote["cue"] == "said"
    assert quote["indirect"] is False
    (start, end), *_ = quote["spans"]
    assert text[start:end] == "We will build the barrier,"
    assert "must be a string" in b["error"] and "invalid JSON" in bad["error"]
    assert c == {"id": "c", "quotes": []}


def test_quotes_of_the_seed_article_are_all_blinkens() -> None:
    code, out = run_cli(["quotes", str(SEED), "--json"])
    assert code == 0
    found = json.loads("\n".join(out))
    assert len(found) == 4
    assert {q["speaker"] for q in found} == {"Antony Blinken"}


@pytest.mark.model
def test_whosaid_and_quotes_by_answer_from_the_store_with_citations(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert run_cli(["ingest", str(SEED), str(SAMPLES / "port-alder-flood-barrier.txt")])[0] == 0
    code, out = run_cli(["whosaid", "there is no military solution", "--json"])
    assert code == 0
    best = json.loads("\n".join(out))[0]
    assert best["speaker"] == "Antony Blinken"
    assert "There is no military solution" in best["quote"]
    assert best["title"] == "Armenia and Azerbaijan are ready for peace: Blinken"
    code, shown = run_cli(["whosaid", "there is no military solution"])
    assert code == 0 and shown[0].startswith("Antony Blinken (U.S. Secretary of State)")
    assert "There is no military solution" in shown[1]
    # the seed gives no date: none is shown (not the day it was ingested)
    assert shown[2] == "  — Armenia and Azerbaijan are ready for peace: Blinken · pasted text"
    code, text = run_cli(["whosaid", "unicorns run the budget office"])
    assert code == 0 and text[0].startswith("I found nothing")
    code, out = run_cli(["quotes", "--by", "blinken", "--about", "Russia", "--json"])
    (russia,) = json.loads("\n".join(out))
    assert russia["quote"].startswith("Whether Russia tries")
    code, out = run_cli(["quotes", "--by", "Mayor Okafor", "--json"])
    assert {q["speaker"] for q in json.loads("\n".join(out))} == {"Ines Okafor"}


def test_the_operator_reads_every_library_and_tenant_reads_one() -> None:
    assert run_cli(["ingest", str(SEED), "--tenant", "slack:TA"])[0] == 0
    assert run_cli(["ingest", str(SAMPLES / "port-alder-flood-barrier.txt")])[0] == 0
    for argv, found in (
        (["whosaid", "there is no military solution", "--json"], True),  # the operator's
        (["whosaid", "there is no military solution", "--json", "--tenant", "slack:TA"], True),
        (["whosaid", "there is no military solution", "--json", "--tenant", "slack:TB"], False),
        (["quotes", "--by", "Okafor", "--json", "--tenant", "slack:TA"], False),
        (["quotes", "--by", "Okafor", "--json"], True),
        (
            ["ask", "who said there is no military solution?", "--json", "--tenant", "discord:TA"],
            False,
        ),
    ):
        code, out = run_cli(argv)
        rows = json.loads("\n".join(out))
        assert code == 0 and bool(rows.get("found") if isinstance(rows, dict) else rows) is found
    with pytest.raises(SystemExit) as usage:  # no platform: a usage error
        run_cli(["ask", "why?", "--tenant", "TA"])
    assert usage.value.code == 2


def test_whosaid_keeps_its_json_fields_and_shows_the_reporters_words_around_a_quote() -> None:
    toll = (
        "Toll fight goes on\n\n"
        "Mayor Ann Reed likened the new road toll to a \u201ctax on breathing\u201d in a speech "
        "about commuters who drive in from the valley every morning."
    )
    assert run_cli(["ingest", "--jsonl", "-"], stdin=json.dumps({"id": 1, "text": toll}))[0] == 0
    code, out = run_cli(["whosaid", "tax on breathing", "--words-only", "--json"])
    (row,) = json.loads(out[0])
    assert code == 0 and (row["speaker"], row["quote"]) == ("Ann Reed", "tax on breathing")
    assert set(row) == {
        "quote", "speaker", "speaker_title", "speaker_mention", "cue", "indirect",
        "article_id", "title", "url", "published", "score",
    }  # fmt: skip
    assert row["score"] == 1.0 and row["indirect"] is False
    code, out = run_cli(
        ["whosaid", "commuters who drive in from the valley", "--words-only", "--json"]
    )
    (around,) = json.loads(out[0])
    assert around["quote"] == "tax on breathing"
    assert "commuters who drive in from the valley" in around["context"]
    code, shown = run_cli(["whosaid", "commuters who drive in from the valley", "--words-only"])
    assert shown[0].startswith("No one is quoted saying exactly that")
    assert shown[1].startswith("Ann Reed") and shown[2] == "  “tax on breathing”"
    assert shown[3].startswith("  in the article: ") and "commuters" in shown[3]
    code, nothing = run_cli(["whosaid", "unicorns run the budget office", "--words-only", "--json"])
    assert code == 0 and json.loads(nothing[0]) == []


def test_run_without_any_platform_credentials_says_what_to_set(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "DISCORD_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    code, _ = run_cli(["run"])
    assert code == 2
    err = capsys.readouterr().err
    assert "SLACK_BOT_TOKEN" in err and "DISCORD_TOKEN" in err and "newsbrief chat" in err


def test_chat_console_answers_commands_and_questions() -> None:
    ingest = json.dumps({"id": 1, "text": SEED.read_text(encoding="utf-8")})
    assert run_cli(["ingest", "--jsonl", "-"], stdin=ingest)[0] == 0
    session = (
        "/brief whosaid no military solution\nhow are you\n/brief frobnicate\n/brief quotes\nquit\n"
    )
    code, out = run_cli(["chat"], stdin=session)
    text = "\n".join(out)
    assert code == 0
    assert "Antony Blinken said it:" in text
    assert "There is no military solution" in text
    assert "I found nothing on that" in text
    assert "I don't know the command" in text
    # Hints name commands as the console takes them: typed bare, not after `/brief`.
    assert "Try `help`." in text
    assert "Whose quotes? `quotes Blinken about Russia`" in text
    assert "/brief" not in text


# --- hostile input ---------------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n" * 40


@pytest.mark.parametrize("command", ["extract", "summarize", "quotes"])
def test_a_picture_or_a_pdf_given_as_an_article_is_refused_by_name(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "photo.png").write_bytes(PNG)
    (tmp_path / "report.pdf").write_bytes(PDF)

    for name, kind in (("photo.png", "a PNG image"), ("report.pdf", "a PDF document")):
        code, out = run_cli([command, name])

        assert (code, out) == (2, [])
        err = capsys.readouterr().err.strip()
        assert err == f"newsbrief: cannot read {name}: it is {kind}, not text, HTML or a feed"


def test_an_endless_file_is_read_only_up_to_the_cap(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run_cli(["extract", "/dev/zero"])

    assert (code, out) == (2, [])
    assert capsys.readouterr().err.strip() == (
        "newsbrief: cannot read /dev/zero: file larger than 20 MB"
    )


def test_ingest_of_pictures_folders_and_devices_fails_by_name_and_stores_nothing(
    tmp_path: Path,
) -> None:
    (tmp_path / "photo.png").write_bytes(PNG)
    (tmp_path / "notes").mkdir()

    code, out = run_cli(["ingest", "photo.png", "notes", "/dev/null"])

    assert code == 1
    assert out == [
        "failed  photo.png: not a text, HTML or feed file: it is a PNG image",
        "failed  notes: notes is a folder, not a file",
        "failed  /dev/null: /dev/null is not a regular file (a device, a pipe or a socket)",
    ]
    assert run_cli(["digest"])[1][0].startswith("No stories stored yet.")


def test_jsonl_lines_that_never_end_or_nest_too_deeply_are_answered_and_the_rest_go_on(
    tmp_path: Path,
) -> None:
    batch = tmp_path / "batch.jsonl"
    batch.write_text(
        "[" * 100_000
        + "\n"
        + '{"id": '
        + "9" * 5000
        + ', "text": "One short sentence only."}\n'
        + json.dumps({"id": "b", "text": "Another short sentence."})
        + "\n"
    )

    code, out = run_cli(["summarize", "--jsonl", str(batch)])

    assert code == 0
    deep, huge, fine = (json.loads(line) for line in out)
    assert deep == {"id": None, "error": "line 1: invalid JSON (nested too deeply)"}
    assert huge == {"id": "9" * 5000, "summary": "One short sentence only."}
    assert fine == {"id": "b", "summary": "Another short sentence."}

    started = time.monotonic()
    code, out = run_cli(["summarize", "--jsonl", "/dev/zero"])
    assert code == 0
    assert [json.loads(line) for line in out] == [
        {"id": None, "error": "line 1: longer than 20,000,000 characters"}
    ]
    assert time.monotonic() - started < 30


def test_chat_refuses_a_line_too_long_to_read_and_answers_the_next() -> None:
    session = "x" * 1_500_000 + "\n\u202e\u200b\n/brief help\n" + "y" * 3_000_000
    started = time.monotonic()
    code, out = run_cli(["chat"], stdin=session)

    assert code == 0
    text = "\n".join(out)
    assert text.count("That line is too long; keep it under 4,000 characters.") == 2
    assert "Newsbrief: type a command, or a question." in text
    assert time.monotonic() - started < 10


def test_chat_refuses_a_10_megabyte_line_and_goes_on_with_the_next() -> None:
    """The line limit stopped reading after twice its length: a 10 MB line piped in ended the
    session, and the lines after it were never read. Its rest is now read and dropped."""
    session = "z" * 10_000_000 + "\n/brief help\n" + "w" * 4_000_000 + "\nquit\n/brief help\n"
    code, out = run_cli(["chat"], stdin=session)

    assert code == 0
    text = "\n".join(out)
    assert text.count("That line is too long; keep it under 4,000 characters.") == 2
    # the help after quit is not read
    assert text.count("Newsbrief: type a command, or a question.") == 1
    assert "zzz" not in text and "www" not in text


@pytest.mark.parametrize(
    "argv",
    [
        ["digest", "--limit", "-1"],  # SQLite read it as no limit: the whole library
        ["digest", "--limit", "0"],
        ["digest", "--limit", "99999999999999999999"],  # OverflowError from SQLite
        ["quotes", "--by", "Blinken", "--limit", "99999999999999999999"],
        ["whosaid", "there is no military solution", "--limit", "0"],  # IndexError
        ["whosaid", "there is no military solution", "--limit", "-1"],
        ["whosaid", "there is no military solution", "--limit", "1" * 5000],  # past int()'s digits
        ["worker", "--concurrency", "100000"],  # as many processes, each loading the models
        ["discord", "invite", "--client-id", "-1"],
    ],
)
def test_counts_out_of_range_are_usage_errors_naming_the_range(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_cli(["ingest", str(SEED)])[0] == 0
    capsys.readouterr()
    with pytest.raises(SystemExit) as usage:
        run_cli(argv)
    assert usage.value.code == 2
    error = capsys.readouterr().err.strip().splitlines()[-1]
    assert "is not from 1 to" in error or "is not a whole number" in error
    assert len(error) < 200


def test_counts_within_range_are_read() -> None:
    assert run_cli(["ingest", str(SEED), str(SAMPLES / "port-alder-flood-barrier.txt")])[0] == 0
    code, out = run_cli(["digest", "--limit", "1", "--json"])
    assert code == 0 and len(json.loads("\n".join(out))) == 1
    code, out = run_cli(["whosaid", "there is no military solution", "--limit", "1000", "--json"])
    assert code == 0 and json.loads("\n".join(out))[0]["speaker"] == "Antony Blinken"
    code, out = run_cli(["discord", "invite", "--client-id", "123"])
    assert code == 0 and "client_id=123&" in out[0]


@pytest.mark.parametrize("since", ["not a date", "99999-01-01", "2024-02-30", "9" * 5000])
def test_a_since_that_is_no_date_is_a_usage_error(
    since: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as usage:
        run_cli(["digest", "--since", since])
    assert usage.value.code == 2  # it was exit 1, as if the command had failed
    error = capsys.readouterr().err.strip().splitlines()[-1]
    assert "argument --since: not an ISO 8601 date" in error and len(error) < 300


def test_digest_since_keeps_the_stories_published_after_it() -> None:
    assert run_cli(["ingest", str(SAMPLES / "port-alder-flood-barrier.txt")])[0] == 0
    assert run_cli(["digest", "--since", "2000-01-01", "--json"])[0] == 0
    code, out = run_cli(["digest", "--since", "2999-01-01T00:00:00Z", "--json"])
    assert code == 0 and json.loads("\n".join(out)) == []
