"""Command-line options of the app (no Qt, no torch: bad input is refused before anything loads)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from blitzgui.core.devices import is_valid_device_spec
from blitzgui.core.paths import default_data_dir

LANGS = ("en", "zh_CN")
PANEL_NAMES = ("tensors", "autograd", "builder", "training", "lessons")


class OneLineErrorParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr and exit code 2."""

    def error(self, message: str) -> None:
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        sys.exit(2)


def device_spec(text: str) -> str:
    if not is_valid_device_spec(text):
        raise argparse.ArgumentTypeError(f"invalid device {text!r} (choose auto, cpu, cuda, cuda:N or mps)")
    return text


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineErrorParser(
        prog="blitzgui",
        description="A desktop learning playground for PyTorch's 60 Minute Blitz. "
        "Run 'blitzgui train --help' for headless training.",
    )
    parser.add_argument("--lang", choices=LANGS, help="interface language (default: last used, else the system's)")
    parser.add_argument("--panel", choices=PANEL_NAMES, help="panel shown at start")
    parser.add_argument("--device", type=device_spec, default="auto", help="auto, cpu, cuda, cuda:N or mps")
    parser.add_argument("--data-dir", type=Path, default=default_data_dir(), help="datasets, runs and history")
    parser.add_argument("--screenshot", type=Path, metavar="DIR", help="save DIR/<panel>.png for each panel and exit")
    # For benchmarks/bench_startup.py: quit as soon as the window has painted once.
    parser.add_argument("--exit-after-first-paint", action="store_true", help=argparse.SUPPRESS)
    return parser


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    return build_parser().parse_args(argv)
