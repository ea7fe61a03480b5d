"""Diagrams and frames, checked in the rendered SVG against numbers worked out by hand.

The CS231n example f = sigmoid(w0*x0 + w1*x1 + w2) at w0=2, x0=-1, w1=-3, x1=-2, w2=-3:
s = 1, f = sigmoid(1) = 0.73, df/ds = f(1 - f) = 0.1966 ≈ 0.20, so dw0 = 0.20*x0 = -0.20,
dx0 = 0.20*w0 = 0.39, dw1 = 0.20*x1 = -0.39, dx1 = 0.20*w1 = -0.59, dw2 = 0.20.
"""

from __future__ import annotations

import base64
import re
import warnings

import graphviz
import pytest

import nn
from engine import Value, record_steps
from tests.examples import cs231n
from tests.viz import svg
from viz import GraphTooLarge, draw
from viz.markup import BACKSLASH_LOOKALIKE
from viz.render import Diagram, GraphvizNotFound, save, save_dot, to_svg

# label -> (data, grad) at 2 decimals, by hand (see the module docstring)
CS231N = {"w0": ("2.00", "-0.20"), "x0": ("-1.00", "0.39"), "w1": ("-3.00", "-0.39"),
          "x1": ("-2.00", "-0.59"), "w2": ("-3.00", "0.20"), "s0": ("-2.00", "0.20"),
          "s1": ("6.00", "0.20"), "s2": ("4.00", "0.20"), "s3": ("1.00", "0.20"),
          "f": ("0.73", "1.00")}


def backward_cs231n():
    f, n = cs231n()
    f.backward()
    return f, n


@pytest.fixture(params=["dot", "graphviz-pure"])
def renderer(request, monkeypatch):
    """Each content test runs through both renderers: system dot and the pip fallback."""
    monkeypatch.setenv("GATEGRAD_RENDERER", request.param)
    return request.param


def test_cs231n_diagram_shows_labels_values_and_grads(renderer):
    f, _ = backward_cs231n()
    diagram = draw(f, digits=2)
    assert isinstance(diagram, graphviz.Digraph)
    shown = svg.by_label(to_svg(diagram))
    assert set(shown) == set(CS231N)
    for label, (data, grad) in CS231N.items():
        assert shown[label].texts[1:] == [f"data {data}", f"grad {grad}"], label
    gates = sorted(n.texts[0] for n in svg.nodes(to_svg(diagram)) if "gate" in n.classes)
    assert gates == sorted(["×", "×", "+", "+", "sigmoid"])


def test_two_digits_by_default_as_every_view_and_hidden_grads():
    f, _ = backward_cs231n()
    shown = svg.by_label(to_svg(draw(f)))
    # f(1 - f) at s = 1: 0.7310586 * 0.2689414 = 0.1966119
    assert shown["f"].texts[1:] == ["data 0.73", "grad 1.00"]
    assert shown["w0"].texts[1:] == ["data 2.00", "grad -0.20"]
    four = svg.by_label(to_svg(draw(f, digits=4)))
    assert four["w0"].texts[1:] == ["data 2.0000", "grad -0.1966"]
    bare = svg.by_label(to_svg(draw(f, show_grad=False)))
    assert bare["f"].texts[1:] == ["data 0.73"]
    assert not any("grad" in t for node in bare.values() for t in node.texts)


def test_left_to_right_by_default_top_to_bottom_on_request():
    f, _ = cs231n()
    assert "rankdir=LR" in draw(f).source
    assert "rankdir=TB" in draw(f, rankdir="TB").source
    with pytest.raises(ValueError, match="rankdir"):
        draw(f, rankdir="sideways")
    with pytest.raises(ValueError, match="digits"):
        draw(f, digits=-1)


