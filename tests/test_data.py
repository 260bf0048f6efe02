"""blitzgui.core.data: the built-in set, CIFAR-10 from its on-disk files, ImageFolder trees, and a
clear DatasetError naming the file for every broken input."""

from __future__ import annotations

import pickle
from pathlib import Path
from unittest import mock

import numpy as np
import pytest
import torch
from cifar_fixture import python2_pickle, write_tiny_cifar10
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from blitzgui.core.data import (
    BUILTIN_CLASSES, CIFAR10_CLASSES, DATASET_SOURCES, DatasetError, ImageDataset, builtin_dataset, generate_shapes,
    image_grid, load_dataset, load_image_folder,
)


# -- the built-in dataset -------------------------------------------------------------------------
def test_generate_shapes_is_deterministic_balanced_and_varied():
    images, labels = generate_shapes(500, seed=3)
    again, again_labels = generate_shapes(500, seed=3)
    other, _ = generate_shapes(500, seed=4)
    assert images.dtype == torch.uint8 and images.shape == (500, 3, 32, 32)
    assert labels.dtype == torch.int64 and labels.bincount().tolist() == [50] * 10
    assert torch.equal(images, again) and torch.equal(labels, again_labels)
    assert not torch.equal(images, other)
    # varied: no two images alike, colours spread over the whole range
    assert len({bytes(image.numpy()) for image in images}) == 500
    assert images.float().std() > 50


def test_builtin_classes_are_learnable_by_a_tiny_model():
    # Not noise: ridge regression on fixed random convolution features beats chance (10 %) clearly
    # (0.32 here; the blitz Net reaches ~80 % on the full set in one epoch, see the README).
    torch.manual_seed(0)
    train_x, train_y = generate_shapes(1500, seed=1)
    test_x, test_y = generate_shapes(300, seed=2)
    features = torch.nn.Sequential(torch.nn.Conv2d(3, 16, 5), torch.nn.ReLU(), torch.nn.AdaptiveMaxPool2d(4),
                                   torch.nn.Flatten()).requires_grad_(False)
    with torch.no_grad():
        ftrain, ftest = features(train_x.float() / 255), features(test_x.float() / 255)
    mean, std = ftrain.mean(0), ftrain.std(0) + 1e-6

    def design(f):
        return torch.cat([(f - mean) / std, torch.ones(len(f), 1)], 1)

    a = design(ftrain)
    weights = torch.linalg.solve(a.T @ a + torch.eye(a.shape[1]), a.T @ torch.nn.functional.one_hot(train_y, 10).float())
    accuracy = (design(ftest) @ weights).argmax(1).eq(test_y).float().mean().item()
    assert accuracy > 0.25


def test_builtin_dataset_is_cached_and_a_corrupt_cache_is_rebuilt(data_dir):
    first = builtin_dataset(data_dir, train_size=200, test_size=50)
    assert first.classes == BUILTIN_CLASSES and first.image_shape == (3, 32, 32) and first.num_classes == 10
    assert first.train_images.shape == (200, 3, 32, 32) and first.test_images.shape == (50, 3, 32, 32)
    (cache,) = (data_dir / "builtin").glob("*.pt")
    with mock.patch("blitzgui.core.data.generate_shapes", side_effect=AssertionError("regenerated")):
        cached = builtin_dataset(data_dir, train_size=200, test_size=50)
    assert torch.equal(cached.train_images, first.train_images)
    cache.write_bytes(cache.read_bytes()[:1000])  # truncated
    rebuilt = builtin_dataset(data_dir, train_size=200, test_size=50)
    assert torch.equal(rebuilt.test_images, first.test_images)
    assert not torch.equal(first.train_images[:50], first.test_images)  # train and test differ


def test_builtin_dataset_works_when_the_data_folder_cannot_be_written(tmp_path):
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    dataset = builtin_dataset(not_a_folder, train_size=20, test_size=10)
    assert dataset.train_images.shape == (20, 3, 32, 32)


def test_builtin_dataset_resized(data_dir):
    small = builtin_dataset(data_dir, train_size=20, test_size=10, image_size=(28, 24))
    assert small.train_images.shape == (20, 3, 28, 24) and small.test_images.dtype == torch.uint8


