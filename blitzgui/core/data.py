"""Datasets for training: CIFAR-10 from its on-disk files, any ImageFolder tree, and a built-in
offline set of drawn shapes.

Every dataset is decoded once into uint8 tensors kept in memory (N, C, H, W); a trainer batches
them by index and normalizes (ImageDataset.normalize), instead of re-decoding each sample every
epoch as the blitz's DataLoader does (benchmarks/bench_data.py measures both).

    load_dataset("builtin", data_dir)             # generated on first use, cached in data_dir
    load_dataset("cifar10", data_dir)             # data_dir/cifar-10-batches-py (see download.py)
    load_dataset("folder:/path/to/tree", data_dir, image_size=(32, 32))
    builtin_dataset(data_dir, train_size=2000, test_size=500)   # a small built-in set for tests

A decoded image folder is also kept in data_dir/folders (up to 1 GiB), keyed by its files' paths,
sizes and times: each training run loads in a process of its own and would decode it again.

Everything that can go wrong with the files raises DatasetError with a message naming the file.
A load can take a while (generating 60,000 images, decoding a folder): each loader takes a
`should_stop` callable, checked between chunks, and raises LoadStopped when it returns True, so a
window being closed can end a load promptly instead of abandoning its thread.
"""

from __future__ import annotations

import hashlib
import math
import os
import pickle
import re
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

# download.py is the lower layer (no torch); its names are part of this module's API too.
from blitzgui.core.download import CIFAR10_DIRNAME, CIFAR10_URL, DatasetError, download_cifar10

__all__ = [
    "ImageDataset", "DatasetError", "LoadStopped", "load_dataset", "download_cifar10", "DATASET_SOURCES", "CIFAR10_URL",
    "builtin_dataset", "load_cifar10", "load_image_folder", "generate_shapes", "image_grid",
    "BUILTIN_CLASSES", "CIFAR10_CLASSES", "CIFAR10_DIRNAME",
]

# What load_dataset understands; "folder" is written "folder:/path/to/tree".
DATASET_SOURCES = {
    "builtin": "Built-in shapes (offline, generated on first use)",
    "cifar10": "CIFAR-10 (from the data folder; can be downloaded)",
    "folder": "Image folder (train/<class>/*, test/<class>/*)",
}

StopCheck = Callable[[], bool] | None


class LoadStopped(DatasetError):
    """should_stop() asked a load to end early; nothing was loaded (and nothing cached)."""


def _check(should_stop: StopCheck) -> None:
    if should_stop is not None and should_stop():
        raise LoadStopped("loading the dataset was stopped")


BLITZ_MEAN = (0.5, 0.5, 0.5)  # the blitz's transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))
BLITZ_STD = (0.5, 0.5, 0.5)