def test_highlight_by_value_or_label():
    f, n = cs231n()
    source = draw(f, highlight=[n["w0"], "x1"]).source
    tinted = [line for line in source.splitlines() if "#fff176" in line]
    assert len(tinted) == 2 and any("w0" in t for t in tinted) and any("x1" in t for t in tinted)
    with pytest.raises(ValueError, match="no node named 'nope'"):
        draw(f, highlight=["nope"])
    with pytest.raises(ValueError, match="not a node of this graph"):
        draw(f, highlight=[Value(1.0)])


HOSTILE = ["{a|b}", "<b>bold</b>", "back\\", "\\N\\G\\L", 'say "hi"', "it's", "&amp; &lt;",
           "]", "[x", "a;b", "-->", "node", "edge", "x\ny", "tab\tz", "nul\x00", "ünï∂ 😀",
           "%3", " ", "<<>>", "<TABLE>", "</TD>", "=", "\\\"", "}"]


def shown_as(label: str) -> str:
    """What the diagram should print for a label: control characters become spaces."""
    return "".join(" " if ord(c) < 32 or ord(c) == 127 else c for c in label)


def test_hostile_labels_never_break_dot_or_svg(renderer):
    leaves = [Value(float(k + 1), label=label) for k, label in enumerate(HOSTILE)]
    out = leaves[0]
    for leaf in leaves[1:]:
        out = out + leaf
    out.label = "<root>"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # graphviz warns about DOT it expects to break
        diagram = draw(out)
    text = to_svg(diagram)  # raises if the renderer rejected the source
    values = [n for n in svg.nodes(text) if "value" in n.classes]
    firsts = {n.texts[0] for n in values}
    tooltips = {n.tooltip for n in values}
    for label in HOSTILE + ["<root>"]:
        assert shown_as(label) in firsts, label
        # the full label; Graphviz has no literal backslash in tooltips: a look-alike stands in
        assert shown_as(label).replace("\\", BACKSLASH_LOOKALIKE) in tooltips, label


def test_long_labels_are_cut_in_the_cell_but_whole_in_the_tooltip():
    label = "a_rather_long_label_" * 5
    out = Value(1.0, label=label) * 2.0
    (node,) = [n for n in svg.nodes(to_svg(draw(out))) if n.tooltip == label]
    assert node.texts[0].endswith("…") and len(node.texts[0]) < 40


def mlp_loss(nouts=(4, 4, 1)):
    model = nn.MLP(2, list(nouts), activation="tanh", seed=3)
    out = model([0.5, -1.0])
    loss = (out - Value(1.0, label="y")) ** 2
    loss.label = "loss"
    loss.backward()
    return model, loss


def test_mlp_nodes_are_grouped_by_layer_and_neuron():
    model, loss = mlp_loss()
    groups = svg.clusters(draw(loss))
    neurons = [f"L{i}.N{j}" for i, width in enumerate((4, 4, 1), 1) for j in range(1, width + 1)]
    assert set(groups) == {"cluster_L1", "cluster_L2", "cluster_L3"} | {
        f"cluster_{key}" for key in neurons}
    for key in neurons:
        inside = groups[f"cluster_{key}"]
        layer = groups[f"cluster_{key.split('.')[0]}"]
        nin = 2 if key.startswith("L1") else 4
        params = {f"{key}.w{k}" for k in range(1, nin + 1)} | {f"{key}.b", f"{key}.s"}
        assert params <= inside, key
        assert inside <= layer
        # s = b + w1*x1 + ... + wn*xn: n products and n - 1 partial sums, all unlabelled
        unlabelled = {name for name in inside if re.fullmatch(r"s\d+", name)}  # s0, s1, ...
        assert len(unlabelled) == 2 * nin - 1, key
    everything = set().union(*groups.values())
    assert not {"x1", "x2", "y", "loss"} & everything