def test_load_dataset_builtin_uses_the_full_cifar_size(data_dir):
    with mock.patch("blitzgui.core.data.builtin_dataset") as make:
        load_dataset("builtin", data_dir)
    make.assert_called_once_with(data_dir, image_size=None, should_stop=None)
    assert builtin_dataset.__defaults__[:2] == (50_000, 10_000)


# -- normalization ------------------------------------------------------------------------------
def test_normalize_matches_the_blitz_transform_and_denormalize_inverts_it(data_dir):
    dataset = builtin_dataset(data_dir, train_size=20, test_size=10)
    images = dataset.train_images[:4]
    normalized = dataset.normalize(images)
    assert normalized.dtype == torch.float32 and normalized.min() >= -1 and normalized.max() <= 1
    # ToTensor() then Normalize((0.5,)*3, (0.5,)*3), as the blitz does
    expected = (images.float() / 255 - 0.5) / 0.5
    assert torch.allclose(normalized, expected)
    assert torch.allclose(dataset.denormalize(normalized) * 255, images.float(), atol=1e-3)
    assert dataset.normalize(images[0]).shape == (3, 32, 32)  # one image works too


def test_other_mean_and_std_are_per_channel():
    images = torch.full((1, 3, 2, 2), 255, dtype=torch.uint8)
    dataset = ImageDataset("x", ["a"], images, torch.zeros(1, dtype=torch.int64), images, torch.zeros(1, dtype=torch.int64),
                           mean=(0.0, 0.5, 1.0), std=(1.0, 0.5, 0.25))
    assert dataset.normalize(images)[0, :, 0, 0].tolist() == [1.0, 1.0, 0.0]


def test_image_dataset_rejects_inconsistent_tensors():
    images = torch.zeros((2, 3, 8, 8), dtype=torch.uint8)
    labels = torch.zeros(2, dtype=torch.int64)
    with pytest.raises(DatasetError, match="uint8"):
        ImageDataset("x", ["a"], images.float(), labels, images, labels)
    with pytest.raises(DatasetError, match="labels"):
        ImageDataset("x", ["a"], images, labels[:1], images, labels)
    with pytest.raises(DatasetError, match="outside"):
        ImageDataset("x", ["a"], images, labels + 1, images, labels)
    with pytest.raises(DatasetError, match="differ in shape"):
        ImageDataset("x", ["a"], images, labels, images[:, :, :4], labels)
    with pytest.raises(DatasetError, match="one value per channel"):
        ImageDataset("x", ["a"], images[:, :1], labels, images[:, :1], labels)


@settings(max_examples=40, deadline=None)
@given(pixels=st.lists(st.integers(0, 255), min_size=3, max_size=3),
       mean=st.tuples(*[st.floats(0.0, 1.0)] * 3), std=st.tuples(*[st.floats(0.05, 2.0)] * 3))
def test_denormalize_inverts_normalize_for_any_statistics(pixels, mean, std):
    images = torch.tensor(pixels, dtype=torch.uint8).view(1, 3, 1, 1)
    labels = torch.zeros(1, dtype=torch.int64)
    dataset = ImageDataset("x", ["a"], images, labels, images, labels, mean=mean, std=std)
    assert torch.allclose(dataset.denormalize(dataset.normalize(images)) * 255, images.float(), atol=1e-3)


def test_unknown_source_is_refused(data_dir):
    assert set(DATASET_SOURCES) == {"builtin", "cifar10", "folder"}
    for source in ("mnist", "folder:", "", "cifar100"):
        with pytest.raises(DatasetError, match="Unknown dataset"):
            load_dataset(source, data_dir)


# -- CIFAR-10 --------------------------------------------------------------------------------------
def test_cifar10_loads_from_the_real_on_disk_format(data_dir):
    folder = write_tiny_cifar10(data_dir, per_batch=6, test_size=8)
    dataset = load_dataset("cifar10", data_dir)
    assert dataset.name == "cifar10" and dataset.classes == CIFAR10_CLASSES
    assert dataset.train_images.shape == (30, 3, 32, 32) and dataset.test_images.shape == (8, 3, 32, 32)
    assert dataset.train_images.dtype == torch.uint8 and dataset.train_labels.dtype == torch.int64
    # batches in order 1..5: the first image of data_batch_2 is the 7th training image
    with open(folder / "data_batch_2", "rb") as f:
        batch = pickle.load(f, encoding="bytes")
    assert torch.equal(dataset.train_images[6], torch.from_numpy(batch[b"data"][0].reshape(3, 32, 32)))
    assert dataset.train_labels[6] == batch[b"labels"][0]


