"""The bundled sample publisher site: SAMPLE DATA shaped like Mine Action Review country pages.

``SampleSite`` serves it on 127.0.0.1 (with a fake Internet Archive); ``render_page``,
``render_home`` and ``render_pdf`` give the bytes without a server. See content.yml for the
designed recommendation chains that tests rely on.
"""

from .content import ContentError, UnknownPage, load
from .server import SampleSite
from .site import render_home, render_page, render_pdf

__all__ = [
    "ContentError",
    "SampleSite",
    "UnknownPage",
    "load",
    "render_home",
    "render_page",
    "render_pdf",
]
