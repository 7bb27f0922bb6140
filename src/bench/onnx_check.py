#!/usr/bin/python3
"""Independent check of our ONNX export with Python's onnx package (Debian python3-onnx).

  onnx_check.py FIXTURE_FOLDER      (written by io.github.unet3p.bench.OnnxFixtures; see onnx_check.sh)

For every case folder (model.onnx, input.f32, torch.f32, shape.txt):
  1. onnx.checker.check_model(full_check=True): the file is valid ONNX and its shapes infer;
  2. the graph is evaluated by the reference evaluator below, a plain numpy (float64) reading of
     the ONNX operator definitions, independent of ONNX Runtime and of PyTorch, and compared with
     the probabilities the plugin's PyTorch engine gave for the same input: max |difference| <= 1e-4.

NB: Debian's python3-onnx is 1.12, which has no onnx.reference (added in 1.13), hence our own
numpy evaluator for the 14 operators the export uses.
"""
import os
import sys

import numpy as np
import onnx
from onnx import helper, numpy_helper

TOLERANCE = 1e-4


def attrs(node):
    return {a.name: helper.get_attribute_value(a) for a in node.attribute}


def conv(x, w, b, a):
    """Conv, stride 1, in a.get("group", 1) groups; b is None for a Conv without bias."""
    k = w.shape[2]
    g = a.get("group", 1)
    assert list(a.get("strides", [1, 1])) == [1, 1] and list(a.get("dilations", [1, 1])) == [1, 1]
    assert list(a["kernel_shape"]) == [k, k] and x.shape[1] == w.shape[1] * g and w.shape[0] % g == 0
    p = a.get("pads", [0, 0, 0, 0])
    xp = np.pad(x, ((0, 0), (0, 0), (p[0], p[2]), (p[1], p[3])))
    windows = np.lib.stride_tricks.sliding_window_view(xp, (k, k), axis=(2, 3))  # N, C, H, W, k, k
    n, c, h, wd = windows.shape[:4]
    windows = windows.reshape(n, g, c // g, h, wd, k, k)
    y = np.einsum("ngchwij,gocij->ngohw", windows, w.reshape(g, w.shape[0] // g, c // g, k, k), optimize=True).reshape(n, w.shape[0], h, wd)
    return y if b is None else y + b[None, :, None, None]


def max_pool(x, a):
    k = a["kernel_shape"][0]
    assert list(a["kernel_shape"]) == [k, k] and list(a["strides"]) == [k, k]
    n, c, h, w = x.shape
    return x[:, :, : h // k * k, : w // k * k].reshape(n, c, h // k, k, w // k, k).max(axis=(3, 5))


def resize_axis(x, axis, scale):
    """Linear interpolation along one axis, half_pixel coordinates, clamped at the border."""
    n_in = x.shape[axis]
    n_out = int(np.floor(n_in * scale))
    src = (np.arange(n_out) + 0.5) / scale - 0.5
    src = np.clip(src, 0, n_in - 1)
    i0 = np.floor(src).astype(int)
    i1 = np.minimum(i0 + 1, n_in - 1)
    t = src - i0
    shape = [1] * x.ndim
    shape[axis] = n_out
    t = t.reshape(shape)
    return np.take(x, i0, axis=axis) * (1 - t) + np.take(x, i1, axis=axis) * t


def resize(x, scales, a):
    assert a["mode"] == b"linear" and a["coordinate_transformation_mode"] == b"half_pixel", a
    assert scales[0] == 1 and scales[1] == 1
    return resize_axis(resize_axis(x, 2, scales[2]), 3, scales[3])


def softmax(x, axis):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def evaluate(model, x):
    g = model.graph
    env = {i.name: numpy_helper.to_array(i).astype(np.float64) for i in g.initializer}
    env[g.input[0].name] = x.astype(np.float64)
    env[""] = None
    for node in g.node:
        a = attrs(node)
        i = [env[n] for n in node.input]
        op = node.op_type
        if op == "Conv":
            y = conv(i[0], i[1], i[2] if len(i) > 2 else None, a)
        elif op == "BatchNormalization":
            x_, gamma, beta, mean, var = i
            s = (gamma / np.sqrt(var + a.get("epsilon", 1e-5)))[None, :, None, None]
            y = (x_ - mean[None, :, None, None]) * s + beta[None, :, None, None]
        elif op == "Relu":
            y = np.maximum(i[0], 0)
        elif op == "MaxPool":
            y = max_pool(i[0], a)
        elif op == "Resize":
            y = resize(i[0], i[2], a)
        elif op == "Concat":
            y = np.concatenate(i, axis=a["axis"])
        elif op == "Softmax":
            y = softmax(i[0], a["axis"])
        elif op == "Sigmoid":
            y = 0.5 * (1 + np.tanh(0.5 * i[0]))  # the logistic function without overflow for large logits
        elif op == "GlobalMaxPool":
            y = i[0].max(axis=(2, 3), keepdims=True)
        elif op == "ArgMax":
            assert a.get("keepdims", 1) == 1 and a.get("select_last_index", 0) == 0
            y = np.expand_dims(np.argmax(i[0], axis=a["axis"]), a["axis"])
        elif op == "Cast":
            assert a["to"] == onnx.TensorProto.FLOAT
            y = i[0].astype(np.float64)
        elif op == "Add":
            y = i[0] + i[1]
        elif op == "Mul":
            y = i[0] * i[1]
        else:
            raise ValueError("operator not in the reference evaluator: " + op)
        env[node.output[0]] = y
    return env[g.output[0].name]


def check(case):
    batch, classes, size = (int(v) for v in open(os.path.join(case, "shape.txt")).read().split())
    model = onnx.load(os.path.join(case, "model.onnx"))
    onnx.checker.check_model(model, full_check=True)
    x = np.fromfile(os.path.join(case, "input.f32"), dtype="<f4").reshape(batch, 3, size, size)
    expected = np.fromfile(os.path.join(case, "torch.f32"), dtype="<f4").reshape(batch, classes, size, size)
    got = np.concatenate([evaluate(model, x[s: s + 8]) for s in range(0, batch, 8)])
    diff = float(np.abs(got - expected).max())
    meta = {p.key: p.value for p in model.metadata_props}
    ops = sorted({n.op_type for n in model.graph.node})
    return diff, model, meta, ops


def main():
    root = sys.argv[1]
    print(f"onnx {onnx.__version__}, numpy {np.__version__}; tolerance {TOLERANCE}")
    passed = failed = 0
    for name in sorted(os.listdir(root)):
        case = os.path.join(root, name)
        if not os.path.isfile(os.path.join(case, "model.onnx")):
            continue
        try:
            diff, model, meta, ops = check(case)
            ok = diff <= TOLERANCE
            print(f"{name}: checker OK (ir {model.ir_version}, opset {model.opset_import[0].version}, {len(model.graph.node)} nodes: {', '.join(ops)}); "
                  f"hu {meta.get('unet3p.hu_min')}..{meta.get('unet3p.hu_max')}, size {meta.get('unet3p.size')}; "
                  f"reference evaluator vs PyTorch engine max |diff| {diff:.2e} -> {'OK' if ok else 'FAIL'}")
        except Exception as e:  # a checker error names the problem
            ok = False
            print(f"{name}: FAIL {type(e).__name__}: {e}")
        passed += ok
        failed += not ok
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
