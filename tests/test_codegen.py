"""Code export (class Net / nn.Sequential) runs, matches the spec's parameters, and parses back."""

import pytest
import torch

from blitzgui.core.codegen import parse_code, to_class_code, to_sequential_code
from blitzgui.core.layers import PRESETS, LAYER_TYPES, LayerSpec, NetworkSpec, build_module, preset

BLITZ_PART3_NET = '''
import torch
import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):

    def __init__(self):
        super(Net, self).__init__()
        # 1 input image channel, 6 output channels, 5x5 square convolution
        # kernel
        self.conv1 = nn.Conv2d(1, 6, 5)
        self.conv2 = nn.Conv2d(6, 16, 5)
        # an affine operation: y = Wx + b
        self.fc1 = nn.Linear(16 * 5 * 5, 120)  # 5*5 from image dimension
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        # Max pooling over a (2, 2) window
        x = F.max_pool2d(F.relu(self.conv1(x)), (2, 2))
        # If the size is a square, you can specify with a single number
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1) # flatten all dimensions except the batch dimension
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        x = self.fc3(x)
        return x
'''

RNN_SPEC = NetworkSpec(
    (LayerSpec.of("RNN", input_size=28, hidden_size=8, num_layers=2, nonlinearity="relu"), LayerSpec.of("Flatten"),
     LayerSpec.of("Linear", in_features=28 * 8, out_features=10), LayerSpec.of("Softmax", dim=1)),
    (28, 28),
)
ALL_KINDS_SPEC = NetworkSpec(
    (LayerSpec.of("Conv2d", in_channels=3, out_channels=4, kernel_size=3, stride=2, padding=1),
     LayerSpec.of("BatchNorm2d", num_features=4), LayerSpec.of("ELU", alpha=0.5), LayerSpec.of("AvgPool2d", kernel_size=2, stride=1),
     LayerSpec.of("Tanh"), LayerSpec.of("Flatten"), LayerSpec.of("Dropout", p=0.1), LayerSpec.of("Linear", in_features=196, out_features=12),
     LayerSpec.of("BatchNorm1d", num_features=12), LayerSpec.of("Softplus", beta=2.0), LayerSpec.of("Softshrink", lambd=0.25),
     LayerSpec.of("Softsign"), LayerSpec.of("LogSigmoid"), LayerSpec.of("Sigmoid"), LayerSpec.of("Softmin", dim=-1),
     LayerSpec.of("Flatten", start_dim=0)),
    (3, 16, 16),
)
SPECS = [preset(name) for name in PRESETS] + [RNN_SPEC, ALL_KINDS_SPEC]


def shapes(module):
    return [(name.split(".", 1)[-1], tuple(p.shape)) for name, p in module.state_dict().items()]


def run(code, name):
    namespace = {}
    exec(compile(code, "<exported>", "exec"), namespace)  # noqa: S102 - code we generated
    return namespace[name]


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: "×".join(map(str, s.input_shape)) + f"-{len(s.layers)}")
def test_exported_class_runs_and_matches_the_built_module(spec):
    net = run(to_class_code(spec), spec.name)()
    built = build_module(spec)
    assert shapes(net) == shapes(built)  # same names (conv1.weight ...) and shapes, in order
    net.load_state_dict(built.state_dict())
    x = torch.randn(2, *spec.input_shape)
    net.eval(), built.eval()
    assert torch.allclose(net(x), built(x))


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: "×".join(map(str, s.input_shape)) + f"-{len(s.layers)}")
def test_exported_sequential_runs_with_the_same_parameter_shapes(spec):
    net = run(to_sequential_code(spec), "net")
    assert [s for _, s in shapes(net)] == [s for _, s in shapes(build_module(spec))]
    assert net.eval()(torch.randn(2, *spec.input_shape)).shape == build_module(spec).eval()(torch.randn(2, *spec.input_shape)).shape


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: "×".join(map(str, s.input_shape)) + f"-{len(s.layers)}")
def test_both_exports_parse_back_to_the_same_spec(spec):
    assert parse_code(to_class_code(spec)) == spec
    assert parse_code(to_sequential_code(spec)) == spec


