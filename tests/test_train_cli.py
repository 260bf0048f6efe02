"""`python -m blitzgui train`: the headless trainer on a tiny CIFAR-10 in its real on-disk format."""

from __future__ import annotations

import gc
import json
import subprocess
import sys

import pytest
import torch

from blitzgui.core.layers import build_module, preset, save_spec
from blitzgui.core.runs import load_checkpoint
from blitzgui.train_cli import main
from cifar_fixture import write_tiny_cifar10


@pytest.fixture(autouse=True)
def restore_process_settings():
    """main() tunes its process for training (oneDNN off at small batches, gc.freeze); here that
    process is pytest's, shared with the other tests."""
    enabled = torch.backends.mkldnn.enabled
    yield
    torch.backends.mkldnn.enabled = enabled
    gc.unfreeze()


@pytest.fixture(scope="module")
def cifar_dir(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("cifar")
    write_tiny_cifar10(data_dir)
    return data_dir


def train(cifar_dir, out, *extra):
    return main(["--dataset", "cifar10", "--data-dir", str(cifar_dir), "--out", str(out), "--epochs", "1",
                 "--print-every", "10", *extra])


def test_headless_run_writes_metrics_and_the_blitz_state_dict(cifar_dir, tmp_path, capsys):
    assert train(cifar_dir, tmp_path / "run", "--epochs", "2", "--batch-size", "5", "--lr", "0.01") == 0
    printed = capsys.readouterr().out
    assert "[1,    10] loss:" in printed and "[2,    20] loss:" in printed
    assert "Accuracy of the network on the 20 test images:" in printed
    assert "Accuracy for class: airplane" in printed
    metrics = json.loads((tmp_path / "run" / "metrics.json").read_text())
    assert metrics["status"] == "completed"
    assert len(metrics["step_loss"]) == 2 * 20  # 100 images / batch 5, 2 epochs
    assert [e["epoch"] for e in metrics["epochs"]] == [1, 2]
    assert {"train_accuracy", "test_accuracy", "images_per_s"} <= metrics["epochs"][0].keys()
    assert 0 <= metrics["test_accuracy"] <= 1 and len(metrics["per_class_accuracy"]) == 10
    assert len(metrics["confusion_matrix"]) == 10 and metrics["images_per_s"] > 0
    net = build_module(preset("cifar_net"))  # loads as the blitz's cifar_net.pth would
    load_checkpoint(net, tmp_path / "run" / "model.pth")
    config = json.loads((tmp_path / "run" / "config.json").read_text())
    assert config["config"]["batch_size"] == 5 and config["model"] == "cifar_net"


def test_a_network_json_from_the_builder_trains(cifar_dir, tmp_path):
    save_spec(preset("cifar_net_bn"), tmp_path / "mine.json")
    assert train(cifar_dir, tmp_path / "run", "--model", str(tmp_path / "mine.json"), "--optimizer", "Adam") == 0
    assert json.loads((tmp_path / "run" / "config.json").read_text())["model"] == "mine"


@pytest.mark.parametrize(
    "args, message",
    [
        (["--dataset", "imagenet"], "Unknown dataset 'imagenet'"),
        (["--lr", "-1"], "learning rate must be a positive"),
        (["--batch-size", "0"], "batch size must be at least 1"),
        (["--model", "blitz_net"], "does not accept the dataset's images of shape (3, 32, 32)"),
        (["--model", "no/such/net.json"], "net.json"),
    ],
)
def test_bad_input_is_refused_with_a_reason(cifar_dir, tmp_path, capsys, args, message):
    assert train(cifar_dir, tmp_path / "run", *args) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "run").exists()  # nothing half-made


def test_missing_dataset_names_the_file(tmp_path, capsys):
    assert main(["--dataset", "cifar10", "--data-dir", str(tmp_path), "--out", str(tmp_path / "run")]) == 2
    assert "cifar-10-batches-py" in capsys.readouterr().err


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--device", "gpu7"])
    assert exit_info.value.code == 2 and "invalid device 'gpu7'" in capsys.readouterr().err


def test_diverging_run_fails_clearly_and_keeps_the_curve(cifar_dir, tmp_path, capsys):
    assert train(cifar_dir, tmp_path / "run", "--lr", "1e6") == 1
    assert "too high" in capsys.readouterr().err
    text = (tmp_path / "run" / "metrics.json").read_text()
    assert "NaN" not in text and "Infinity" not in text  # strict JSON, readable by any tool
    metrics = json.loads(text)
    assert metrics["status"] == "diverged" and len(metrics["step_loss"]) == 10  # stopped at the first report
    assert metrics["step_loss"][0] > 0 and metrics["step_loss"][-1] is None


def test_python_dash_m_blitzgui_train(cifar_dir, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "blitzgui", "train", "--dataset", "cifar10", "--data-dir", str(cifar_dir),
         "--out", str(tmp_path / "run"), "--epochs", "1", "--batch-size", "20", "--device", "cpu"],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Finished Training" in result.stdout
    assert torch.load(tmp_path / "run" / "model.pth", weights_only=True)["conv1.weight"].shape == (6, 3, 5, 5)
