"""Canonical form of article URLs: what makes two links the same article."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from etl.reference import load_list


def _is_tracking(name: str) -> bool:
    name = name.lower()
    for pattern in load_list("tracking_params.txt"):
        if (pattern.endswith("*") and name.startswith(pattern[:-1])) or name == pattern:
            return True
    return False


def normalize_url(url: str) -> str | None:
    """Lower-case scheme and host, no `www.`, default port, fragment or tracking parameters;
    remaining parameters sorted; no trailing slash. None when it is not an http(s) URL."""
    url = url.strip()
    if url.startswith("//"):
        url = "https:" + url
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower().removeprefix("www.")
    if port and port not in (80, 443):
        host = f"{host}:{port}"
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    query = sorted((k, v) for k, v in pairs if not _is_tracking(k))
    path = parts.path.rstrip("/") or ""
    return urlunsplit(("https", host, path, urlencode(query), ""))


def url_domain(url: str | None) -> str | None:
    """The host of a normalized URL, e.g. `bnr.bg`."""
    return urlsplit(url).hostname if url else None
