"""Articles' lead image and language in the store: saved, read back, counted per library, and
added by migration 0009 to a database of the version before."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from summaries.store import NewArticle, Store, Tenant
from summaries.store.engine import engine_for, migrate

TA = Tenant("slack", "TA")


def _text(topic: str) -> str:
    return f"The {topic} was the talk of the town on Monday, as officials met to decide its future."


def test_an_articles_image_and_language_are_saved_and_read_back(store: Store) -> None:
    saved = store.save_article(
        NewArticle(
            text=_text("harbour"),
            url="https://news.example/harbour",
            image="https://img.news.example/harbour.jpg",
            language="fr",
        )
    ).article
    for article in (saved, store.get_article(saved.id), store.latest_articles(1)[0]):
        assert article is not None
        assert (article.image, article.language) == ("https://img.news.example/harbour.jpg", "fr")
    plain = store.save_article(NewArticle(text=_text("bridge"))).article
    assert (plain.image, plain.language) == (None, None)


def test_languages_are_counted_within_a_library(store: Store) -> None:
    for topic, code, tenant in (
        ("harbour", "fr", TA),
        ("bridge", "fr", None),
        ("ferry", "de", TA),
        ("library", "en", TA),
        ("market", None, TA),
    ):
        store.save_article(NewArticle(text=_text(topic), language=code, tenant=tenant))
    assert store.article_languages() == {"fr": 2, "de": 1, "en": 1}
    assert store.article_languages(tenant=TA) == {"fr": 1, "de": 1, "en": 1}
    assert store.article_languages(tenant=Tenant("discord", "G9")) == {}


def test_upgrade_from_0008_keeps_articles_with_no_image_and_no_language(
    shared_store_url: str,
) -> None:
    engine = engine_for(shared_store_url)
    stamp = datetime(2026, 11, 2, tzinfo=UTC).replace(tzinfo=None)
    try:
        migrate(engine, "0008_article_tenants")
        with engine.begin() as conn:
            old = conn.execute(
                sa.text(
                    "INSERT INTO articles (text, title, created_at) "
                    "VALUES (:text, 'Old story', :at) RETURNING id"
                ),
                {"text": _text("old pier"), "at": stamp},
            ).scalar_one()
    finally:
        engine.dispose()
    with Store(shared_store_url) as store:
        article = store.get_article(int(old))
        assert article is not None and article.title == "Old story"
        assert (article.image, article.language) == (None, None)
        new = store.save_article(
            NewArticle(text=_text("new pier"), image="https://img.example/p.jpg", language="de")
        ).article
        assert store.get_article(new.id) == new
        assert store.article_languages() == {"de": 1}
