"""Mine action recommendation tracker: crawl, store, follow up and publish."""

__version__ = "0.2.0"
PROJECT_URL = "https://github.com/mine-action-tracker/mine-action-tracker"
USER_AGENT = f"mine-action-tracker/{__version__} (+{PROJECT_URL})"