def test_cifar10_reader_agrees_with_torchvision(data_dir):
    # torchvision reads the same files the same way once its md5 check (which refuses anything
    # but the original download) is bypassed: the fixture really is CIFAR-10's format.
    import torchvision

    write_tiny_cifar10(data_dir, per_batch=4, test_size=6)
    ours = load_dataset("cifar10", data_dir)
    with mock.patch("torchvision.datasets.cifar.check_integrity", return_value=True):
        theirs = torchvision.datasets.CIFAR10(str(data_dir), train=True, download=False)
    assert theirs.classes == ours.classes
    assert torch.equal(torch.from_numpy(theirs.data).permute(0, 3, 1, 2), ours.train_images)
    assert theirs.targets == ours.train_labels.tolist()


def test_cifar10_resized_to_the_model_input(data_dir):
    write_tiny_cifar10(data_dir, per_batch=2, test_size=2)
    dataset = load_dataset("cifar10", data_dir, image_size=(64, 64))
    assert dataset.train_images.shape == (10, 3, 64, 64) and dataset.train_images.dtype == torch.uint8


def test_cifar10_folder_missing_names_it(data_dir):
    with pytest.raises(DatasetError, match="cifar-10-batches-py") as error:
        load_dataset("cifar10", data_dir)
    assert "built-in" in str(error.value)


@pytest.mark.parametrize("name", ["data_batch_3", "test_batch", "batches.meta"])
def test_cifar10_missing_file_is_named(data_dir, name):
    folder = write_tiny_cifar10(data_dir, per_batch=2, test_size=2)
    (folder / name).unlink()
    with pytest.raises(DatasetError, match=f"missing: .*{name}"):
        load_dataset("cifar10", data_dir)


@pytest.mark.parametrize("keep", [0, 1, 40, 0.5, -3])
def test_cifar10_truncated_file_is_named(data_dir, keep):
    folder = write_tiny_cifar10(data_dir, per_batch=4, test_size=2)
    path = folder / "data_batch_4"
    content = path.read_bytes()
    path.write_bytes(content[: int(len(content) * keep) if isinstance(keep, float) else keep])
    with pytest.raises(DatasetError, match="data_batch_4"):
        load_dataset("cifar10", data_dir)


def test_cifar10_unreadable_file_is_named(data_dir):
    folder = write_tiny_cifar10(data_dir, per_batch=2, test_size=2)
    with mock.patch("builtins.open", side_effect=PermissionError(13, "Permission denied")):
        with pytest.raises(DatasetError, match="Cannot read CIFAR-10 file .*batches.meta: Permission denied"):
            load_dataset("cifar10", data_dir)
    assert folder.is_dir()


def test_cifar10_garbage_file_is_named(data_dir):
    folder = write_tiny_cifar10(data_dir, per_batch=2, test_size=2)
    (folder / "test_batch").write_bytes(np.random.default_rng(0).integers(0, 256, 5000, dtype=np.uint8).tobytes())
    with pytest.raises(DatasetError, match="corrupt.*test_batch"):
        load_dataset("cifar10", data_dir)


def test_cifar10_foreign_pickle_is_refused_without_running_it(data_dir, tmp_path):
    class Evil:
        def __reduce__(self):
            return (Path.touch, (tmp_path / "pwned",))

    folder = write_tiny_cifar10(data_dir, per_batch=2, test_size=2)
    (folder / "data_batch_1").write_bytes(pickle.dumps({"data": Evil()}, protocol=2))
    with pytest.raises(DatasetError, match="data_batch_1"):
        load_dataset("cifar10", data_dir)
    assert not (tmp_path / "pwned").exists()


