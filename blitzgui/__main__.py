"""Entry point: `blitzgui`, `python -m blitzgui` and `python main.py` all come here."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["train"]:
        from blitzgui.train_cli import main as train_main

        return train_main(argv[1:])
    from blitzgui.options import parse_args

    options = parse_args(argv)
    from blitzgui.ui.app import run

    return run(options)


if __name__ == "__main__":
    sys.exit(main())
