"""Translations stay complete and really change what the user reads."""

import subprocess

import pytest

from blitzgui.ui import i18n


@pytest.mark.parametrize("module", i18n.ui_modules())
def test_ts_lists_every_string_of_the_code(module):
    found = i18n.extract(module)
    ts = i18n.ts_path("zh_CN", module)
    if not found:
        assert not ts.exists(), f"{ts} is stale: {module} has no translatable strings"
        return
    assert ts.exists(), f"run: python -m blitzgui.ui.i18n update {module}"
    listed = i18n.messages(ts)
    assert found - listed == set(), f"strings missing from {ts.name}; run make i18n"
    assert listed - found == set(), f"{ts.name} lists strings no longer in the code; run make i18n"


@pytest.mark.parametrize("module", i18n.ui_modules())
def test_every_string_is_translated_and_compiled(module, tmp_path):
    ts = i18n.ts_path("zh_CN", module)
    if not ts.exists():
        pytest.skip(f"{module} has no translatable strings")
    assert i18n.unfinished(ts) == []
    shipped = i18n.QM_DIR / "zh_CN" / f"{module}.qm"
    fresh = tmp_path / "fresh.qm"
    subprocess.run([i18n._tool("lrelease"), "-silent", str(ts), "-qm", str(fresh)], check=True)
    assert shipped.exists() and shipped.read_bytes() == fresh.read_bytes(), f"recompile {shipped.name}: make i18n"


def test_chinese_changes_known_labels(make_window):
    english = make_window("--lang", "en")
    assert english.tabs.tabText(0) == "Tensors"
    assert english.menuBar().actions()[0].text() == "&File"
    chinese = make_window("--lang", "zh_CN")
    assert chinese.tabs.tabText(0) == "张量"
    assert chinese.menuBar().actions()[0].text() == "文件(&F)"
    assert chinese.windowTitle() != english.windowTitle()
