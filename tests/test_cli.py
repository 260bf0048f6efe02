"""The command line as a user meets it: bad options, screenshots, the three ways to start."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

REPO = Path(__file__).resolve().parent.parent


def blitzgui(*args, cwd=REPO, env=None, timeout=180):
    return subprocess.run(
        [sys.executable, "-m", "blitzgui", *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=timeout
    )


@pytest.mark.parametrize(
    "args, word",
    [(["--panel", "nope"], "--panel"), (["--lang", "fr"], "--lang"), (["--device", "gpu"], "--device")],
)
def test_bad_option_is_one_line_and_exit_2(args, word):
    result = blitzgui(*args)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and word in lines[0] and "error" in lines[0]


def distinct_colours(path: Path) -> int:
    image = QImage(str(path))
    assert not image.isNull()
    step = max(1, image.width() // 200)
    return len({image.pixel(x, y) for x in range(0, image.width(), step) for y in range(0, image.height(), step)})


def test_screenshot_writes_one_non_blank_png_per_panel(tmp_path):
    result = blitzgui("--screenshot", str(tmp_path / "shots"), "--lang", "en", "--data-dir", str(tmp_path / "d"))
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in (tmp_path / "shots").glob("*.png"))
    assert names == ["autograd.png", "builder.png", "lessons.png", "tensors.png", "training.png"]
    for png in (tmp_path / "shots").glob("*.png"):
        assert distinct_colours(png) > 8, f"{png.name} looks blank"


def test_main_py_and_entry_point_start_the_same_app(tmp_path):
    script = Path(sys.executable).parent / "blitzgui"
    assert script.exists(), "the blitzgui entry point is not installed"
    for command in ([sys.executable, str(REPO / "main.py")], [str(script)]):
        out = tmp_path / Path(command[-1]).name
        result = subprocess.run(
            [*command, "--screenshot", str(out), "--data-dir", str(tmp_path / "d")],
            capture_output=True, text=True, timeout=180,
        )
        assert result.returncode == 0, result.stderr
        assert len(list(out.glob("*.png"))) == 5


def test_non_editable_wheel_ships_translations_and_runs(tmp_path):
    """What `pip install .` installs: build the wheel, unpack it away from the checkout, run it."""
    wheel_dir = tmp_path / "wheel"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheel_dir), str(REPO)],
        capture_output=True, text=True, timeout=300,
    )
    assert build.returncode == 0, build.stderr
    [wheel] = wheel_dir.glob("blitzgui-*.whl")
    site = tmp_path / "site"
    shutil.unpack_archive(wheel, site, format="zip")
    assert list((site / "blitzgui" / "resources" / "i18n" / "zh_CN").glob("*.qm"))
    env = {**os.environ, "PYTHONPATH": str(site)}
    where = subprocess.run([sys.executable, "-c", "import blitzgui; print(blitzgui.__file__)"],
                           capture_output=True, text=True, cwd=tmp_path, env=env)
    assert where.stdout.startswith(str(site)), where.stdout  # the wheel's copy, not the checkout
    result = blitzgui("--screenshot", str(tmp_path / "shots"), "--lang", "zh_CN", "--data-dir", str(tmp_path / "d"),
                      cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert len(list((tmp_path / "shots").glob("*.png"))) == 5
