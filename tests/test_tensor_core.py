"""blitzgui.core.tensors and blitzgui.core.storage, without a display."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from blitzgui.core import storage, tensors


def test_summaries_of_each_kind():
    x = torch.ones(2, 3, requires_grad=True)
    y = x * 2
    s = tensors.summarize("y", y)
    assert (s.kind, s.shape, s.dtype, s.device, s.requires_grad, s.grad_fn, s.memory) == (
        "Tensor", "(2, 3)", "float32", "cpu", "True", "MulBackward0", 24,
    )
    assert tensors.summarize("x", x).grad_fn == "leaf"
    assert tensors.summarize("p", nn.Parameter(torch.zeros(4))).kind == "Parameter"
    a = tensors.summarize("a", np.zeros((5,), dtype=np.int16))
    assert (a.kind, a.shape, a.dtype, a.memory, a.grad_fn) == ("ndarray", "(5,)", "int16", 10, "")
    m = tensors.summarize("net", nn.Linear(3, 2))
    assert m.kind == "Module" and "8 params" in m.shape and m.memory == 32
    with pytest.raises(TypeError):
        tensors.summarize("n", 3)


def test_only_tensors_arrays_and_modules_are_listed():
    assert tensors.is_listed("x", torch.zeros(1))
    assert tensors.is_listed("net", nn.ReLU())
    assert not tensors.is_listed("x", 5)
    assert not tensors.is_listed("_3", torch.zeros(1))  # IPython's output cache
    assert not tensors.is_listed("torch", torch)


def test_details_of_a_transposed_view():
    t = torch.arange(12.0).reshape(3, 4).T[1:]
    d = tensors.details(t)
    assert d["shape"] == "(3, 3)" and d["stride"] == "(1, 4)"
    assert d["is_contiguous"] == "False" and d["storage_offset"] == "1"
    assert d["numel"] == "9" and d["memory"] == "36 B"


def test_stats_exact_with_nan_and_inf():
    t = torch.tensor([1.0, 2.0, 3.0, math.nan, math.inf, -math.inf])
    s = tensors.stats(t)
    assert (s.min, s.max, s.mean) == (1.0, 3.0, 2.0)
    assert s.std == pytest.approx(1.0)
    assert (s.nan_count, s.inf_count, s.sampled) == (1, 2, False)


def test_stats_of_ints_bools_complex_and_empty():
    assert tensors.stats(torch.tensor([1, 2, 3])).mean == 2.0
    assert tensors.stats(torch.tensor([True, False])).max == 1.0
    assert tensors.stats(torch.tensor([3 + 4j])).max == 5.0
    assert tensors.stats(torch.zeros(0)).note == "empty tensor"
    assert "meta" in tensors.stats(torch.zeros(3, device="meta")).note


def test_stats_of_a_huge_tensor_are_sampled_and_say_so(monkeypatch):
    monkeypatch.setattr(tensors, "EXACT_STATS_LIMIT", 1000)
    monkeypatch.setattr(tensors, "STATS_SAMPLE", 500)
    t = torch.arange(10_000.0)
    s = tensors.stats(t)
    assert s.sampled and s.count == 500 and "sample" in s.note
    assert 4000 < s.mean < 6000


def test_sample_does_not_copy_the_whole_tensor():
    t = torch.arange(100).reshape(10, 10).T  # non-contiguous
    values = tensors.sample(t, 7)
    assert values.shape == (7,) and set(values.tolist()) <= set(range(100))
    assert tensors.sample(t, 1000).numel() == 100


def test_plane_picks_axes_and_indices():
    t = torch.arange(24.0).reshape(2, 3, 4)
    p = tensors.plane(t, rows_axis=2, cols_axis=1, index={0: 1})
    assert p.values.shape == (4, 3)
    np.testing.assert_array_equal(p.values, t[1].T.numpy())
    with pytest.raises(IndexError):
        tensors.plane(t, 1, 2, index={0: 5})
    with pytest.raises(ValueError):
        tensors.plane(t, 1, 1)
    assert tensors.plane(torch.tensor(3.0)).values.shape == (1, 1)
    assert tensors.plane(torch.arange(5)).values.shape == (1, 5)


def test_plane_of_a_big_tensor_is_thinned_by_striding():
    t = torch.zeros(5000, 300)
    p = tensors.plane(t, max_side=1000)
    assert p.step == (5, 1) and p.values.shape == (1000, 300)


def test_histogram_ignores_non_finite_values():
    counts, edges = tensors.histogram(torch.tensor([0.0, 1.0, 1.0, math.nan, math.inf]), bins=2)
    assert counts.tolist() == [1, 2] and len(edges) == 3
    counts, _ = tensors.histogram(torch.full((4,), 7.0))
    assert counts.sum() == 4


def test_images_from_chw_and_hw():
    chw = torch.rand(3, 8, 6)
    img = tensors.image(chw)
    assert img.shape == (8, 6, 3) and img.dtype == np.uint8
    hw = tensors.image(torch.arange(16.0).reshape(4, 4))  # outside [0, 1]: min–max scaled
    assert hw.shape == (4, 4) and hw.min() == 0 and hw.max() == 255
    assert tensors.image_shape_ok(torch.zeros(1, 5, 5))
    assert not tensors.image_shape_ok(torch.zeros(4, 5, 5))
    with pytest.raises(ValueError):
        tensors.image(torch.zeros(5))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 5), min_size=2, max_size=4), st.data())
def test_plane_matches_plain_indexing(shape, data):
    t = torch.arange(math.prod(shape), dtype=torch.float32).reshape(shape)
    rows, cols = data.draw(st.permutations(range(len(shape))))[:2]
    index = {a: data.draw(st.integers(0, shape[a] - 1)) for a in range(len(shape)) if a not in (rows, cols)}
    expected = t.permute(*[a for a in range(len(shape)) if a not in (rows, cols)], rows, cols)
    for a in sorted(index):
        expected = expected[index[a]]
    np.testing.assert_array_equal(tensors.plane(t, rows, cols, index).values, expected.numpy())


# -- storage -------------------------------------------------------------------------------------
def test_numpy_bridge_shares_memory_both_ways():
    x = torch.ones(5)
    a = x.numpy()
    b = np.zeros(3)
    u = torch.from_numpy(b)
    ns = {"x": x, "a": a, "b": b, "u": u, "other": torch.ones(5), "n": 3}
    assert [s.name for s in storage.sharers(ns, "x")] == ["a"]
    assert storage.sharers(ns, "x")[0].relation == "NumPy array on the same memory"
    assert [s.name for s in storage.sharers(ns, "b")] == ["u"]
    assert storage.sharers(ns, "b")[0].relation == "tensor on the same memory"
    assert storage.sharers(ns, "other") == []


def test_views_and_their_base():
    x = torch.arange(6.0)
    v = x.view(2, 3)
    w = x[2:]
    ns = {"x": x, "v": v, "w": w, "c": x.clone()}
    relations = {s.name: s.relation for s in storage.sharers(ns, "x")}
    assert relations == {"v": "view of it", "w": "view of it"}
    assert {s.name: s.relation for s in storage.sharers(ns, "v")} == {
        "w": "view of the same base", "x": "its base (it is a view of this)",
    }
    assert storage.ownership(v) == "view" and storage.ownership(x) == "owner"
    assert storage.ownership(x.numpy()) == "view"


def test_in_place_change_reaches_the_numpy_array():
    x = torch.zeros(3)
    ns = {"x": x, "a": x.numpy(), "v": x[:1], "free": np.zeros(3), "_1": x}
    x.add_(1)
    assert ns["a"].tolist() == [1.0, 1.0, 1.0]
    found = storage.changed_with(ns, {"x"}, listed=tensors.is_listed)
    assert found == {"a", "v"}


def test_values_without_memory_share_nothing():
    ns = {"e": torch.zeros(0), "m": torch.zeros(2, device="meta"), "s": torch.zeros(2).to_sparse(), "i": 3}
    for name in ns:
        assert storage.sharers(ns, name) == []
    with pytest.raises(TypeError):
        storage.ownership(3)


def test_in_place_watch_finds_numpy_and_module_changes():
    watch = storage.InPlaceWatch(limit=1000)
    net = nn.Linear(2, 1)
    ns = {"a": np.zeros(3), "big": np.zeros(1000), "t": torch.zeros(2), "s": np.array(3.0),
          "o": np.array([None, 1], dtype=object), "net": net}
    assert watch.changed(ns) == set()
    np.add(ns["a"], 1, out=ns["a"])
    ns["big"] += 1  # over the limit: not watched
    assert watch.changed(ns) == {"a"}
    ns["a"] = np.ones(3)  # rebound, not changed in place: detect_changes' business
    assert watch.changed(ns) == set()
    ns["s"] += 1  # a 0-d array
    with torch.no_grad():
        net.weight.add_(1)
    assert watch.changed(ns) == {"s", "net"}


def test_resolve_paths_into_modules():
    net = nn.Sequential(nn.Linear(2, 2))
    ns = {"net": net, "x": torch.zeros(1)}
    assert tensors.resolve(ns, "net.0.weight") is net[0].weight
    assert tensors.resolve(ns, "x") is ns["x"]
    assert tensors.resolve(ns, "gone") is None
    assert tensors.resolve(ns, "x.T") is None  # only module attributes are followed
    assert [n for n, _ in tensors.module_tensors(net)] == ["0.weight", "0.bias"]
    assert storage.sharers({"a": ns["x"], "b": ns["x"]}, "a")[0].relation == "the same object, another name"


def test_as_tensor_of_flipped_and_read_only_arrays():
    flipped = np.arange(6.0).reshape(2, 3)[:, ::-1]  # np.flip: negative strides, which torch lacks
    t = tensors.as_tensor(flipped)
    np.testing.assert_array_equal(t.numpy(), flipped)
    d = tensors.details(t, flipped)
    assert d["stride"] == "(3, -1)" and d["is_contiguous"] == "False"  # the array's own layout
    read_only = np.broadcast_to(np.arange(3.0), (4, 3))
    view = tensors.as_tensor(read_only)  # no copy, and no warning (warnings are errors here)
    assert view.data_ptr() == read_only.ctypes.data and view.stride() == (0, 1)
    assert tensors.details(view, read_only)["stride"] == "(0, 1)"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([0.0, -1.5, 2.0, 1e30, math.nan, math.inf, -math.inf]) | st.floats(-1e6, 1e6),
                min_size=1, max_size=30))
def test_stats_match_numpy_on_any_mix_of_finite_nan_and_inf(values):
    s = tensors.stats(torch.tensor(values, dtype=torch.float64))
    a = np.array(values)
    finite = a[np.isfinite(a)]
    assert (s.nan_count, s.inf_count) == (np.isnan(a).sum(), np.isinf(a).sum())
    if finite.size == 0:
        assert math.isnan(s.min) and math.isnan(s.mean)
        return
    assert (s.min, s.max) == (finite.min(), finite.max())
    assert s.mean == pytest.approx(finite.mean(), rel=1e-9, abs=1e-9)
    assert s.std == pytest.approx(finite.std(ddof=1) if finite.size > 1 else 0.0, rel=1e-6, abs=1e-6)


def test_sample_picks_the_same_elements_whatever_the_layout():
    t = torch.arange(10_000).reshape(100, 100)
    picked = tensors.sample(t, 500)
    assert torch.equal(tensors.sample(t.T.contiguous().T, 500), picked)  # same values, other strides
    assert torch.equal(tensors.sample(t.T, 500), tensors.sample(t.T.contiguous(), 500))
    assert len(set(picked.tolist())) > 450  # a random sample, not the first 500
