"""Layer specs, presets, build_module and the versioned JSON format (no display needed)."""

import json

import pytest
import torch

from blitzgui.core.layers import (
    LAYER_TYPES,
    PRESETS,
    LayerSpec,
    NetworkSpec,
    build_module,
    layer_names,
    load_spec,
    parameter_count,
    preset,
    save_spec,
    spec_from_json,
    spec_to_json,
)


@pytest.mark.parametrize(
    "name, params, shape",
    [("blitz_net", 61_706, (1, 32, 32)), ("cifar_net", 62_006, (3, 32, 32))],
)
def test_blitz_presets_have_the_tutorials_parameter_counts(name, params, shape):
    spec = preset(name)
    assert spec.input_shape == shape
    model = build_module(spec)
    assert parameter_count(model) == params
    assert model(torch.randn(4, *shape)).shape == (4, 10)


def test_wide_preset_widens_both_convolutions_and_still_runs():
    narrow, wide = build_module(preset("cifar_net")), build_module(preset("cifar_net_wide"))
    assert wide.conv1.out_channels > narrow.conv1.out_channels
    assert wide.conv2.in_channels == wide.conv1.out_channels
    assert wide(torch.randn(2, 3, 32, 32)).shape == (2, 10)


def test_every_preset_builds_and_preset_returns_a_copy():
    for name in PRESETS:
        assert build_module(preset(name))(torch.randn(2, *preset(name).input_shape)).shape == (2, 10)
    spec = preset("cifar_net")
    spec.layers[0].params["out_channels"] = 99
    assert preset("cifar_net").layers[0].params["out_channels"] == 6
    with pytest.raises(KeyError, match="cifar_net"):
        preset("resnet")


def test_children_are_named_like_the_blitz_net():
    assert layer_names(preset("cifar_net").layers)[:3] == ["conv1", "relu1", "pool1"]
    model = build_module(preset("cifar_net"))
    assert model.fc3.out_features == 10 and model.conv2.in_channels == 6


def test_every_layer_type_builds_with_its_defaults():
    for kind in LAYER_TYPES:
        assert isinstance(LayerSpec.of(kind).build(), torch.nn.Module), kind


def test_rnn_layer_keeps_only_the_output_sequence():
    spec = NetworkSpec(
        (LayerSpec.of("RNN", input_size=28, hidden_size=16), LayerSpec.of("Flatten"),
         LayerSpec.of("Linear", in_features=28 * 16, out_features=10)),
        (28, 28),
    )
    model = build_module(spec)
    assert model(torch.randn(3, 28, 28)).shape == (3, 10)
    assert dict(model.rnn1.named_parameters()).keys() == dict(torch.nn.RNN(28, 16).named_parameters()).keys()


@pytest.mark.parametrize(
    "kind, name, text, message",
    [
        ("Conv2d", "out_channels", "0", "at least 1"),
        ("Conv2d", "out_channels", "-3", "at least 1"),
        ("Conv2d", "out_channels", "1000000", "at most 16384"),
        ("Conv2d", "kernel_size", "2.5", "whole number"),
        ("Conv2d", "kernel_size", "abc", "whole number"),
        ("Linear", "in_features", "", "required"),
        ("Linear", "in_features", "   ", "required"),
        ("Dropout", "p", "1.5", "at most 1"),
        ("Dropout", "p", "nan", "finite"),
        ("RNN", "batch_first", "maybe", "true or false"),
    ],
)
def test_bad_field_values_get_plain_messages(kind, name, text, message):
    with pytest.raises(ValueError, match=message):
        LAYER_TYPES[kind].param(name).parse(text)


def test_good_field_values_parse():
    assert LAYER_TYPES["Conv2d"].param("kernel_size").parse(" 3 ") == 3
    assert LAYER_TYPES["Dropout"].param("p").parse("0.2") == 0.2
    assert LAYER_TYPES["MaxPool2d"].param("stride").parse("") is None  # empty: same as kernel


def test_invalid_layer_is_reported_and_not_built():
    layer = LayerSpec.of("Linear", in_features=0)
    assert layer.problems() == {"in_features": "must be at least 1"}
    with pytest.raises(ValueError, match="in_features"):
        build_module(NetworkSpec((layer,), (10,)))


def test_json_round_trip_and_file_round_trip(tmp_path):
    for name in PRESETS:
        assert spec_from_json(spec_to_json(preset(name))) == preset(name)
    path = tmp_path / "net.json"
    save_spec(preset("cifar_net_wide"), path)
    assert load_spec(path) == preset("cifar_net_wide")
    assert json.loads(path.read_text())["version"] == 1


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "not valid JSON"),
        ("{nope", "not valid JSON"),
        ("[1, 2]", "not a blitzgui network file"),
        ('{"layers": []}', "not a blitzgui network file"),
        ('{"format": "blitzgui.network", "version": "one"}', "version"),
        ('{"format": "blitzgui.network", "version": 7, "input_shape": [3], "layers": []}', "newer blitzgui"),
        ('{"format": "blitzgui.network", "version": 1, "layers": []}', "input_shape"),
        ('{"format": "blitzgui.network", "version": 1, "input_shape": [3, 32, 32]}', "layers"),
        ('{"format": "blitzgui.network", "version": 1, "input_shape": [3, 32, 32], "layers": [{"type": "Conv9d"}]}',
         "unknown layer type 'Conv9d'"),
        ('{"format": "blitzgui.network", "version": 1, "input_shape": [3, 32, 32], "layers": [5]}', "no type"),
        ('{"format": "blitzgui.network", "version": 1, "input_shape": [3, 32, 32],'
         ' "layers": [{"type": "Linear", "params": {"in_features": -1}}]}', "in_features must be at least 1"),
        ('{"format": "blitzgui.network", "version": 1, "input_shape": [3, 32, 32],'
         ' "layers": [{"type": "Linear", "params": {"bias_typo": 1}}]}', "no parameter 'bias_typo'"),
        ('{"format": "blitzgui.network", "version": 1, "input_shape": [0, "x"], "layers": []}', "input shape"),
    ],
)
def test_corrupt_or_foreign_json_raises_a_clear_value_error(text, message):
    with pytest.raises(ValueError, match=message):
        spec_from_json(text)


def test_load_spec_names_the_file_when_unreadable(tmp_path):
    binary = tmp_path / "weights.json"
    binary.write_bytes(b"\x80\x81\xff")
    with pytest.raises(ValueError, match="weights.json"):
        load_spec(binary)
    with pytest.raises(ValueError, match="missing.json"):
        load_spec(tmp_path / "missing.json")


def test_whole_floats_from_other_tools_are_accepted():
    text = spec_to_json(preset("cifar_net")).replace('"out_channels": 6', '"out_channels": 6.0')
    assert spec_from_json(text).layers[0].params["out_channels"] == 6


@pytest.mark.parametrize("name", ["class", "None", "nn", "torch", "F", "3x", "my net"])
def test_a_file_whose_name_would_break_the_exported_code_gets_the_name_net(name):
    from blitzgui.core.codegen import to_class_code

    data = json.loads(spec_to_json(preset("blitz_net")))
    data["name"] = name
    spec = spec_from_json(json.dumps(data))
    assert spec.name == "Net"
    namespace = {}
    exec(compile(to_class_code(spec), "<exported>", "exec"), namespace)  # noqa: S102 - code we generated
    assert parameter_count(namespace["Net"]()) == 61_706