@dataclass
class ImageDataset:
    """A labelled image set held in memory, split into train and test, with its Normalize statistics."""

    name: str
    classes: list[str]
    train_images: torch.Tensor  # uint8 (N, C, H, W), decoded once, kept in memory
    train_labels: torch.Tensor  # int64 (N,)
    test_images: torch.Tensor  # uint8 (M, C, H, W)
    test_labels: torch.Tensor  # int64 (M,)
    mean: tuple[float, ...] = BLITZ_MEAN  # per channel, for Normalize
    std: tuple[float, ...] = BLITZ_STD

    def __post_init__(self) -> None:
        for images, labels, split in ((self.train_images, self.train_labels, "train"),
                                      (self.test_images, self.test_labels, "test")):
            if images.dtype != torch.uint8 or images.dim() != 4:
                raise DatasetError(f"{self.name}: {split} images must be uint8 (N, C, H, W), "
                                   f"got {images.dtype} {tuple(images.shape)}")
            if labels.dtype != torch.int64 or labels.shape != (len(images),):
                raise DatasetError(f"{self.name}: {split} labels must be int64 ({len(images)},), "
                                   f"got {labels.dtype} {tuple(labels.shape)}")
            if len(labels) and (labels.min() < 0 or labels.max() >= len(self.classes)):
                raise DatasetError(f"{self.name}: a {split} label is outside 0..{len(self.classes) - 1}")
        if not len(self.mean) == len(self.std) == self.train_images.shape[1]:
            raise DatasetError(f"{self.name}: mean and std need one value per channel ({self.train_images.shape[1]})")
        if self.train_images.shape[1:] != self.test_images.shape[1:]:
            raise DatasetError(f"{self.name}: train images {tuple(self.train_images.shape[1:])} and test images "
                               f"{tuple(self.test_images.shape[1:])} differ in shape")

    @property
    def image_shape(self) -> tuple[int, int, int]:
        """(C, H, W) of one image, as a model's input shape."""
        return tuple(self.train_images.shape[1:])

    @property
    def num_classes(self) -> int:
        return len(self.classes)

    def _stats(self, like: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        mean = torch.tensor(self.mean, dtype=torch.float32, device=like.device).view(-1, 1, 1)
        std = torch.tensor(self.std, dtype=torch.float32, device=like.device).view(-1, 1, 1)
        return mean, std

    def normalize(self, images_uint8: torch.Tensor) -> torch.Tensor:
        """uint8 (…, C, H, W) -> float32 (x/255 - mean)/std, on the same device."""
        mean, std = self._stats(images_uint8)
        return (images_uint8.float() / 255 - mean) / std

    def denormalize(self, images: torch.Tensor) -> torch.Tensor:
        """Normalized floats -> [0, 1] floats for display (the blitz's `img / 2 + 0.5`)."""
        mean, std = self._stats(images)
        return (images.float() * std + mean).clamp(0, 1)


def load_dataset(source: str, data_dir: Path, image_size: tuple[int, int] | None = None,
                 should_stop: StopCheck = None) -> ImageDataset:
    """source: "builtin" | "cifar10" | "folder:/path". image_size (H, W) resizes the images.
    should_stop() is polled between chunks of work; True ends the load with LoadStopped."""
    data_dir = Path(data_dir)
    if source == "builtin":
        return builtin_dataset(data_dir, image_size=image_size, should_stop=should_stop)
    if source == "cifar10":
        return load_cifar10(data_dir, image_size=image_size, should_stop=should_stop)
    if source.startswith("folder:") and source[len("folder:"):].strip():
        return load_image_folder(Path(source[len("folder:"):].strip()).expanduser(), image_size=image_size,
                                 should_stop=should_stop, cache_dir=data_dir / "folders")
    raise DatasetError(f"Unknown dataset {source!r}: use builtin, cifar10 or folder:/path/to/images")


def resize_images(images: torch.Tensor, image_size: tuple[int, int] | None) -> torch.Tensor:
    """uint8 (N, C, H, W) resized to image_size (H, W) with antialiasing, in chunks to bound memory."""
    if image_size is None or tuple(images.shape[-2:]) == tuple(image_size):
        return images
    chunks = [
        torch.nn.functional.interpolate(chunk.float(), size=tuple(image_size), mode="bilinear", antialias=True,
                                        align_corners=False).round_().clamp_(0, 255).to(torch.uint8)
        for chunk in images.split(4096)
    ]
    return torch.cat(chunks) if chunks else images.new_zeros((0, images.shape[1], *image_size))


# -- the built-in offline dataset --------------------------------------------------------------
BUILTIN_CLASSES = ["disc", "ring", "square", "frame", "diamond", "triangle", "plus", "cross", "stripes", "checker"]
BUILTIN_VERSION = 3  # bump when the drawing changes, so old caches are not reused
# Images drawn at once. Part of what a seed means. 2048 (24 MiB of float pixels) was 2× faster
# than 8192 here: the allocator reuses blocks that size instead of mapping fresh pages every time.
GENERATE_CHUNK = 2048


def _shape_masks(label: int, dx: torch.Tensor, dy: torch.Tensor, u: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """Boolean (n, H, W) masks of one class. dx, dy: pixel offsets from each shape's centre divided
    by its radius; u, v: stripe phases along a random direction and across it (texture classes)."""
    ax, ay = dx.abs(), dy.abs()
    if label == 0:  # disc
        return dx**2 + dy**2 <= 1
    if label == 1:  # ring
        r2 = dx**2 + dy**2
        return (r2 <= 1) & (r2 >= 0.42)
    if label == 2:  # square
        return torch.maximum(ax, ay) <= 0.8
    if label == 3:  # frame: a hollow square
        m = torch.maximum(ax, ay)
        return (m <= 0.9) & (m >= 0.58)
    if label == 4:  # diamond
        return ax + ay <= 1
    if label == 5:  # triangle, apex up
        return (dy <= 0.75) & (ax <= (dy + 1) * 0.6)
    if label == 6:  # plus
        return ((ax <= 0.28) & (ay <= 1)) | ((ay <= 0.28) & (ax <= 1))
    if label == 7:  # diagonal cross
        return (((dx - dy).abs() <= 0.38) | ((dx + dy).abs() <= 0.38)) & (torch.maximum(ax, ay) <= 0.9)
    if label == 8:  # stripes at any angle over the whole image
        return torch.sin(u) > 0
    return (torch.sin(u) > 0) ^ (torch.sin(v) > 0)  # checkerboard at any angle


def generate_shapes(count: int, seed: int, size: int = 32,
                    should_stop: StopCheck = None) -> tuple[torch.Tensor, torch.Tensor]:
    """`count` labelled images (uint8 (count, 3, size, size), int64 labels), the same for the same
    seed every time: 10 balanced classes of shapes and textures with random colours, position,
    scale, a gradient background, a small distracting dot in half of them, and noise. Hard enough
    that the blitz Net does not reach 100 %; vectorised in torch (numpy's normal sampler alone took
    as long as all of this)."""
    g = torch.Generator().manual_seed(seed)

    def uniform(low: float, high: float, *shape: int) -> torch.Tensor:
        return torch.empty(shape).uniform_(low, high, generator=g)

    labels = (torch.arange(count) % len(BUILTIN_CLASSES))[torch.randperm(count, generator=g)]
    images = torch.empty((count, 3, size, size), dtype=torch.uint8)
    grid = torch.arange(size, dtype=torch.float32)
    yy, xx = grid.view(1, size, 1), grid.view(1, 1, size)
    for start in range(0, count, GENERATE_CHUNK):
        _check(should_stop)
        part = labels[start:start + GENERATE_CHUNK]
        n = len(part)
        # Every random number is drawn for the whole chunk, so the result does not depend on class order.
        radius = uniform(0.16, 0.44, n, 1, 1) * size
        cy = radius + uniform(-0.15, 1.15, n, 1, 1) * (size - 1 - 2 * radius)  # may be cut off at the edge
        cx = radius + uniform(-0.15, 1.15, n, 1, 1) * (size - 1 - 2 * radius)
        angle = uniform(0, 2 * math.pi, n, 1, 1)
        cos, sin = angle.cos(), angle.sin()
        along, across = xx * cos + yy * sin, yy * cos - xx * sin  # pixel coordinates in a random direction
        period, phase = uniform(4, 10, n, 1, 1), uniform(0, 2 * math.pi, n, 1, 1)
        u, v = 2 * math.pi * along / period + phase, 2 * math.pi * across / period + phase
        # Background: a gradient between two colours along that direction.
        background = uniform(0, 1, n, 3, 1, 1)
        shade = (along / size - 0.5 * (cos + sin)).unsqueeze(1)  # about -0.7 .. 0.7 across the image
        backdrop = background + uniform(-0.4, 0.4, n, 3, 1, 1) * shade
        # The shape's colour differs from the background's mean by at least 0.3 in every channel.
        foreground = (background + uniform(0.3, 0.7, n, 3, 1, 1)) % 1
        dot_y, dot_x = uniform(0, size, n, 1, 1), uniform(0, size, n, 1, 1)
        dot_radius = uniform(1.5, 3.5, n, 1, 1) * (uniform(0, 1, n, 1, 1) < 0.5)  # 0: no dot
        dot_colour = uniform(0, 1, n, 3, 1, 1)
        # Grey noise (one value per pixel for all channels) costs a third of colour noise to draw.
        noise = torch.randn((n, 1, size, size), generator=g).mul_(uniform(0, 0.15, n, 1, 1, 1))
        mask = torch.empty((n, size, size), dtype=torch.bool)
        for label in range(len(BUILTIN_CLASSES)):
            rows = (part == label).nonzero().squeeze(1)
            if len(rows):
                mask[rows] = _shape_masks(label, (xx - cx[rows]) / radius[rows], (yy - cy[rows]) / radius[rows],
                                          u[rows], v[rows])
        pixels = torch.where(mask.unsqueeze(1), foreground, backdrop)
        dot = ((yy - dot_y) ** 2 + (xx - dot_x) ** 2 < dot_radius**2).unsqueeze(1)
        pixels = torch.where(dot, dot_colour, pixels).add_(noise)
        images[start:start + n] = pixels.clamp_(0, 1).mul_(255).round_()
    return images, labels


def builtin_dataset(data_dir: Path, train_size: int = 50_000, test_size: int = 10_000,
                    image_size: tuple[int, int] | None = None, should_stop: StopCheck = None) -> ImageDataset:
    """The built-in shapes, sized like CIFAR-10 by default. Generated on first use and cached in
    data_dir/builtin; a cache that cannot be read is regenerated (it is only a cache)."""
    cache = Path(data_dir) / "builtin" / f"shapes-v{BUILTIN_VERSION}-{train_size}-{test_size}.pt"
    tensors = _read_cache(cache, {"train_images": (train_size, 3, 32, 32), "train_labels": (train_size,),
                                  "test_images": (test_size, 3, 32, 32), "test_labels": (test_size,)})
    if tensors is None:
        train = generate_shapes(train_size, seed=1, should_stop=should_stop)
        test = generate_shapes(test_size, seed=2, should_stop=should_stop)
        tensors = {"train_images": train[0], "train_labels": train[1], "test_images": test[0], "test_labels": test[1]}
        _write_cache(cache, tensors)
    return ImageDataset(
        name="builtin",
        classes=list(BUILTIN_CLASSES),
        train_images=resize_images(tensors["train_images"], image_size),
        train_labels=tensors["train_labels"],
        test_images=resize_images(tensors["test_images"], image_size),
        test_labels=tensors["test_labels"],
    )


def _read_cache(path: Path, shapes: dict[str, tuple]) -> dict[str, torch.Tensor] | None:
    """The cached tensors if the file holds every name in `shapes` with that shape, else None."""
    if not path.exists():
        return None
    try:
        tensors = torch.load(path, weights_only=True)
        ok = all(tensors[name].shape == shape for name, shape in shapes.items())
    except Exception:  # any unreadable cache is simply rebuilt
        return None
    return tensors if ok else None


def _write_cache(path: Path, tensors: dict[str, torch.Tensor]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # A file of its own, so two loaders at once (the app and the CLI) cannot mix their writes.
        handle, partial = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".part")
        with os.fdopen(handle, "wb") as f:
            torch.save(tensors, f)
        os.replace(partial, path)  # atomic: a crash never leaves a half-written cache behind
    except OSError:
        pass  # a read-only data folder only costs regenerating next time


# -- CIFAR-10 in its python-pickle format ------------------------------------------------------
CIFAR10_TRAIN_FILES = [f"data_batch_{i}" for i in range(1, 6)]
CIFAR10_TEST_FILE = "test_batch"
CIFAR10_META_FILE = "batches.meta"
CIFAR10_CLASSES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]


class _BatchUnpickler(pickle.Unpickler):
    """Only what a CIFAR batch holds (dicts, lists, numpy arrays): a foreign pickle cannot run code."""

    def find_class(self, module: str, name: str):
        try:
            from numpy._core.multiarray import _reconstruct
        except ImportError:  # numpy < 2
            from numpy.core.multiarray import _reconstruct
        allowed = {
            ("numpy.core.multiarray", "_reconstruct"): _reconstruct,
            ("numpy._core.multiarray", "_reconstruct"): _reconstruct,
            ("numpy", "ndarray"): np.ndarray,
            ("numpy", "dtype"): np.dtype,
            ("_codecs", "encode"): __import__("codecs").encode,  # how protocol 2 spells bytes in Python 3
        }
        if (module, name) not in allowed:
            raise pickle.UnpicklingError(f"unexpected object {module}.{name}")
        return allowed[(module, name)]


def _read_batch(path: Path) -> dict[str, object]:
    if not path.is_file():
        raise DatasetError(f"CIFAR-10 file missing: {path}. Download CIFAR-10 or use the built-in dataset.")
    try:
        with open(path, "rb") as f:
            content = _BatchUnpickler(f, encoding="latin1").load()
    except (EOFError, pickle.UnpicklingError) as exc:
        raise DatasetError(f"CIFAR-10 file is truncated or corrupt: {path} ({exc or type(exc).__name__})") from None
    except OSError as exc:
        raise DatasetError(f"Cannot read CIFAR-10 file {path}: {exc.strerror or exc}") from None
    except Exception as exc:  # e.g. a garbled pickle raising ValueError/IndexError/UnicodeError
        raise DatasetError(f"CIFAR-10 file is corrupt: {path} ({type(exc).__name__}: {exc})") from None
    if not isinstance(content, dict):
        raise DatasetError(f"CIFAR-10 file is not a CIFAR-10 batch: {path}")
    return {k.decode("latin1") if isinstance(k, bytes) else k: v for k, v in content.items()}


def _batch_arrays(path: Path) -> tuple[np.ndarray, np.ndarray]:
    batch = _read_batch(path)
    data, labels = batch.get("data"), batch.get("labels")
    if not isinstance(data, np.ndarray) or labels is None:
        raise DatasetError(f"CIFAR-10 file is not a CIFAR-10 batch (no data/labels): {path}")
    labels = np.asarray(labels)
    if data.dtype != np.uint8 or data.ndim != 2 or data.shape[1] != 3 * 32 * 32:
        raise DatasetError(f"CIFAR-10 file has data of shape {data.shape} {data.dtype}, "
                           f"expected (N, 3072) uint8: {path}")
    if labels.shape != (len(data),) or not np.issubdtype(labels.dtype, np.integer):
        raise DatasetError(f"CIFAR-10 file has {labels.size} labels for {len(data)} images: {path}")
    if len(labels) and (labels.min() < 0 or labels.max() > 9):
        raise DatasetError(f"CIFAR-10 file has labels outside 0..9: {path}")
    return data.reshape(-1, 3, 32, 32), labels.astype(np.int64)


def load_cifar10(data_dir: Path, image_size: tuple[int, int] | None = None,
                 should_stop: StopCheck = None) -> ImageDataset:
    """data_dir/cifar-10-batches-py as the CIFAR-10 site ships it (read here, not by torchvision,
    whose md5 checks refuse anything but the original files)."""
    folder = Path(data_dir) / CIFAR10_DIRNAME
    if not folder.is_dir():
        raise DatasetError(f"CIFAR-10 folder missing: {folder}. Download CIFAR-10 or use the built-in dataset.")
    meta = _read_batch(folder / CIFAR10_META_FILE)
    names = meta.get("label_names")
    if not isinstance(names, list) or len(names) != 10:
        raise DatasetError(f"CIFAR-10 file has no list of 10 label_names: {folder / CIFAR10_META_FILE}")
    classes = [n.decode("latin1") if isinstance(n, bytes) else str(n) for n in names]
    train = []
    for name in CIFAR10_TRAIN_FILES:
        _check(should_stop)
        train.append(_batch_arrays(folder / name))
    _check(should_stop)
    test_images, test_labels = _batch_arrays(folder / CIFAR10_TEST_FILE)
    return ImageDataset(
        name="cifar10",
        classes=classes,
        train_images=resize_images(torch.from_numpy(np.concatenate([d for d, _ in train])), image_size),
        train_labels=torch.from_numpy(np.concatenate([labels for _, labels in train])),
        test_images=resize_images(torch.from_numpy(test_images.copy()), image_size),
        test_labels=torch.from_numpy(test_labels),
    )


# -- any folder in ImageFolder layout ----------------------------------------------------------
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp", ".tif", ".tiff"}


def _decode(path: Path, image_size: tuple[int, int]) -> np.ndarray:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            rgb = image.convert("RGB").resize((image_size[1], image_size[0]), Image.Resampling.BILINEAR)
            return np.asarray(rgb, dtype=np.uint8).transpose(2, 0, 1)
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError, ValueError, SyntaxError) as exc:
        raise DatasetError(f"Cannot read image {path}: {exc}") from None


