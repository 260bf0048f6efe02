import pytest
import torch

from blitzgui.core.devices import is_valid_device_spec, resolve_device


@pytest.mark.parametrize("spec", ["auto", "cpu", "cuda", "cuda:0", "cuda:12", "mps"])
def test_valid_specs(spec):
    assert is_valid_device_spec(spec)


@pytest.mark.parametrize("spec", ["", "gpu", "cuda:", "cuda:x", "CPU", "tpu"])
def test_invalid_specs(spec):
    assert not is_valid_device_spec(spec)
    with pytest.raises(ValueError, match="unknown device"):
        resolve_device(spec)


def test_cpu_is_always_cpu():
    choice = resolve_device("cpu")
    assert (choice.device, choice.name, choice.notice) == ("cpu", "CPU", None)


@pytest.mark.skipif(torch.cuda.is_available(), reason="needs a machine without CUDA")
def test_missing_cuda_falls_back_with_a_notice():
    choice = resolve_device("cuda:1")
    assert choice.device == "cpu"
    assert "CUDA is not available" in choice.notice


def test_auto_picks_something_usable():
    choice = resolve_device("auto")
    torch.zeros(1, device=choice.device)
    assert choice.notice is None