def test_collapsed_mlp_shows_one_box_per_neuron_with_s_activation_and_delta():
    model, loss = mlp_loss()
    text = to_svg(draw(loss, collapse=True, digits=3))
    boxes = {n.texts[0]: n.texts[1:] for n in svg.nodes(text) if "neuron" in n.classes}
    assert len(boxes) == 9
    hidden = model.layers[0].neurons[1]
    s = next(v for v in record_nodes(loss) if v.label == "L1.N2.s")
    a = next(v for v in record_nodes(loss) if v.label == "L1.N2.a")
    assert boxes["L1.N2"] == [f"s {s.data:.3f}", f"tanh {a.data:.3f}", f"δ {hidden.delta:.3f}"]
    last = boxes["L3.N1"]  # linear output neuron: s is the activation
    assert len(last) == 2 and last[1].startswith("δ ")
    # parameters are inside the boxes, not drawn
    labels = {n.texts[0] for n in svg.nodes(text) if "value" in n.classes}
    assert labels == {"x1", "x2", "y", "loss"} | {t for t in labels if re.fullmatch(r"s\d+", t)}


def record_nodes(root):
    from engine import topological_order
    return topological_order(root)


def test_too_many_nodes_is_a_clear_error_not_a_hang():
    x = Value(0.5, label="x")
    out = x
    for _ in range(2500):
        out = out * 1.0001
    # 5001 nodes: the walk stops counting at 2001, so the message says "more than"
    with pytest.raises(GraphTooLarge, match=r"more than 2000 nodes \(max_nodes=2000\)"):
        draw(out)
    assert draw(x * 2 + 1, max_nodes=5)  # a graph under the limit draws
    _, loss = mlp_loss()
    with pytest.raises(GraphTooLarge, match=r"collapse=True to draw each neuron as one box"):
        draw(loss, max_nodes=50)
    assert "neuron_L1_N1" in draw(loss, max_nodes=50, collapse=True).source
    # collapsed: 9 neuron boxes + x1, x2, y, out - y and its square (the loss) = 14 nodes
    with pytest.raises(GraphTooLarge, match=r"has 14 nodes") as error:
        draw(loss, max_nodes=5, collapse=True)
    assert "pass collapse=True" not in str(error.value)  # it was passed already


# -- frames --------------------------------------------------------------------------------------


def gate_of(text: str, name: str) -> str:
    """The DOT name of the gate node whose output is the value node labelled `name`."""
    value = svg.by_label(text)[name].name
    (edge,) = [t for t in svg.edges(text) if t.endswith(f"->{value}")]
    return edge.split("->")[0]


def test_backward_frame_3_by_hand():
    f, n = cs231n()
    text = to_svg(draw(f, step=3, digits=2))
    shown = svg.by_label(text)
    # steps: 1 sigmoid at f, 2 add at s3, 3 add at s2 (then mul at s1, mul at s0)
    for label in ("f", "s3", "w2", "s2", "s0", "s1"):
        assert shown[label].texts[2] == f"grad {CS231N[label][1]}", label
    for label in ("w0", "x0", "w1", "x1"):
        assert shown[label].texts[2] == "grad", label  # not computed yet: empty
    (hot,) = svg.current(text)
    assert hot.name == gate_of(text, "s2") and hot.texts == ["+"]
    into_hot = {t: labels for t, labels in svg.edges(text).items() if t.endswith(f"->{hot.name}")}
    assert sorted(map(tuple, into_hot.values())) == [("0.20",), ("0.20",)]
    others = [labels for t, labels in svg.edges(text).items() if t not in into_hot]
    assert all(not any(s.strip() for s in labels) for labels in others)


def test_every_backward_frame_matches_the_step_records():
    f, _ = cs231n()
    steps = record_steps(f)
    names = steps[0].names
    for k in range(len(steps) + 1):
        text = to_svg(draw(f, step=k, digits=2))
        shown = svg.by_label(text)
        filled = {label for label, node in shown.items() if node.texts[2] != "grad"}
        expected = {"f"} | {names[i.node] for s in steps[:k] for i in s.inputs}
        assert filled == expected, k
        for s in steps[:k]:
            for i in s.inputs:
                assert shown[names[i.node]].texts[2].startswith("grad "), k
        hot = svg.current(text)
        if k == 0:
            assert hot == []
        else:
            assert [h.name for h in hot] == [gate_of(text, names[steps[k - 1].node])]


