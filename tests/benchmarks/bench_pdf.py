"""Benchmark of PDF reading (not a test: it reports and never asserts).

    python tests/benchmarks/bench_pdf.py [--pages 100] [--table-every 10] [--repeat 3]
                                          [--stream-order] [--skip-pdfplumber]

Generates a two-column report with fpdf2 (tests/pdfgen.py: running header and footer on
every page, words hyphenated at line ends, split ligatures, a ruled table on every 10th page;
the content stream alternates between the columns line by line unless ``--stream-order``),
then reports side by side:

- pages per second of the full pipeline (``extractor.pipeline.extract_bytes``: reading,
  cleaning, sections, figures, recommendations, developments), of the reading stage alone,
  of bare pdfplumber ``extract_text`` and of bare pypdfium2 text extraction;
- peak memory of a fresh process that runs only the full pipeline (RSS, and its growth over
  the process after imports), and the Python heap peak of the run (tracemalloc);
- reading-order similarity of each reader's words to the known text (Indel similarity over
  word sequences: 1.0 is identical).

Targets (issue 4): full pipeline >= 25 pages/s and within 10x of bare pypdfium2;
reading-order similarity >= 0.95; peak memory <= 150 MB.
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

TARGET_PAGES_PER_SECOND = 25
TARGET_RATIO = 10
TARGET_SIMILARITY = 0.95
TARGET_MEMORY_MB = 150


def best_of(repeat: int, function) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return min(times)


def bare_pypdfium2(data: bytes) -> str:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    parts = []
    try:
        for index in range(len(doc)):
            page = doc[index]
            textpage = page.get_textpage()
            parts.append(textpage.get_text_range())
            textpage.close()
            page.close()
    finally:
        doc.close()
    return "\n".join(parts)


def bare_pdfplumber(data: bytes) -> str:
    import pdfplumber

    parts = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            parts.append(page.extract_text() or "")
            page.close()
    return "\n".join(parts)


def pipeline_text(data: bytes) -> str:
    from extractor.pipeline import extract_bytes

    return "\n".join(extract_bytes(data, "application/pdf").pages_text)


def similarity(text: str, known: str) -> float:
    from rapidfuzz.distance import Indel

    return Indel.normalized_similarity(text.split(), known.split())


def peak_rss_mb() -> float:
    """This process's peak resident set (VmHWM: unlike ru_maxrss it does not carry over the
    parent's peak across fork and exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def memory_child(path: str) -> None:
    """Run the full pipeline once in this (fresh) process and print its memory as JSON."""
    from extractor.pipeline import extract_bytes

    data = Path(path).read_bytes()
    extract_bytes(b"URL: x\n\nWarm-up text for spaCy.", "text/plain")
    before = peak_rss_mb()
    tracemalloc.start()
    extract_bytes(data, "application/pdf")
    _, heap_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    after = peak_rss_mb()
    print(json.dumps({"rss_before": before, "rss_peak": after, "heap_peak": heap_peak / 2**20}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--table-every", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--stream-order", action="store_true", help="columns one after another")
    parser.add_argument("--skip-pdfplumber", action="store_true")
    parser.add_argument("--memory-child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        memory_child(args.memory_child)
        return

    from tests import pdfgen  # fpdf2 stays out of the memory child

    started = time.perf_counter()
    report = pdfgen.benchmark_report(
        args.pages, table_every=args.table_every, interleave=not args.stream_order
    )
    print(
        f"generated {report.pages} pages, {len(report.data) / 1024:.0f} KiB, "
        f"in {time.perf_counter() - started:.1f} s "
        f"({'columns in stream order' if args.stream_order else 'columns interleaved'})"
    )
    data, known, pages = report.data, report.paragraphs[0], report.pages

    from extractor import load
    from extractor.pipeline import extract_bytes

    extract_bytes(b"URL: x\n\nWarm-up text for spaCy.", "text/plain")
    rows = []
    seconds = best_of(args.repeat, lambda: bare_pypdfium2(data))
    rows.append(
        ("bare pypdfium2 (get_text_range)", seconds, similarity(bare_pypdfium2(data), known))
    )
    if not args.skip_pdfplumber:
        started = time.perf_counter()
        text = bare_pdfplumber(data)
        rows.append(
            (
                "bare pdfplumber (extract_text)",
                time.perf_counter() - started,
                similarity(text, known),
            )
        )
    seconds = best_of(args.repeat, lambda: load.load_bytes(data, "application/pdf"))
    rows.append(("reading stage (load_bytes)", seconds, None))
    seconds = best_of(args.repeat, lambda: extract_bytes(data, "application/pdf"))
    rows.append(("full pipeline (extract_bytes)", seconds, similarity(pipeline_text(data), known)))

    print(f"\n{'reader':<34}{'seconds':>9}{'pages/s':>10}{'similarity':>12}")
    for name, secs, sim in rows:
        shown = f"{sim:.4f}" if sim is not None else "-"
        print(f"{name:<34}{secs:>9.2f}{pages / secs:>10.1f}{shown:>12}")

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "report.pdf"
        path.write_bytes(data)
        out = subprocess.run(
            [sys.executable, __file__, "--memory-child", str(path)],
            capture_output=True,
            text=True,
            check=True,
        )
    memory = json.loads(out.stdout.strip().splitlines()[-1])
    print(
        f"\npeak memory of a process running the full pipeline: {memory['rss_peak']:.0f} MB RSS "
        f"({memory['rss_peak'] - memory['rss_before']:.0f} MB over the process after imports "
        f"and warm-up); Python heap peak during the run {memory['heap_peak']:.0f} MB"
    )

    pipeline = pages / rows[-1][1]
    pypdfium2 = pages / rows[0][1]
    print("\ntargets (reported, not asserted):")
    print(f"  full pipeline >= {TARGET_PAGES_PER_SECOND} pages/s: {pipeline:.1f}")
    print(f"  within {TARGET_RATIO}x of bare pypdfium2: {pypdfium2 / pipeline:.1f}x slower")
    print(f"  reading-order similarity >= {TARGET_SIMILARITY}: {rows[-1][2]:.4f}")
    print(f"  peak memory <= {TARGET_MEMORY_MB} MB: {memory['rss_peak']:.0f} MB RSS")


if __name__ == "__main__":
    main()
