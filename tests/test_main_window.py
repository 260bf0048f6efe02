import pytest
import torch
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QMessageBox

from blitzgui.ui.main_window import PANELS, settings


def test_every_panel_is_built_and_reachable(window):
    assert list(window.panels) == list(PANELS) == ["tensors", "autograd", "builder", "training", "lessons"]
    for index, name in enumerate(PANELS):
        assert window.show_panel(name) is window.panels[name]
        assert window.tabs.currentIndex() == index and window.current_panel() == name
    with pytest.raises(KeyError, match="unknown panel 'nope'"):
        window.show_panel("nope")


def test_show_panel_event_switches_tab(window):
    window.session.emit("show_panel", "training")
    assert window.current_panel() == "training"


def test_session_is_shared_and_seeded(window):
    assert window.session.namespace["torch"] is torch
    assert window.context.session is window.session


def test_status_bar_names_the_device(window):
    assert window.device_label.text().startswith("Device: ")
    assert window.context.device.name in window.device_label.text()


@pytest.mark.skipif(torch.cuda.is_available(), reason="needs a machine without CUDA")
def test_unavailable_device_falls_back_with_a_visible_notice(make_window):
    window = make_window("--device", "cuda")
    assert window.context.device.device == "cpu"
    assert "CUDA is not available" in window.notice_label.text()


def test_panel_option_and_last_panel_are_remembered(make_window):
    first = make_window("--panel", "builder")
    assert first.current_panel() == "builder"
    first.show_panel("autograd")
    first.close()
    assert settings().value("panel") == "autograd"
    assert make_window().current_panel() == "autograd"


def test_geometry_is_remembered(make_window, qtbot):
    first = make_window()
    first.show()
    first.resize(first.minimumSizeHint().expandedTo(QSize(600, 450)))  # fits the offscreen 800x600 screen
    qtbot.waitExposed(first)
    size = first.size()
    first.close()
    assert make_window().size() == size
    settings().remove("geometry")
    assert make_window().size() != size  # without the setting the default size comes back


def test_about_names_versions_and_device(window):
    box = window.show_about()
    assert isinstance(box, QMessageBox)
    assert torch.__version__ in box.text() and window.context.device.name in box.text()
    box.close()


def test_view_menu_shortcuts_switch_panels(window):
    view = window.menuBar().actions()[1].menu()
    shortcuts = [a.shortcut().toString() for a in view.actions()]
    assert shortcuts == ["Ctrl+1", "Ctrl+2", "Ctrl+3", "Ctrl+4", "Ctrl+5"]
    view.actions()[3].trigger()
    assert window.current_panel() == "training"


def test_language_menu_stores_the_choice_and_offers_a_restart(window, monkeypatch):
    window.show()
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *args: asked.append(args) or QMessageBox.StandardButton.No)
    language_menu = window.menuBar().actions()[2].menu()
    chinese = next(a for a in language_menu.actions() if a.data() == "zh_CN")
    chinese.trigger()
    assert settings().value("language") == "zh_CN"
    assert len(asked) == 1 and window.isVisible()  # declined: nothing closed, nothing restarted
    settings().setValue("language", "en")
