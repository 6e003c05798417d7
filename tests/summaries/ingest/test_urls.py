from __future__ import annotations

import pytest

from summaries.ingest.urls import canonical_url, is_tracking_param


def test_canonical_url_strips_tracking_params_and_sorts_the_rest() -> None:
    url = (
        "https://example.com/news/story?utm_source=rss&b=2&fbclid=abc&a=1&gclid=x"
        "&mc_cid=1&mc_eid=2&igshid=3&ref=home&ref_src=twsrc&cmpid=c&ocid=o&_ga=g&yclid=y"
    )
    assert canonical_url(url) == "https://example.com/news/story?a=1&b=2"


def test_canonical_url_treats_http_https_and_www_alike() -> None:
    expected = "https://example.com/a"
    assert canonical_url("http://example.com/a") == expected
    assert canonical_url("https://www.example.com/a") == expected
    assert canonical_url("HTTP://WWW.EXAMPLE.COM/a") == expected


def test_canonical_url_drops_default_port_but_keeps_others() -> None:
    assert canonical_url("http://example.com:80/a") == "https://example.com/a"
    assert canonical_url("https://example.com:443/a") == "https://example.com/a"
    assert canonical_url("https://example.com:8443/a") == "https://example.com:8443/a"


def test_canonical_url_drops_fragment_and_user_info() -> None:
    assert canonical_url("https://user:pw@example.com/a#comments") == "https://example.com/a"


def test_canonical_url_drops_trailing_slash_except_at_root() -> None:
    assert canonical_url("https://example.com/a/b/") == "https://example.com/a/b"
    assert canonical_url("https://example.com/") == "https://example.com/"
    assert canonical_url("https://example.com") == "https://example.com/"


def test_canonical_url_keeps_path_case_and_meaningful_params() -> None:
    assert canonical_url("https://Example.com/News/A") == "https://example.com/News/A"
    assert canonical_url("https://x.org/s?id=1") != canonical_url("https://x.org/s?id=2")
    assert canonical_url("https://x.org/a") != canonical_url("https://x.org/b")


def test_canonical_url_normalises_percent_escapes_and_dot_segments() -> None:
    assert (
        canonical_url("https://x.org/%7euser/%c3%a9t%C3%A9") == "https://x.org/~user/%C3%A9t%C3%A9"
    )
    assert canonical_url("https://x.org/été") == canonical_url("https://x.org/%C3%A9t%C3%A9")
    assert canonical_url("https://x.org/a/./b/../c") == "https://x.org/a/c"
    assert canonical_url("https://x.org/a%2Fb") == "https://x.org/a%2Fb"


def test_canonical_url_keeps_blank_params_and_plus_encoded_spaces() -> None:
    assert canonical_url("https://x.org/?q=a+b&flag=") == "https://x.org/?flag=&q=a+b"
    assert canonical_url("https://x.org/?q=a%20b") == canonical_url("https://x.org/?q=a+b")


def test_canonical_url_adds_https_to_scheme_relative_urls() -> None:
    assert canonical_url("//www.x.org/a?utm_medium=x") == "https://x.org/a"


def test_canonical_url_leaves_other_schemes_nearly_alone() -> None:
    assert canonical_url("  MAILTO:Someone@Example.com ") == "mailto:Someone@Example.com"


@pytest.mark.parametrize(
    "bad", ["", "   ", "example.com/a", "https:///nohost", "http://x.org:99999/"]
)
def test_canonical_url_rejects_unusable_urls(bad: str) -> None:
    with pytest.raises(ValueError):
        canonical_url(bad)


def test_is_tracking_param_matches_prefixes_case_insensitively() -> None:
    assert is_tracking_param("UTM_Campaign")
    assert is_tracking_param("fbclid")
    assert not is_tracking_param("id")
    assert not is_tracking_param("page")
