"""Every loader can be stopped between chunks (should_stop), so closing the window ends a load."""

from __future__ import annotations

import itertools

import pytest
from cifar_fixture import write_tiny_cifar10
from PIL import Image

from blitzgui.core.data import GENERATE_CHUNK, LoadStopped, builtin_dataset, generate_shapes, load_dataset


def stop_after(calls: int):
    """A should_stop that answers False `calls` times, then True; it counts how often it was asked."""
    counter = itertools.count(1)
    asked = []

    def should_stop() -> bool:
        asked.append(next(counter))
        return len(asked) > calls

    should_stop.asked = asked
    return should_stop


def test_generation_stops_between_chunks():
    should_stop = stop_after(2)
    with pytest.raises(LoadStopped, match="stopped"):
        generate_shapes(10 * GENERATE_CHUNK, seed=1, should_stop=should_stop)
    assert len(should_stop.asked) == 3  # two chunks drawn, not ten


def test_a_stopped_builtin_load_caches_nothing(data_dir):
    with pytest.raises(LoadStopped):
        load_dataset("builtin", data_dir, should_stop=lambda: True)
    assert not list(data_dir.rglob("*.pt"))
    assert len(builtin_dataset(data_dir, train_size=40, test_size=20, should_stop=lambda: False).train_labels) == 40


def test_cifar10_load_stops_between_batch_files(data_dir):
    write_tiny_cifar10(data_dir)
    should_stop = stop_after(3)
    with pytest.raises(LoadStopped):
        load_dataset("cifar10", data_dir, should_stop=should_stop)
    assert len(should_stop.asked) == 4
    assert len(load_dataset("cifar10", data_dir, should_stop=lambda: False).train_labels) > 0


def test_image_folder_load_stops_between_images(tmp_path, data_dir):
    for split, count in (("train", 40), ("test", 5)):
        folder = tmp_path / "tree" / split / "cat"
        folder.mkdir(parents=True)
        for i in range(count):
            Image.new("RGB", (8, 8), (i, 0, 0)).save(folder / f"{i}.png")
    should_stop = stop_after(5)
    with pytest.raises(LoadStopped):
        load_dataset(f"folder:{tmp_path / 'tree'}", data_dir, should_stop=should_stop)
    assert len(should_stop.asked) == 6  # not all 45 images