def _split_files(root: Path, split: str) -> dict[str, list[Path]]:
    folder = root / split
    if not folder.is_dir():
        raise DatasetError(f"Image folder has no '{split}' folder: {folder} (expected {split}/<class>/<image>)")
    found = {}
    for class_dir in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
        found[class_dir.name] = sorted(p for p in class_dir.iterdir()
                                       if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES)
    if not found:
        raise DatasetError(f"Image folder has no class folders in {folder} (expected {split}/<class>/<image>)")
    return found


FOLDER_CACHE_LIMIT = 1 << 30  # decoded folders up to 1 GiB of uint8 are kept for the next load


def load_image_folder(root: Path, image_size: tuple[int, int] | None = None,
                      progress: Callable[[int, int], None] | None = None, should_stop: StopCheck = None,
                      cache_dir: Path | None = None) -> ImageDataset:
    """root/train/<class>/* and root/test/<class>/*, every image converted to RGB and resized to
    image_size (H, W; default 32×32). Classes are the train folder's subfolders, sorted.
    cache_dir: keep the decoded images there, keyed by every file's path, size and time and the
    image size, so the next load (each training run loads in a process of its own) skips decoding."""
    root = Path(root)
    image_size = tuple(image_size or (32, 32))
    if not root.is_dir():
        raise DatasetError(f"Image folder not found: {root}")
    train, test = _split_files(root, "train"), _split_files(root, "test")
    classes = list(train)
    for name, files in train.items():
        if not files:
            raise DatasetError(f"Image folder class has no images: {root / 'train' / name}")
    unknown = sorted(set(test) - set(train))
    if unknown:
        raise DatasetError(f"Image folder test classes missing from train: {', '.join(unknown)} (in {root / 'test'})")
    jobs = [(path, classes.index(name), split) for split, files_by_class in (("train", train), ("test", test))
            for name, files in files_by_class.items() for path in files]
    if not any(split == "test" for _, _, split in jobs):
        raise DatasetError(f"Image folder has no test images: {root / 'test'}")
    cache = _folder_cache_path(cache_dir, root, jobs, image_size) if cache_dir is not None else None
    cached = _read_cache(cache, {"images": (len(jobs), 3, *image_size)}) if cache is not None else None
    images = cached["images"].numpy() if cached is not None and cached["images"].dtype == torch.uint8 else None
    if images is None:
        images = _decode_all(jobs, image_size, progress, should_stop)
        if cache is not None and images.nbytes <= FOLDER_CACHE_LIMIT:
            _write_folder_cache(cache, images)
    labels = np.array([label for _, label, _ in jobs], dtype=np.int64)
    is_train = np.array([split == "train" for _, _, split in jobs])
    return ImageDataset(
        name=f"folder:{root}",
        classes=classes,
        train_images=torch.from_numpy(images[is_train]),
        train_labels=torch.from_numpy(labels[is_train]),
        test_images=torch.from_numpy(images[~is_train]),
        test_labels=torch.from_numpy(labels[~is_train]),
    )


