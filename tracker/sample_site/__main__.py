"""``python -m tracker.sample_site [--port N] [--edition YEAR]``: serve the sample site."""

from __future__ import annotations

import argparse
import time

from .server import SampleSite


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m tracker.sample_site",
        description="Serve the bundled sample site (SAMPLE DATA) on 127.0.0.1.",
    )
    parser.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    parser.add_argument("--edition", type=int, default=None, help="current edition year")
    args = parser.parse_args(argv)
    with SampleSite(port=args.port, current_edition=args.edition) as site:
        print(f"Sample site (SAMPLE DATA) at {site.url}/ - edition {site.current_edition}")
        print("Press Ctrl-C to stop.")
        try:
            while True:
                time.sleep(1)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
