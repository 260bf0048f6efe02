"""The titles of the core's network presets as the panels show them, in the chosen language.

`core.layers.PRESETS` keeps English titles (core has no Qt); every panel listing presets asks
here, so each title is written and translated once.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def preset_title(name: str) -> str:
    """The translated title of preset `name`; a preset added to the core later shows its English title."""
    from blitzgui.core.layers import PRESETS  # imports torch: only once a panel lists presets

    titles = {
        "blitz_net": QCoreApplication.translate("PresetNames", "Blitz part 3 Net (1×32×32, 61,706 params)"),
        "cifar_net": QCoreApplication.translate("PresetNames", "Blitz part 4 CIFAR Net (3×32×32, 62,006 params)"),
        "cifar_net_wide": QCoreApplication.translate("PresetNames", "Wider CIFAR Net (16 and 32 filters)"),
        "cifar_net_bn": QCoreApplication.translate("PresetNames", "CIFAR Net with batch norm and dropout"),
    }
    return titles.get(name, PRESETS[name][0])
