"""Compute devices: parse what the user asked for and fall back to the CPU when it is missing."""

from __future__ import annotations

import re
from dataclasses import dataclass

DEVICE_PATTERN = re.compile(r"^(auto|cpu|mps|cuda(:\d+)?)$")


def is_valid_device_spec(spec: str) -> bool:
    """Syntax only (no torch import): auto, cpu, mps, cuda, cuda:N."""
    return bool(DEVICE_PATTERN.match(spec))


@dataclass(frozen=True)
class DeviceChoice:
    device: str  # a torch device string, e.g. "cpu", "cuda:0"
    name: str  # for people, e.g. "CPU", "CUDA 0: NVIDIA H200"
    notice: str | None = None  # set when the request could not be honoured


def resolve_device(spec: str = "auto") -> DeviceChoice:
    import torch

    if not is_valid_device_spec(spec):
        raise ValueError(f"unknown device {spec!r}: use auto, cpu, cuda, cuda:N or mps")
    has_mps = getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available()
    if spec == "auto":
        if torch.cuda.is_available():
            spec = "cuda:0"
        elif has_mps:
            spec = "mps"
        else:
            spec = "cpu"
    if spec.startswith("cuda"):
        index = int(spec.split(":")[1]) if ":" in spec else 0
        if not torch.cuda.is_available():
            return DeviceChoice("cpu", "CPU", f"CUDA is not available on this machine; using the CPU instead of {spec}.")
        if index >= torch.cuda.device_count():
            return DeviceChoice(
                "cpu", "CPU", f"{spec} does not exist ({torch.cuda.device_count()} CUDA device(s)); using the CPU."
            )
        return DeviceChoice(f"cuda:{index}", f"CUDA {index}: {torch.cuda.get_device_name(index)}")
    if spec == "mps":
        if not has_mps:
            return DeviceChoice("cpu", "CPU", "Apple MPS is not available on this machine; using the CPU.")
        return DeviceChoice("mps", "Apple MPS")
    return DeviceChoice("cpu", "CPU")
