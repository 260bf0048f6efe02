import numpy as np
import torch

from blitzgui.core.session import Session


def test_namespace_is_seeded_with_the_blitz_imports():
    ns = Session().namespace
    assert ns["torch"] is torch and ns["np"] is np
    assert ns["nn"] is torch.nn and ns["F"] is torch.nn.functional and ns["optim"] is torch.optim


def test_push_and_remove_notify_subscribers():
    session = Session()
    seen = []
    session.subscribe(seen.append)
    session.push(net=torch.nn.Linear(2, 2))
    session.remove("net")
    session.remove("never-there")
    assert seen == [{"net"}, {"net"}]


def test_detect_changes_reports_new_rebound_deleted_and_in_place():
    session = Session()
    seen = []
    unsubscribe = session.subscribe(seen.append)
    ns = session.namespace
    ns["x"] = torch.ones(3)
    ns["y"] = 5
    assert session.detect_changes() == {"x", "y"}
    assert session.detect_changes() == set()  # nothing new, nobody called
    ns["x"].add_(1)  # same object, changed in place
    assert session.detect_changes() == {"x"}
    ns["y"] = 6
    del ns["x"]
    assert session.detect_changes() == {"x", "y"}
    assert seen == [{"x", "y"}, {"x"}, {"x", "y"}]
    unsubscribe()
    ns["z"] = 1
    session.detect_changes()
    assert len(seen) == 3


def test_events_reach_every_handler_with_arguments():
    session = Session()
    got = []
    session.on("train_model", lambda spec, source=None: got.append((spec, source)))
    session.on("train_model", lambda spec, source=None: got.append("second"))
    session.emit("train_model", "blitz", source="builder")
    session.emit("nobody_listens")
    assert got == [("blitz", "builder"), "second"]
