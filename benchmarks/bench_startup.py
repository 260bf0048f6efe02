"""Issue 2: time from process start to the main window's first paint."""

from pathlib import Path

from benchmarks.harness import compare, python_command, table

HERE = Path(__file__).parent


def run(rounds: int = 5) -> str:
    results = compare(
        {
            "plain QMainWindow (no torch)": python_command(str(HERE / "plain_window.py")),
            "blitzgui first paint": python_command("-m", "blitzgui", "--exit-after-first-paint", "--lang", "en"),
            "python -c 'import torch'": python_command("-c", "import torch"),
        },
        rounds=rounds,
    )
    return table("Start-up: process start to first paint", results)
