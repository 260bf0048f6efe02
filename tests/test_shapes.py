"""Meta-device shape inference: per-layer shapes, params, MACs, and the blitz's classic mistakes."""

from dataclasses import replace

import pytest
import torch
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from torch.utils.flop_counter import FlopCounterMode

from blitzgui.core.layers import LAYER_TYPES, LayerSpec, NetworkSpec, build_module, parameter_count, preset
from blitzgui.core import shapes
from blitzgui.core.shapes import BATCHED_NDIM, COUNTED_KINDS, ELEMENTWISE_KINDS, describe_counts, format_shape, infer_shapes, parse_input_shape


def with_layers(spec, layers):
    return replace(spec, layers=tuple(layers))


def test_blitz_net_shapes_params_and_macs_per_layer():
    report = infer_shapes(preset("blitz_net"))
    assert report.ok and report.output_shape == (1, 10)
    shapes = {row.name: row.output_shape for row in report.layers}
    assert shapes["conv1"] == (1, 6, 28, 28) and shapes["pool2"] == (1, 16, 5, 5) and shapes["flatten1"] == (1, 400)
    assert report.total_params == 61_706 == parameter_count(build_module(preset("blitz_net")))
    conv1 = report.layers[0]
    assert conv1.params == 156 and conv1.macs == 6 * 28 * 28 * 5 * 5 * 1  # one MAC per weight per output pixel
    fc1 = next(row for row in report.layers if row.name == "fc1")
    assert fc1.macs == 400 * 120 and fc1.flops == 2 * fc1.macs
    assert report.total_macs == sum(row.macs for row in report.layers) > 0


def test_cifar_net_totals():
    report = infer_shapes(preset("cifar_net"))
    assert report.ok and report.total_params == 62_006 and report.input_shape == (1, 3, 32, 32)


def test_batch_size_only_changes_the_leading_dimension():
    report = infer_shapes(preset("cifar_net"), batch=8)
    assert report.output_shape == (8, 10) and report.total_macs == 8 * infer_shapes(preset("cifar_net")).total_macs


def test_classic_error_16x5x5_with_a_28x28_input():
    report = infer_shapes(replace(preset("blitz_net"), input_shape=(1, 28, 28)))
    assert not report.ok
    row = report.layers[report.error_index]
    assert row.name == "fc1" and row.field == "in_features"
    assert row.error.startswith("Linear expects 400 input features but receives 16×4×4 = 256")
    assert "for a 1×28×28 input the flatten size is 16*4*4" in row.error
    # the layers after the failure are not run but still count their parameters
    assert all(later.output_shape is None for later in report.layers[report.error_index:])
    assert report.total_params == 61_706


def test_classic_error_one_channel_net_fed_colour_images():
    report = infer_shapes(replace(preset("blitz_net"), input_shape=(3, 32, 32)))
    row = report.layers[report.error_index]
    assert report.error_index == 0 and row.field == "in_channels"
    assert "Conv2d expects 1 input channel but receives 3" in row.error and "set in_channels to 3" in row.error


def test_channel_mismatch_between_two_convolutions_names_the_fix():
    layers = list(preset("cifar_net").layers)
    layers[3] = layers[3].with_param("in_channels", 8)
    row = infer_shapes(with_layers(preset("cifar_net"), layers)).layers[3]
    assert row.error == (
        "Conv2d expects 8 input channels but receives 6: the layer before it outputs 6 channels, "
        "so set in_channels to 6."
    )


def test_kernel_larger_than_its_input():
    report = infer_shapes(replace(preset("cifar_net"), input_shape=(3, 8, 8)))
    row = report.layers[report.error_index]
    assert row.name == "conv2" and row.field == "kernel_size"
    assert "kernel 5×5 is larger than its input 2×2" in row.error


def test_pool_padding_more_than_half_the_kernel():
    layers = list(preset("cifar_net").layers)
    layers[2] = layers[2].with_param("padding", 2)
    row = infer_shapes(with_layers(preset("cifar_net"), layers)).layers[2]
    assert row.field == "padding" and "more than half" in row.error


def test_missing_flatten_and_convolution_after_flatten():
    layers = [layer for layer in preset("cifar_net").layers if layer.kind != "Flatten"]
    row = infer_shapes(with_layers(preset("cifar_net"), layers)).layers[6]
    assert "add a Flatten before it" in row.error
    layers = [LayerSpec.of("Flatten"), *preset("cifar_net").layers]
    row = infer_shapes(with_layers(preset("cifar_net"), layers)).layers[1]
    assert "expects a 4-D input N×C×H×W but receives 1×3072" in row.error and "before the Flatten" in row.error