def _decode_all(jobs, image_size, progress, should_stop: StopCheck) -> np.ndarray:
    images = np.empty((len(jobs), 3, *image_size), dtype=np.uint8)
    # PIL releases the GIL while decoding and resizing, so threads do help here.
    with ThreadPoolExecutor(max_workers=4) as pool:
        for i, decoded in enumerate(pool.map(lambda job: _decode(job[0], image_size), jobs)):
            if should_stop is not None and should_stop():
                pool.shutdown(wait=False, cancel_futures=True)  # drop the images not yet decoded
                raise LoadStopped("loading the dataset was stopped")
            images[i] = decoded
            if progress is not None:
                progress(i + 1, len(jobs))
    return images


def _folder_cache_path(cache_dir: Path, root: Path, jobs, image_size) -> Path:
    """One file per folder (its name) and content (a digest of every file's path, size and time)."""
    digest = hashlib.sha1(repr(image_size).encode())
    for path, label, split in jobs:
        stat = path.stat()
        digest.update(f"{split}/{label}/{path.relative_to(root)}/{stat.st_size}/{stat.st_mtime_ns}\n".encode())
    return Path(cache_dir) / f"{_folder_slug(root)}-{digest.hexdigest()[:16]}.pt"


def _folder_slug(root: Path) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", str(root.resolve())).strip("-")[-60:]


def _write_folder_cache(path: Path, images: np.ndarray) -> None:
    folder = path.name.rsplit("-", 1)[0]
    for older in path.parent.glob("*.pt"):
        if older.name.rsplit("-", 1)[0] == folder:
            older.unlink(missing_ok=True)  # the same folder before its files changed
    _write_cache(path, {"images": torch.from_numpy(images)})


# -- showing samples -----------------------------------------------------------------------------
def image_grid(images: torch.Tensor, nrow: int = 8, padding: int = 2, scale: int = 1) -> np.ndarray:
    """[0, 1] float images (N, C, H, W) -> one uint8 (H', W', 3) array, via torchvision's make_grid
    (as the blitz's imshow). scale > 1 enlarges each pixel, so 32×32 images stay crisp on screen."""
    from torchvision.utils import make_grid  # torchvision takes seconds to import: only when shown

    if scale > 1:
        images = images.repeat_interleave(scale, dim=-2).repeat_interleave(scale, dim=-1)
    grid = make_grid(images.detach().float().cpu(), nrow=nrow, padding=padding, pad_value=1.0)
    return (grid.clamp(0, 1) * 255 + 0.5).to(torch.uint8).permute(1, 2, 0).contiguous().numpy()
