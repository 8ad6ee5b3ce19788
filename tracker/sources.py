"""Source definitions (``tracker/sources.yml``) as validated dataclasses."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from urllib.parse import urlsplit

import yaml

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
    snapshot: str | None = None
    history_of: list[str] = field(default_factory=list)

    @property
    def host(self) -> str:
        return urlsplit(self.base_url).netloc

    def follow_re(self) -> list[re.Pattern]:
        return [re.compile(p) for p in self.follow]

    def with_base_url(self, base_url: str) -> Source:
        base_url = base_url.rstrip("/")
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise SettingsError(f"base_url: {base_url!r} is not an http(s) URL")
        clone = Source(**{k: getattr(self, k) for k in self.__dataclass_fields__})
        clone.base_url = base_url
        clone.allowed_hosts = [parts.netloc]
        return clone


def load_sources(path: str | None = None) -> dict[str, Source]:
    if path:
        with open(path, encoding="utf-8") as fh:
            raw = yaml.safe_load(fh)
    else:
        raw = yaml.safe_load(resources.files("tracker").joinpath("sources.yml").read_text())
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
        if not out[name].base_url.startswith(("http://", "https://")):
            raise SettingsError(f"sources.yml: {name}.base_url must be an http(s) URL")
    return out