def test_softmax_dim_out_of_range_is_caught_although_meta_does_not_check_it():
    spec = with_layers(preset("cifar_net"), [*preset("cifar_net").layers, LayerSpec.of("Softmax", dim=3)])
    with pytest.raises(IndexError):
        build_module(spec).eval()(torch.randn(1, 3, 32, 32))
    row = infer_shapes(spec).layers[-1]
    assert row.field == "dim" and "out of range" in row.error


def test_invalid_parameter_marks_its_layer_without_raising():
    layers = list(preset("cifar_net").layers)
    layers[0] = layers[0].with_param("out_channels", 0)
    report = infer_shapes(with_layers(preset("cifar_net"), layers))
    assert report.error_index == 0 and report.layers[0].field == "out_channels"


def test_format_shape_and_counts():
    assert format_shape((1, 3, 32, 32)) == "1×3×32×32" and format_shape(None) == "—"
    assert [describe_counts(n) for n in (840, 10_080, 1_303_440, 2_500_000_000)] == ["840", "10.1k", "1.3M", "2.5G"]


@pytest.mark.parametrize(
    "text, expected",
    [("1×3×32×32", (1, (3, 32, 32))), ("4, 1, 28, 28", (4, (1, 28, 28))), (" 2 x 10 ", (2, (10,))),
     ("(8, 3, 64, 64)", (8, (3, 64, 64)))],
)
def test_parse_input_shape(text, expected):
    assert parse_input_shape(text) == expected


@pytest.mark.parametrize(
    "text, message",
    [("", "enter a shape"), ("1×3×abc", "whole numbers"), ("1×-3×32", "whole numbers"), ("1.5×3", "whole numbers"),
     ("7", "at least one more"), ("1×0×32", "at least 1"), ("1×2×3×4×5×6", "at most 5"),
     ("1000×3×1000×1000", "too large")],
)
def test_parse_input_shape_rejects_bad_text(text, message):
    with pytest.raises(ValueError, match=message):
        parse_input_shape(text)


@pytest.mark.parametrize("kind", sorted(LAYER_TYPES))
def test_the_shortcuts_hold_for_every_layer_type(kind):
    """Element-wise layers keep any shape, and only COUNTED_KINDS run ops the flop counter counts."""
    module = LayerSpec.of(kind, **({"input_size": 4} if kind == "RNN" else {})).build().eval()
    for shape in [(2, 4), (2, 4, 5), (2, 4, 6, 6)]:
        try:
            with FlopCounterMode(display=False) as counter:
                output = module(torch.randn(shape))
        except (RuntimeError, ValueError, IndexError):
            assert kind not in ELEMENTWISE_KINDS
            continue
        if kind in ELEMENTWISE_KINDS:
            assert tuple(output.shape) == shape
        if kind not in COUNTED_KINDS:
            assert counter.get_total_flops() == 0


def test_an_edit_reruns_only_the_layers_it_affects():
    spec = preset("cifar_net")
    infer_shapes(spec)
    before = shapes._run.cache_info().misses
    layers = list(spec.layers)
    layers[-1] = layers[-1].with_param("out_features", 7)
    assert infer_shapes(with_layers(spec, layers)).output_shape == (1, 7)
    assert shapes._run.cache_info().misses == before + 1


# -- property: the meta-device inference agrees with a real forward pass ------------------------
small = st.integers(1, 4)


@st.composite
def layer_specs(draw):
    kind = draw(st.sampled_from(sorted(LAYER_TYPES)))
    values = {}
    for param in LAYER_TYPES[kind].params:
        name = param.name
        if param.kind is bool:
            values[name] = draw(st.booleans())
        elif param.kind is str:
            values[name] = draw(st.sampled_from(param.choices))
        elif param.kind is float:
            values[name] = draw(st.sampled_from([0.0, 0.5, 1.0]) if param.low == 0 else st.sampled_from([0.5, 1.0, 2.0]))
        elif name == "stride" and param.optional:
            values[name] = draw(st.none() | st.integers(1, 3))
        elif name in ("stride", "kernel_size"):
            values[name] = draw(st.integers(1, 4))
        elif name == "padding":
            values[name] = draw(st.integers(0, 2))
        elif name in ("dim", "start_dim", "end_dim"):
            values[name] = draw(st.integers(-3, 3) if name != "start_dim" else st.integers(0, 3))
        elif name == "num_layers":
            values[name] = draw(st.integers(1, 2))
        else:
            values[name] = draw(small)
    return LayerSpec(kind, values)


