"""Source definitions (``tracker/sources.yml``) as validated dataclasses."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from urllib.parse import urlsplit

from extractor.yamlio import load_yaml

from .errors import SettingsError

SOURCE_NAMES = ("mine-action-review", "monitor", "wayback")


@dataclass
class Source:
    name: str
    publisher: str
    base_url: str
    allowed_hosts: list[str]
    seeds: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    country_page: str | None = None
    tab_suffixes: list[str] = field(default_factory=lambda: [""])
    follow: list[str] = field(default_factory=list)
    document_link_text: str | None = None
    document_path: str | None = None
    profiles: list[dict] = field(default_factory=list)
    cdx_path: str | None = None
    cdx_params: dict[str, str] = field(default_factory=dict)
    cdx_fields: list[str] = field(default_factory=list)
    cdx_types: list[str] = field(default_factory=list)
    fallbacks: list[str] = field(default_factory=list)  # base URLs to try when a page is gone
    snapshot: str | None = None
    history_of: list[str] = field(default_factory=list)
    mirror_of: list[str] = field(default_factory=list)  # real hosts a --base-url replaces

    @property
    def host(self) -> str:
        return urlsplit(self.base_url).netloc

    def follow_re(self) -> list[re.Pattern]:
        return [re.compile(p) for p in self.follow]

    def with_base_url(self, base_url: str) -> Source:
        base_url = base_url.rstrip("/")
        if not is_http_url(base_url):
            raise SettingsError(f"base_url: {base_url!r} is not an http(s) URL")
        clone = Source(**{k: getattr(self, k) for k in self.__dataclass_fields__})
        clone.base_url = base_url
        host = urlsplit(base_url).netloc
        clone.mirror_of = [h for h in self.allowed_hosts if h != host]
        clone.allowed_hosts = [host]
        clone.fallbacks = []  # the mirror serves everything it has
        return clone


def is_http_url(value: str) -> bool:
    """An http or https URL with a host: what every URL option and setting must be."""
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def load_sources(path: str | None = None) -> dict[str, Source]:
    if path:
        with open(path, encoding="utf-8") as fh:
            raw = load_yaml(fh.read())
    else:
        raw = load_yaml(resources.files("tracker").joinpath("sources.yml").read_text())
    out: dict[str, Source] = {}
    for name, spec in raw.items():
        if name not in SOURCE_NAMES:
            raise SettingsError(f"sources.yml: unknown source {name!r}")
        docs = spec.pop("documents", None) or {}
        try:
            out[name] = Source(
                name=name,
                document_link_text=docs.get("link_text"),
                document_path=docs.get("path"),
                **spec,
            )
        except TypeError as exc:
            raise SettingsError(f"sources.yml: {name}: {exc}") from exc
        if not is_http_url(out[name].base_url):
            raise SettingsError(f"sources.yml: {name}.base_url must be an http(s) URL")
    return out


def with_base_urls(
    sources: dict[str, Source], names: list[str], values: list[str]
) -> dict[str, Source]:
    """Point sources at mirrors. Each value is ``NAME=URL`` or a bare ``URL``, which is only
    allowed when exactly one source is named. Raises SettingsError naming the problem."""
    out = dict(sources)
    for value in values:
        name, sep, url = value.partition("=")
        if not sep or name not in SOURCE_NAMES:
            if len(names) != 1:
                raise SettingsError("give exactly one --source with --base-url")
            name, url = names[0], value
        if name not in out:
            raise SettingsError(f"{name}: not defined in sources.yml")
        out[name] = out[name].with_base_url(url)
    return out
