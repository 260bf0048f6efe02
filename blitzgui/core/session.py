"""The one shared namespace of the app, and the notifications panels subscribe to.

The REPL executes in `Session.namespace`; the builder pushes `net` into it; the inspector and the
autograd view listen for changes. Panels also talk to each other through named events here
(e.g. the builder asks for "train_model"), so no panel imports another.

Events (name: arguments — who handles it):
- "run_code": code: str — the Tensors panel writes the code into the REPL and runs it, visibly.
- "show_panel": name: str — the main window brings that panel to the front.
- "follow_tensor": tensor, label: str — the Autograd panel shows the graph behind that tensor.
- "train_model": module: nn.Module, label: str, spec=None — the Training panel takes that model.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

Listener = Callable[[set[str]], None]


def seeded_namespace() -> dict[str, Any]:
    """The names a blitz learner expects to find already imported."""
    import numpy as np
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
    import torch.optim as optim

    return {"torch": torch, "nn": nn, "F": F, "np": np, "optim": optim}


def _fingerprint(value: Any) -> tuple:
    # A tensor modified in place keeps its id but bumps `_version`, so both are compared.
    return (id(value), getattr(value, "_version", None))


class Session:
    """A namespace dict plus change notification (names changed) and named events."""

    def __init__(self, namespace: dict[str, Any] | None = None, seed: bool = True):
        self.namespace: dict[str, Any] = {} if namespace is None else namespace
        if seed:
            for name, value in seeded_namespace().items():
                self.namespace.setdefault(name, value)
        self._listeners: list[Listener] = []
        self._handlers: dict[str, list[Callable[..., Any]]] = defaultdict(list)
        self._fingerprints = {k: _fingerprint(v) for k, v in self.namespace.items()}

    # -- namespace changes ---------------------------------------------------------------
    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call `listener(names)` after each change; returns a function that unsubscribes."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def notify_changed(self, names: Iterable[str]) -> None:
        names = set(names)
        for name in names:
            if name in self.namespace:
                self._fingerprints[name] = _fingerprint(self.namespace[name])
            else:
                self._fingerprints.pop(name, None)
        if names:
            for listener in list(self._listeners):
                listener(names)

    def detect_changes(self) -> set[str]:
        """Compare the namespace with what was last seen, notify, and return the changed names.

        Called after code ran in the namespace (a REPL cell): new, rebound, deleted, and tensors
        changed in place are reported. Cost is one id/version look-up per name.
        """
        now = {k: _fingerprint(v) for k, v in self.namespace.items()}
        changed = {k for k, fp in now.items() if self._fingerprints.get(k) != fp}
        changed |= self._fingerprints.keys() - now.keys()
        self._fingerprints = now
        if changed:
            for listener in list(self._listeners):
                listener(changed)
        return changed

    def push(self, **values: Any) -> None:
        """Publish values into the namespace (e.g. the builder pushes `net`)."""
        self.namespace.update(values)
        self.notify_changed(values)

    def remove(self, name: str) -> None:
        if name in self.namespace:
            del self.namespace[name]
            self.notify_changed([name])

    # -- events between panels -----------------------------------------------------------
    def on(self, event: str, handler: Callable[..., Any]) -> None:
        self._handlers[event].append(handler)

    def emit(self, event: str, *args: Any, **kwargs: Any) -> None:
        for handler in list(self._handlers[event]):
            handler(*args, **kwargs)
