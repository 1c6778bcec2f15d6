"""kg.util.urls: the strict check of web addresses from the data, and their Markdown links."""

from __future__ import annotations

import pytest

from kg.util.urls import is_web_url, markdown_link


@pytest.mark.parametrize("url", [
    "https://example.org/", "http://example.org/a?b=c&d=e#f", "https://example.org:8443/x",
    "http://例子.测试/路径", "http://[::1]:8080/x", "https://x.org/a*b_c(d)", "https://x.org/%3Cb%3E",
])
def test_web_urls(url: str) -> None:
    assert is_web_url(url)
    assert markdown_link(url) == f"<{url}>"


@pytest.mark.parametrize("url", [
    "https://x.org/<script>", "https://x.org/>", 'https://x.org/a"b', "https://x.org/a'b",
    "https://x.org/a b", "https://x.org/a\u00a0b", "https://x.org/\n", "https://x.org/a\rb",
    "https://x.org/\x1b]0;t\x07", "https://x.org/a\u202eb", "https://x.org/a`b", "https://x.org/{a}",
    "https://x.org/a|b", "https://x.org/a\\b", "https://x.org/a^b", "javascript:alert(1)",
    "ftp://x.org/", "https:///x", "https://u:p@x.org/", "https://x.org:99999/", "https://x.org:0/",
    "https://x.org:abc/", "https://" + "a" * 70 + ".org/", "https://x..org/", "http:/x.org/", 42, None,
])
def test_not_web_urls(url: object) -> None:
    assert not is_web_url(url)
    if isinstance(url, str):
        assert markdown_link(url) == ""