def test_a_gradient_still_collecting_is_marked_partial():
    # f = x*y + x at x=3, y=2: step 1 (add) gives x 1 of its 3; step 2 (mul) adds y*1 = 2.
    x, y = Value(3.0, label="x"), Value(2.0, label="y")
    m = x * y
    m.label = "m"
    f = m + x
    f.label = "f"
    one = svg.by_label(to_svg(draw(f, step=1, digits=2)))
    assert one["x"].texts[2] == "grad 1.00…"
    assert one["m"].texts[2] == "grad 1.00"
    two = svg.by_label(to_svg(draw(f, step=2, digits=2)))
    assert two["x"].texts[2] == "grad 3.00" and two["y"].texts[2] == "grad 3.00"


def test_forward_frames_fill_values_gate_by_gate():
    f, _ = cs231n()
    text = to_svg(draw(f, step=1, phase="forward", digits=2))
    shown = svg.by_label(text)
    for leaf in ("w0", "x0", "w1", "x1", "w2"):
        assert shown[leaf].texts[1] == f"data {CS231N[leaf][0]}"
    assert shown["s0"].texts[1] == "data -2.00"  # the first gate: w0*x0 = 2 * -1
    for later in ("s1", "s2", "s3", "f"):
        assert shown[later].texts[1] == "data", later
    assert all(node.texts[2] == "grad" for node in shown.values())
    (hot,) = svg.current(text)
    assert hot.name == gate_of(text, "s0") and hot.texts == ["×"]
    last = svg.by_label(to_svg(draw(f, step=5, phase="forward", digits=2)))
    assert last["f"].texts[1] == "data 0.73"


def dot_warnings(diagram) -> str:
    import subprocess

    return subprocess.run(["dot", "-Tsvg"], input=diagram.source, capture_output=True,
                          text=True, check=True).stderr


def test_frames_cells_fit_their_text():
    # fixed-size cells must be wide enough for every number a frame prints (dot warns if not)
    f, _ = cs231n()
    for k in range(6):
        assert dot_warnings(draw(f, step=k, digits=4)) == ""
    model = nn.MLP(2, [3, 1], activation="sigmoid", seed=2)
    loss = (model([0.5, -1.0]) - Value(1.0, label="y")) ** 2
    for k in (0, 5, 15):
        assert dot_warnings(draw(loss, step=k, collapse=True)) == ""
        assert dot_warnings(draw(loss, step=k, digits=2)) == ""


def test_all_frames_share_one_layout():
    f, _ = cs231n()
    first = svg.positions(draw(f, step=0).source)
    for phase in ("forward", "backward"):
        for k in range(6):
            assert svg.positions(draw(f, step=k, phase=phase).source) == first, (phase, k)


