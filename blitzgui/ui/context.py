"""What every panel is given: the core objects it works on, nothing from other panels."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from blitzgui.core.devices import DeviceChoice
from blitzgui.core.session import Session


@dataclass
class AppContext:
    session: Session
    device: DeviceChoice
    data_dir: Path
