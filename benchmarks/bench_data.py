"""Issue 6, datasets: feeding batches from memory vs the blitz's DataLoader pipeline, and what the
built-in dataset costs to generate vs to load from its cache.

The blitz pipeline is torchvision's CIFAR10 dataset wrapped in DataLoader(batch_size=4,
shuffle=True, num_workers=2) with ToTensor + Normalize: every sample is turned into a PIL image,
converted and normalized again on every epoch. Here the same per-sample work runs on the same
images (CIFAR10's own class refuses files whose md5 differs from the original download)."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np
import torch

from benchmarks.harness import compare, table
from blitzgui.core.data import builtin_dataset, generate_shapes

IMAGES = 4000
BATCH = 4


class BlitzStyleCIFAR10(torch.utils.data.Dataset):
    """What torchvision.datasets.CIFAR10.__getitem__ does: HWC uint8 -> PIL image -> transform."""

    def __init__(self, images_hwc: np.ndarray, labels: list[int], transform):
        self.data, self.targets, self.transform = images_hwc, labels, transform

    def __len__(self) -> int:
        return len(self.data)

    def __getitem__(self, index: int):
        from PIL import Image

        return self.transform(Image.fromarray(self.data[index])), self.targets[index]


def _blitz_epoch(dataset: BlitzStyleCIFAR10) -> float:
    loader = torch.utils.data.DataLoader(dataset, batch_size=BATCH, shuffle=True, num_workers=2)
    start = time.perf_counter()
    for images, labels in loader:
        pass
    return time.perf_counter() - start


def _indexed_epoch(images: torch.Tensor, labels: torch.Tensor, normalize=None) -> float:
    start = time.perf_counter()
    order = torch.randperm(len(images))
    for first in range(0, len(order), BATCH):
        rows = order[first:first + BATCH]
        batch, targets = images[rows], labels[rows]
        if normalize is not None:
            batch = normalize(batch)
    return time.perf_counter() - start


def run(rounds: int = 3) -> str:
    import torchvision.transforms as transforms

    torch.set_num_threads(1)  # batch 4: one thread is as fast and leaves the other core to the GUI
    uint8_images, labels = generate_shapes(IMAGES, seed=0)
    with tempfile.TemporaryDirectory() as tmp:
        dataset = builtin_dataset(Path(tmp), train_size=IMAGES, test_size=10)
    transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])
    blitz = BlitzStyleCIFAR10(uint8_images.permute(0, 2, 3, 1).numpy(), labels.tolist(), transform)

    normalized = dataset.normalize(uint8_images)  # float32, 4× the memory of the uint8 images
    feeding = compare(
        {
            "blitz: DataLoader + ToTensor + Normalize, 2 workers": lambda: _blitz_epoch(blitz),
            "in memory: float32 normalized once, batch by index": lambda: _indexed_epoch(normalized, labels),
            "in memory: uint8, batch by index, normalize each batch": lambda: _indexed_epoch(
                uint8_images, labels, dataset.normalize),
        },
        rounds=rounds,
    )
    base = feeding[0].median
    rates = [f"| {r.name} | {IMAGES / r.median:,.0f} | {base / r.median:.1f}× |" for r in feeding]
    start = time.perf_counter()
    dataset.normalize(uint8_images)
    normalize_ms = (time.perf_counter() - start) * 1e3

    def generate() -> None:
        generate_shapes(50_000, seed=1)
        generate_shapes(10_000, seed=2)

    with tempfile.TemporaryDirectory() as tmp:
        builtin_dataset(Path(tmp))  # fills the cache once

        def load_cached() -> None:
            builtin_dataset(Path(tmp))

        making = compare(
            {"generate 50k + 10k built-in images": generate, "load them from the cache in data_dir": load_cached},
            rounds=rounds,
        )
    return "\n".join([
        table(f"Datasets: one epoch of {IMAGES:,} images in batches of {BATCH} (no model)", feeding, unit="ms"),
        "",
        "| pipeline | images/s | speed-up |",
        "|---|---|---|",
        *rates,
        "",
        f"Normalizing all {IMAGES:,} images once (not counted above): {normalize_ms:.0f} ms.",
        "",
        table("Datasets: the built-in set (60,000 images, 3×32×32)", making, unit="s"),
    ])