@pytest.mark.parametrize("batch, message", [
    ([1, 2, 3], "not a CIFAR-10 batch"),
    ({b"labels": [1]}, "no data/labels"),
    ({b"data": np.zeros((2, 100), np.uint8), b"labels": [0, 1]}, "shape"),
    ({b"data": np.zeros((2, 3072), np.float32), b"labels": [0, 1]}, "uint8"),
    ({b"data": np.zeros((2, 3072), np.uint8), b"labels": [0]}, "1 labels for 2 images"),
    ({b"data": np.zeros((2, 3072), np.uint8), b"labels": [0, 10]}, "outside 0..9"),
])
def test_cifar10_wrong_contents_are_named(data_dir, batch, message):
    folder = write_tiny_cifar10(data_dir, per_batch=2, test_size=2)
    (folder / "data_batch_5").write_bytes(python2_pickle(batch))
    with pytest.raises(DatasetError, match=f"{message}.*data_batch_5"):
        load_dataset("cifar10", data_dir)


def test_cifar10_meta_without_names_is_named(data_dir):
    folder = write_tiny_cifar10(data_dir, per_batch=2, test_size=2)
    (folder / "batches.meta").write_bytes(python2_pickle({b"label_names": [b"a", b"b"]}))
    with pytest.raises(DatasetError, match="label_names.*batches.meta"):
        load_dataset("cifar10", data_dir)


# -- ImageFolder -----------------------------------------------------------------------------------
def _write_folder(root: Path, layout: dict[str, dict[str, int]], size=(40, 30), mode="RGB") -> Path:
    rng = np.random.default_rng(0)
    for split, classes in layout.items():
        for name, count in classes.items():
            (root / split / name).mkdir(parents=True, exist_ok=True)
            for i in range(count):
                pixels = rng.integers(0, 256, (size[1], size[0], 3), dtype=np.uint8)
                Image.fromarray(pixels).convert(mode).save(root / split / name / f"{i}.{'png' if i % 2 else 'jpg'}")
    return root


def test_image_folder_loads_resizes_and_sorts_classes(tmp_path, data_dir):
    root = _write_folder(tmp_path / "pets", {"train": {"dog": 3, "cat": 2}, "test": {"cat": 1, "dog": 2}})
    (root / "train" / "dog" / "notes.txt").write_text("not an image")  # ignored
    (root / "train" / ".hidden").mkdir()
    dataset = load_dataset(f"folder:{root}", data_dir, image_size=(16, 20))
    assert dataset.classes == ["cat", "dog"]
    assert dataset.train_images.shape == (5, 3, 16, 20) and dataset.test_images.shape == (3, 3, 16, 20)
    assert dataset.train_labels.tolist() == [0, 0, 1, 1, 1] and dataset.test_labels.tolist() == [0, 1, 1]
    default = load_dataset(f"folder:{root}", data_dir)
    assert default.image_shape == (3, 32, 32)


def test_image_folder_is_decoded_once_then_read_from_the_cache(tmp_path, data_dir, monkeypatch):
    import blitzgui.core.data as data_module

    root = _write_folder(tmp_path / "pets", {"train": {"dog": 3, "cat": 2}, "test": {"cat": 1, "dog": 2}})
    first = load_dataset(f"folder:{root}", data_dir)
    assert len(list((data_dir / "folders").glob("*.pt"))) == 1

    def no_decoding(path, image_size):
        raise AssertionError(f"decoded {path} again")

    monkeypatch.setattr(data_module, "_decode", no_decoding)
    again = load_dataset(f"folder:{root}", data_dir)
    assert torch.equal(again.train_images, first.train_images) and torch.equal(again.test_labels, first.test_labels)
    with pytest.raises(AssertionError, match="decoded"):  # another image size is another cache
        load_dataset(f"folder:{root}", data_dir, image_size=(16, 16))