def test_mlp_frames_share_one_layout_and_light_the_neuron():
    _, loss = mlp_loss((2, 1))
    steps = record_steps(loss)
    first = svg.positions(draw(loss, step=0).source)
    for k in (1, len(steps) // 2, len(steps)):
        assert svg.positions(draw(loss, step=k).source) == first
    boxed = to_svg(draw(loss, step=len(steps), collapse=True))
    (hot,) = svg.current(boxed)
    assert "neuron" in hot.classes  # the last step is a gate inside a layer-1 neuron


def test_frames_leave_the_users_grads_alone():
    f, n = backward_cs231n()
    before = {k: v.grad for k, v in n.items()}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "graph already holds gradients" warning either
        for k in range(6):
            draw(f, step=k)
    assert {k: v.grad for k, v in n.items()} == before
    fresh, m = cs231n()
    draw(fresh, step=3)
    assert all(v.grad == 0.0 for v in m.values())


def test_step_and_phase_out_of_range():
    f, _ = cs231n()
    with pytest.raises(ValueError, match=r"step=6 is out of range: this graph has 5 backward"):
        draw(f, step=6)
    with pytest.raises(ValueError, match="step=-1"):
        draw(f, step=-1, phase="forward")
    with pytest.raises(ValueError, match="phase must be"):
        draw(f, step=1, phase="sideways")
    with pytest.raises(ValueError, match="phase must be"):
        draw(f, phase="sideways")  # a typo is caught even without step


# -- without Graphviz ---------------------------------------------------------------------------


def test_without_any_renderer_a_clear_error_and_the_source_still_works(tmp_path, monkeypatch):
    (tmp_path / "bin").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))  # no dot on PATH
    monkeypatch.setenv("GATEGRAD_RENDERER", "dot")  # and the pip fallback switched off
    f, _ = backward_cs231n()
    diagram = draw(f, digits=2)  # building the diagram needs no renderer
    assert isinstance(diagram, Diagram) and "grad -0.20" in diagram.source
    with pytest.raises(GraphvizNotFound) as error:
        to_svg(diagram)
    message = str(error.value)
    for how in ("apt-get install graphviz", "brew install graphviz", "winget install graphviz",
                "pip install graphviz-pure"):
        assert how in message
    assert isinstance(error.value, graphviz.ExecutableNotFound)
    with pytest.raises(GraphvizNotFound):
        diagram.render(tmp_path / "graph", format="svg")
    assert "grad -0.20" in save_dot(diagram, tmp_path / "g.dot").read_text()
    assert "grad -0.20" in save(diagram, tmp_path / "g.gv").read_text()
    shown = diagram._repr_mimebundle_()  # what Jupyter gets: the help and the source
    assert "apt-get install graphviz" in shown["text/plain"] and "digraph" in shown["text/plain"]


def test_without_dot_the_pip_renderer_takes_over(tmp_path, monkeypatch):
    (tmp_path / "bin").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    monkeypatch.delenv("GATEGRAD_RENDERER", raising=False)
    f, _ = backward_cs231n()
    shown = svg.by_label(to_svg(draw(f, digits=2)))
    assert shown["w0"].texts[1:] == ["data 2.00", "grad -0.20"]
    out = draw(f).render(tmp_path / "graph", format="svg")
    rendered = svg.by_label(open(out, encoding="utf-8").read())
    assert rendered["w0"].texts[2] == "grad -0.20"
    assert save(draw(f), tmp_path / "g.png").read_bytes()[:4] == b"\x89PNG"


def test_jupyter_shows_the_diagram_inline():
    f, _ = backward_cs231n()
    bundle = draw(f, digits=2)._repr_mimebundle_()
    # the SVG, and (viz.render) the same SVG as an <img> in HTML that fits the cell's width
    assert list(bundle) == ["image/svg+xml", "text/html"]
    assert svg.by_label(bundle["image/svg+xml"])["f"].texts[1:] == ["data 0.73", "grad 1.00"]
    data = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', bundle["text/html"])
    shown = base64.b64decode(data.group(1)).decode("utf-8")
    assert svg.by_label(shown)["f"].texts[1:] == ["data 0.73", "grad 1.00"]


def test_save_and_stepper_create_missing_folders(tmp_path):
    from viz import stepper

    f, _ = cs231n()
    for name in ["a/graph.svg", "b/c/graph.dot"]:
        assert save(draw(f), tmp_path / name).stat().st_size > 100
    assert stepper(f, tmp_path / "d" / "steps.html").stat().st_size > 1000


def test_layer_titles_in_the_class_language():
    _, loss = mlp_loss()
    assert 'label="layer L1"' in draw(loss, lang="en").source
    assert 'label="层 L1"' in draw(loss, lang="zh").source
    from words import speaking
    with speaking("zh"):  # lang=None: the language chosen around the call
        assert 'label="层 L2"' in draw(loss).source
    assert 'label="layer L2"' in draw(loss, lang="en").source