input_shapes = st.one_of(st.tuples(small), st.tuples(small, st.integers(1, 9)), st.tuples(small, st.integers(1, 9), st.integers(1, 9)))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(layers=st.lists(layer_specs(), min_size=1, max_size=5), input_shape=input_shapes)
def test_inferred_shapes_match_a_real_forward_pass(layers, input_shape):
    spec = NetworkSpec(tuple(layers), input_shape)
    report = infer_shapes(spec, batch=2)
    model = build_module(spec).eval()
    x = torch.randn(2, *input_shape)
    failed_at = None
    with torch.no_grad():
        for index, (module, layer) in enumerate(zip(model, layers)):
            # The builder's contract: a layer torch would also run on one unbatched sample must get
            # a batch (tested on its own above); everything else is up to torch.
            if layer.kind in BATCHED_NDIM and x.dim() != BATCHED_NDIM[layer.kind][0]:
                failed_at = index
                break
            try:
                x = module(x)
            except (RuntimeError, ValueError, IndexError):
                failed_at = index
                break
            assert report.layers[index].output_shape == tuple(x.shape), (index, spec)
    assert report.error_index == failed_at, (report.error, spec)
    event("whole stack ran" if failed_at is None else "failed at layer {}".format(failed_at + 1))
    if failed_at is not None:
        assert report.layers[failed_at].error


def test_an_input_without_the_batch_size_is_refused_not_read_as_one_unbatched_image():
    # torch would run Conv2d(1, 6, 5) on 1×28×28 as ONE unbatched image and the check would then
    # advise in_features = 16 (4*4): wrong for the batches the model is trained on.
    batch, sample = parse_input_shape("1×28×28")
    report = infer_shapes(replace(preset("blitz_net"), input_shape=sample), batch=batch)
    row = report.layers[report.error_index]
    assert row.name == "conv1"
    assert row.error == (
        "Conv2d expects a 4-D input N×C×H×W but receives 1×28×28 (3-D): the input shape starts with "
        "the batch size, e.g. 1×1×28×28."
    )
    rnn = NetworkSpec((LayerSpec.of("RNN", input_size=28),), (28,))
    assert infer_shapes(rnn, batch=5).layers[0].error.startswith("RNN expects a 3-D input N×L×features")


def test_a_channels_last_input_is_recognised():
    # Images from PIL or numpy are H×W×C; PyTorch wants channels first.
    report = infer_shapes(replace(preset("cifar_net"), input_shape=(32, 32, 3)), batch=4)
    row = report.layers[0]
    assert row.field is None and row.error == (
        "Conv2d expects 3 input channels but receives 32: the 32×32×3 input is channels-last "
        "(height × width × channels, as PIL and numpy store images); PyTorch wants channels first, "
        "so enter 4×3×32×32."
    )


def test_flatten_start_after_end_is_explained():
    spec = NetworkSpec((LayerSpec.of("Flatten", start_dim=3, end_dim=1),), (3, 32, 32))
    row = infer_shapes(spec).layers[0]
    assert row.field == "start_dim" and row.error == (
        "Flatten start_dim 3 comes after end_dim 1 (dimension 1 of the 4-D input 1×3×32×32): it merges the "
        "dimensions from start_dim to end_dim, so start_dim must not be larger."
    )


def test_a_new_layer_takes_the_size_of_what_arrives_where_it_is_inserted():
    from blitzgui.core.shapes import fitting_layer

    spec = preset("cifar_net")  # conv1 → 6 channels, conv2 → 16 channels, flatten1 → 400, fc1 → 120
    assert fitting_layer("BatchNorm2d", spec, 1).params["num_features"] == 6
    assert fitting_layer("Conv2d", spec, 4).params["in_channels"] == 16
    assert fitting_layer("Conv2d", spec, 0).params["in_channels"] == 3
    assert fitting_layer("Linear", spec, 8).params["in_features"] == 120
    assert fitting_layer("BatchNorm1d", spec, 8, batch=4).params["num_features"] == 120
    assert fitting_layer("Conv2d", spec, 7) == LayerSpec.of("Conv2d")  # after the Flatten: nothing fits, defaults
    assert fitting_layer("ReLU", spec, 3) == LayerSpec.of("ReLU")
    broken = replace(spec, input_shape=(1, 28, 28))  # the check stops at fc1: after it nothing is known
    assert fitting_layer("Linear", broken, 9) == LayerSpec.of("Linear")