def test_a_changed_image_folder_is_decoded_again_and_replaces_its_cache(tmp_path, data_dir):
    root = _write_folder(tmp_path / "pets", {"train": {"dog": 3, "cat": 2}, "test": {"cat": 1}})
    other = _write_folder(tmp_path / "pets-more", {"train": {"a": 1}, "test": {"a": 1}})  # a longer name
    load_dataset(f"folder:{other}", data_dir)
    load_dataset(f"folder:{root}", data_dir)
    Image.new("RGB", (8, 8), (255, 0, 0)).save(root / "train" / "cat" / "red.png")
    changed = load_dataset(f"folder:{root}", data_dir)
    assert len(changed.train_labels) == 6 and (changed.train_images == 255).any()
    assert len(list((data_dir / "folders").glob("*.pt"))) == 2  # one per folder: the old one replaced


def test_an_unreadable_folder_cache_is_decoded_again(tmp_path, data_dir):
    root = _write_folder(tmp_path / "pets", {"train": {"cat": 2}, "test": {"cat": 1}})
    first = load_dataset(f"folder:{root}", data_dir)
    (cache,) = (data_dir / "folders").glob("*.pt")
    cache.write_bytes(b"not a cache")
    assert torch.equal(load_dataset(f"folder:{root}", data_dir).train_images, first.train_images)


def test_image_folder_reports_decoding_progress(tmp_path):
    root = _write_folder(tmp_path / "pets", {"train": {"cat": 3, "dog": 2}, "test": {"cat": 1}})
    seen = []
    load_image_folder(root, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(i, 6) for i in range(1, 7)]


def test_image_folder_converts_grey_images_to_rgb(tmp_path, data_dir):
    root = _write_folder(tmp_path / "grey", {"train": {"a": 2}, "test": {"a": 1}}, mode="L")
    dataset = load_dataset(f"folder:{root}", data_dir)
    image = dataset.train_images[0]
    assert torch.equal(image[0], image[1]) and torch.equal(image[1], image[2])


def test_image_folder_corrupt_image_is_named(tmp_path, data_dir):
    root = _write_folder(tmp_path / "pets", {"train": {"cat": 2}, "test": {"cat": 1}})
    (root / "train" / "cat" / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n not really")
    with pytest.raises(DatasetError, match="broken.png"):
        load_dataset(f"folder:{root}", data_dir)


def test_image_folder_truncated_image_is_named(tmp_path, data_dir):
    root = _write_folder(tmp_path / "pets", {"train": {"cat": 2}, "test": {"cat": 1}}, size=(200, 200))
    path = root / "test" / "cat" / "0.jpg"
    path.write_bytes(path.read_bytes()[:300])
    with pytest.raises(DatasetError, match="0.jpg"):
        load_dataset(f"folder:{root}", data_dir)


@pytest.mark.parametrize("layout, message", [
    (None, "not found"),
    ({"train": {"a": 1}}, "no 'test' folder"),
    ({"test": {"a": 1}}, "no 'train' folder"),
    ({"train": {"a": 1, "b": 0}, "test": {"a": 1}}, "has no images"),
    ({"train": {"a": 1}, "test": {"a": 1, "zebra": 1}}, "zebra"),
    ({"train": {"a": 1}, "test": {"a": 0}}, "no test images"),
])
def test_image_folder_bad_layouts_are_explained(tmp_path, data_dir, layout, message):
    root = tmp_path / "tree"
    if layout is not None:
        root.mkdir()
        _write_folder(root, layout)
    with pytest.raises(DatasetError, match=message):
        load_dataset(f"folder:{root}", data_dir)


def test_image_folder_without_class_folders(tmp_path, data_dir):
    (tmp_path / "flat" / "train").mkdir(parents=True)
    (tmp_path / "flat" / "test").mkdir()
    Image.new("RGB", (8, 8)).save(tmp_path / "flat" / "train" / "x.png")
    with pytest.raises(DatasetError, match="no class folders"):
        load_dataset(f"folder:{tmp_path / 'flat'}", data_dir)


# -- the sample grid -----------------------------------------------------------------------------
def test_image_grid_lays_out_images_like_make_grid():
    images = torch.zeros((3, 3, 4, 4))
    images[1] = 1.0
    grid = image_grid(images, nrow=2, padding=1, scale=2)
    assert grid.dtype == np.uint8 and grid.shape == (1 + 2 * 9, 1 + 2 * 9, 3)
    assert (grid[1:9, 1:9] == 0).all() and (grid[1:9, 10:18] == 255).all()