def test_every_layer_type_is_covered_by_the_round_trip_specs():
    covered = {layer.kind for spec in SPECS for layer in spec.layers}
    assert covered >= set(LAYER_TYPES) - {"Conv1d", "MaxPool1d", "AvgPool1d"}
    spec_1d = NetworkSpec((LayerSpec.of("Conv1d", in_channels=2, out_channels=3, kernel_size=3), LayerSpec.of("MaxPool1d"),
                           LayerSpec.of("AvgPool1d", kernel_size=2, padding=1)), (2, 20))
    assert parse_code(to_class_code(spec_1d)) == spec_1d == parse_code(to_sequential_code(spec_1d))


def test_the_blitz_tutorials_own_net_parses_to_the_blitz_preset():
    spec = parse_code(BLITZ_PART3_NET, input_shape=(1, 32, 32))
    assert spec == preset("blitz_net")


@pytest.mark.parametrize(
    "code, message",
    [
        ("class Net(nn.Module):\n  def forward(self, x)\n", "line 2: syntax error"),
        ("x = 1\n", "no class"),
        ("net = nn.Sequential(nn.Conv3d(1, 2, 3))\n", "nn.Conv3d.*is not a layer the builder knows"),
        ("net = nn.Sequential(nn.Linear(0, 2))\n", "in_features must be at least 1"),
        ("net = nn.Sequential(nn.Linear(n, 2))\n", "only plain numbers"),
        ("net = nn.Sequential(nn.MaxPool2d((2, 3)))\n", "is not square"),
        ("net = nn.Sequential(nn.Linear(2, 3, dtype=None))\n", "'dtype' is not supported"),
        ("class Net(nn.Module):\n  def __init__(self):\n    pass\n", "needs both __init__ and forward"),
        ("class Net(nn.Module):\n  def __init__(self):\n    pass\n  def forward(self, x):\n    return self.fc(x)\n",
         "line 5: self.fc is not defined"),
        ("class Net(nn.Module):\n  def __init__(self):\n    pass\n  def forward(self, x):\n    if x:\n      return x\n",
         "forward may only"),
        ("class Net(nn.Module):\n  def __init__(self):\n    pass\n  def forward(self, x):\n    return x.view(-1)\n",
         "not a layer"),
    ],
)
def test_code_the_builder_cannot_read_gets_a_message_with_the_line(code, message):
    with pytest.raises(ValueError, match=message):
        parse_code(code)


def test_a_class_named_like_an_import_is_exported_as_net():
    spec = parse_code(BLITZ_PART3_NET.replace("Net", "nn", 2).replace("class nn(nn.Module)", "class nn(torch.nn.Module)"))
    assert spec.name == "Net" and "class Net(nn.Module)" in to_class_code(spec)


def test_layers_without_bias_count_weights_only_and_round_trip():
    spec = parse_code("net = nn.Sequential(nn.Conv2d(3, 6, 5, bias=False), nn.Flatten(), nn.Linear(2352, 10, False))")
    assert [layer.params["bias"] for layer in spec.layers if "bias" in layer.params] == [False, False]
    module = build_module(spec)
    assert module.conv1.bias is None and sum(p.numel() for p in module.parameters()) == 6 * 3 * 25 + 2352 * 10
    for code in (to_class_code(spec), to_sequential_code(spec)):
        assert "bias=False" in code and parse_code(code) == spec
    # torch's 6th positional argument of Conv2d is dilation, not bias: refused rather than misread
    with pytest.raises(ValueError, match="at most 5 arguments"):
        parse_code("net = nn.Sequential(nn.Conv2d(3, 6, 5, 1, 0, 2))")
