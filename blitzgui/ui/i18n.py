"""Qt translations: loading the compiled .qm files, and keeping the .ts sources current.

Each module of blitzgui/ui has its own source file, resources/i18n/<lang>/<module>.ts, so work on
one panel never touches another's translations. `python -m blitzgui.ui.i18n update [module ...]`
runs pyside6-lupdate and pyside6-lrelease; the compiled .qm files ship in blitzgui/resources.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

LANGUAGES = {"en": "English", "zh_CN": "简体中文"}
TRANSLATED = ["zh_CN"]  # English is the source language

PACKAGE_DIR = Path(__file__).resolve().parent.parent
QM_DIR = PACKAGE_DIR / "resources" / "i18n"
REPO_DIR = PACKAGE_DIR.parent
TS_DIR = REPO_DIR / "resources" / "i18n"
UI_DIR = PACKAGE_DIR / "ui"

_installed: list[QTranslator] = []


def system_language() -> str:
    return "zh_CN" if QLocale.system().name().startswith("zh") else "en"


def install_translators(app: QCoreApplication, lang: str) -> None:
    """Replace whatever translators are installed by those of `lang` (English: none)."""
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    if lang == "en":
        return
    files = sorted((QM_DIR / lang).glob("*.qm"))
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for path in [Path(qt_dir) / f"qtbase_{lang}.qm", *files]:
        translator = QTranslator(app)
        if path.exists() and translator.load(str(path)):
            app.installTranslator(translator)
            _installed.append(translator)


# -- maintenance (from a source checkout) ------------------------------------------------------
def _tool(name: str) -> str:
    found = shutil.which(f"pyside6-{name}") or str(Path(sys.executable).parent / f"pyside6-{name}")
    return found


def ui_modules() -> list[str]:
    return sorted(p.stem for p in UI_DIR.glob("*.py") if p.stem != "__init__")


def ts_path(lang: str, module: str) -> Path:
    return TS_DIR / lang / f"{module}.ts"


def messages(ts_file: Path) -> set[tuple[str, str]]:
    """(context, source) of every current (not obsolete or vanished) message in a .ts file."""
    found = set()
    for context in ET.parse(ts_file).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            kind = message.find("translation").get("type")
            if kind not in ("obsolete", "vanished"):
                found.add((name, message.findtext("source")))
    return found


def unfinished(ts_file: Path) -> list[str]:
    result = []
    for message in ET.parse(ts_file).getroot().iter("message"):
        translation = message.find("translation")
        if translation.get("type") == "unfinished" or not (translation.text or "").strip():
            if translation.get("type") not in ("obsolete", "vanished"):
                result.append(message.findtext("source"))
    return result


def extract(module: str) -> set[tuple[str, str]]:
    """What lupdate finds in a module right now."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "fresh.ts"
        subprocess.run([_tool("lupdate"), "-silent", str(UI_DIR / f"{module}.py"), "-ts", str(out)], check=True)
        return messages(out) if out.exists() else set()


def update(modules: list[str] | None = None) -> None:
    for module in modules or ui_modules():
        for lang in TRANSLATED:
            ts = ts_path(lang, module)
            ts.parent.mkdir(parents=True, exist_ok=True)
            subprocess.run(
                [_tool("lupdate"), "-silent", "-no-obsolete", "-locations", "none", "-target-language", lang,
                 str(UI_DIR / f"{module}.py"), "-ts", str(ts)],
                check=True,
            )
            if not messages(ts):
                ts.unlink()
                (QM_DIR / lang / f"{module}.qm").unlink(missing_ok=True)
                continue
            qm = QM_DIR / lang / f"{module}.qm"
            qm.parent.mkdir(parents=True, exist_ok=True)
            _release(ts, QM_DIR / lang / f"{module}.qm")


def _release(ts: Path, qm: Path) -> None:
    qm.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([_tool("lrelease"), "-silent", str(ts), "-qm", str(qm)], check=True)
    todo = unfinished(ts)
    if todo:
        print(f"{ts.relative_to(REPO_DIR)}: {len(todo)} unfinished: {todo}")


def translate(lang: str, module: str, translations: dict[str, str]) -> None:
    """Fill translations (source text -> translated text) into a module's .ts and recompile it."""
    ts = ts_path(lang, module)
    tree = ET.parse(ts)
    for message in tree.getroot().iter("message"):
        source = message.findtext("source")
        if source in translations:
            node = message.find("translation")
            node.text = translations[source]
            node.attrib.pop("type", None)
    root = tree.getroot()  # laid out as lupdate writes it, so the two tools make no diff noise
    root.text = "\n"
    for context in root:
        ET.indent(context, space="    ")
        context.tail = "\n"
    with open(ts, "wb") as f:
        f.write(b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n')
        tree.write(f, encoding="utf-8", xml_declaration=False)
        f.write(b"\n")
    _release(ts, QM_DIR / lang / f"{module}.qm")


USAGE = """usage:
  python -m blitzgui.ui.i18n update [module ...]        refresh .ts from the code, compile .qm
  python -m blitzgui.ui.i18n translate LANG MODULE FILE.json   fill {source: translation}, compile"""

if __name__ == "__main__":
    if sys.argv[1:2] == ["update"]:
        update(sys.argv[2:])
    elif sys.argv[1:2] == ["translate"] and len(sys.argv) == 5:
        translate(sys.argv[2], sys.argv[3], json.loads(Path(sys.argv[4]).read_text(encoding="utf-8")))
    else:
        sys.exit(USAGE)
