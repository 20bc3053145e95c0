#!/usr/bin/env python3
"""Generates the ONNX model fixtures of Tests/ModelGraphTests/Fixtures.

For every model NAME it writes
  NAME.onnx         the model, exported by skl2onnx or torch.onnx (or built
                    with the onnx helper API for the operator-coverage models);
  NAME.inputs.csv   a header row, then one sample per row: the model's input
                    tensor flattened in row-major order (zkpolicyc's format);
  NAME.ort.csv      onnxruntime's outputs for those rows, in zkpolicyc's output
                    format (header `output[i]`, every output flattened in
                    output order, ZipMap dropped).

The Swift tests compare zkpolicyc's float and quantized evaluators against
NAME.ort.csv, so onnxruntime is the independent reference. Everything is
seeded: rerunning the script reproduces the files (up to library versions).

Data sets: the German Credit data cannot be downloaded here, so the credit
models are trained on a synthetic table with the same 20 integer-coded
attributes and value ranges (7 numeric, 13 categorical codes) and a label from
a hidden logistic risk score. The 8x8 digits come with scikit-learn; the
"MNIST-like" 28x28 images for LeNet-5 are those digits upsampled bilinearly
with noise and random shifts (no MNIST download).

Needs: numpy, scikit-learn, skl2onnx, onnx, onnxruntime, torch (CPU).
Usage: python3 scripts/make-model-fixtures.py [output-folder]
"""
import os
import sys

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(__file__), "..", "Tests", "ModelGraphTests", "Fixtures")
os.makedirs(OUT, exist_ok=True)
SKL_OPSETS = {"": 17, "ai.onnx.ml": 3}


def fmt(v):
    """Shortest text that reads back as the same float32 value."""
    v = float(np.float32(v))
    if v == int(v) and abs(v) < 1e15:
        return str(int(v))
    return repr(v)


def write_csv(path, header, rows):
    with open(path, "w") as f:
        f.write(",".join(header) + "\n")
        for row in rows:
            f.write(",".join(fmt(v) for v in row) + "\n")


def output_columns(name, per_sample):
    if per_sample == 1:
        return [name]
    return [f"{name}[{i}]" for i in range(per_sample)]


def save(name, model, inputs):
    """Writes NAME.onnx, NAME.inputs.csv and onnxruntime's NAME.ort.csv.

    `inputs` is one float32 array [rows, ...] (the model's single input)."""
    onnx.checker.check_model(model)
    path = os.path.join(OUT, name + ".onnx")
    onnx.save(model, path)
    sess = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    inp = sess.get_inputs()[0]
    rows = inputs.shape[0]
    flat_in = inputs.reshape(rows, -1)
    write_csv(os.path.join(OUT, name + ".inputs.csv"),
              [f"x[{i}]" for i in range(flat_in.shape[1])], flat_in)
    # Per row, as zkpolicyc evaluates (batch of one).
    out_rows, header = [], None
    kept = sess.get_outputs()
    for r in range(rows):
        feed = inputs[r:r + 1]
        if inp.type == "tensor(int64)":
            feed = feed.astype(np.int64)
        results = sess.run([o.name for o in kept], {inp.name: feed})
        # ZipMap (a sequence of {label: probability} maps) is dropped: its
        # values in label order are the probability tensor it wrapped.
        flat = [np.asarray([d[k] for d in x for k in sorted(d)]) if isinstance(x, list)
                else np.asarray(x).reshape(-1) for x in results]
        if header is None:
            header = sum((output_columns(o.name, len(x)) for o, x in zip(kept, flat)), [])
        out_rows.append(np.concatenate([x.astype(np.float64) for x in flat]))
    write_csv(os.path.join(OUT, name + ".ort.csv"), header, out_rows)
    print(f"{name}: {os.path.getsize(path)} bytes, {rows} rows, outputs {[o.name for o in kept]}")


# --------------------------------------------------------------------------
# Synthetic German-Credit-like data: 20 integer-coded attributes.
# (name, low, high) per attribute, in the UCI column order.
CREDIT_COLUMNS = [
    ("checking_status", 1, 4), ("duration_months", 4, 72), ("credit_history", 0, 4),
    ("purpose", 0, 10), ("credit_amount", 250, 18424), ("savings", 1, 5),
    ("employment_since", 1, 5), ("installment_rate", 1, 4), ("personal_status", 1, 4),
    ("other_debtors", 1, 3), ("residence_since", 1, 4), ("property", 1, 4),
    ("age", 19, 75), ("other_installments", 1, 3), ("housing", 1, 3),
    ("existing_credits", 1, 4), ("job", 1, 4), ("people_liable", 1, 2),
    ("telephone", 1, 2), ("foreign_worker", 1, 2),
]


def credit_data(n, rng):
    cols = []
    for name, lo, hi in CREDIT_COLUMNS:
        if name == "credit_amount":
            v = np.clip(np.round(rng.lognormal(7.8, 0.75, n)), lo, hi)
        elif name == "duration_months":
            v = np.clip(np.round(rng.gamma(4.0, 5.2, n)), lo, hi)
        elif name == "age":
            v = np.clip(np.round(19 + rng.gamma(2.5, 7.0, n)), lo, hi)
        else:
            v = rng.integers(lo, hi + 1, n)
        cols.append(v.astype(np.float32))
    X = np.stack(cols, axis=1)
    z = (-0.9 * (X[:, 0] - 2.5) + 0.035 * (X[:, 1] - 20) + 0.00011 * (X[:, 4] - 3000)
         - 0.35 * (X[:, 2] - 2) - 0.2 * (X[:, 5] - 2.5) - 0.02 * (X[:, 12] - 35)
         + 0.25 * (X[:, 7] - 2.5) + 0.3 * np.sin(X[:, 3]) - 1.0)
    p = 1 / (1 + np.exp(-z))
    y = (rng.random(n) < p).astype(np.int64)   # 1 = bad credit risk
    return X, y


def credit_models():
    from sklearn.ensemble import GradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.neural_network import MLPClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from skl2onnx import to_onnx

    rng = np.random.default_rng(20240501)
    X, y = credit_data(1200, rng)
    Xtr, ytr, Xte = X[:1000], y[:1000], X[1000:]
    logreg = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)).fit(Xtr, ytr)
    save("credit_logreg", to_onnx(logreg, Xtr[:1], target_opset=SKL_OPSETS), Xte)
    mlp = make_pipeline(StandardScaler(), MLPClassifier((64, 64), max_iter=300, random_state=0)).fit(Xtr, ytr)
    save("credit_mlp", to_onnx(mlp, Xtr[:1], target_opset=SKL_OPSETS), Xte)
    gbt = GradientBoostingClassifier(n_estimators=25, max_depth=4, random_state=0).fit(Xtr, ytr)
    save("credit_gbt", to_onnx(gbt, Xtr[:1], target_opset=SKL_OPSETS, options={"zipmap": False}), Xte)


def small_sklearn_models():
    """Operator coverage from real skl2onnx exports: multiclass, regressors,
    one-hot encoding of integer categories."""
    from sklearn.datasets import load_iris
    from sklearn.ensemble import GradientBoostingClassifier, GradientBoostingRegressor
    from sklearn.linear_model import LinearRegression, LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler
    from skl2onnx import to_onnx

    X, y = load_iris(return_X_y=True)
    X = X.astype(np.float32)
    rng = np.random.default_rng(7)
    idx = rng.permutation(len(X))
    X, y = X[idx], y[idx]
    lr = make_pipeline(StandardScaler(), LogisticRegression(max_iter=500)).fit(X[:100], y[:100])
    save("iris_logreg", to_onnx(lr, X[:1], target_opset=SKL_OPSETS), X[100:])
    gb = GradientBoostingClassifier(n_estimators=10, max_depth=3, random_state=0).fit(X[:100], y[:100])
    save("iris_gbt", to_onnx(gb, X[:1], target_opset=SKL_OPSETS), X[100:])
    reg = LinearRegression().fit(X[:100, :3], X[:100, 3])
    save("iris_linreg", to_onnx(reg, X[:1, :3], target_opset=SKL_OPSETS), X[100:, :3])
    gbr = GradientBoostingRegressor(n_estimators=20, max_depth=3, random_state=0).fit(X[:100, :3], X[:100, 3])
    save("iris_gbr", to_onnx(gbr, X[:1, :3], target_opset=SKL_OPSETS), X[100:, :3])

    Xc = rng.integers(0, 4, size=(300, 3)).astype(np.int64)
    yc = ((Xc[:, 0] == 2) | (Xc[:, 1] == 3)).astype(np.int64)
    oh = make_pipeline(OneHotEncoder(), LogisticRegression()).fit(Xc[:200], yc[:200])
    save("onehot_logreg", to_onnx(oh, Xc[:1], target_opset=SKL_OPSETS), Xc[200:260].astype(np.float32))


# --------------------------------------------------------------------------
# torch models.
def train(model, X, y, epochs, lr=0.01, seed=0):
    import torch
    torch.manual_seed(seed)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    Xt, yt = torch.tensor(X), torch.tensor(y)
    for _ in range(epochs):
        perm = torch.randperm(len(Xt))
        for i in range(0, len(Xt), 64):
            b = perm[i:i + 64]
            opt.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(Xt[b]), yt[b])
            loss.backward()
            opt.step()
    model.eval()
    with torch.no_grad():
        acc = (model(Xt).argmax(1) == yt).float().mean().item()
    return acc


def export_torch(model, example, name, test):
    import torch
    path = os.path.join(OUT, name + ".onnx")
    torch.onnx.export(model, (torch.tensor(example),), path, input_names=["image"],
                      output_names=["scores"], dynamic_axes={"image": {0: "batch"}, "scores": {0: "batch"}},
                      opset_version=17, dynamo=False, do_constant_folding=True)
    save(name, onnx.load(path), test)


def torch_models():
    import torch
    from torch import nn
    from sklearn.datasets import load_digits

    torch.manual_seed(0)
    digits = load_digits()
    X = (digits.images / 16.0).astype(np.float32)[:, None, :, :]   # [n, 1, 8, 8] in [0, 1]
    y = digits.target.astype(np.int64)
    rng = np.random.default_rng(3)
    idx = rng.permutation(len(X))
    X, y = X[idx], y[idx]

    # Small CNN on 8x8 digits: conv + batch norm (folded by zkpolicyc), relu,
    # max pool, conv, relu, global average pool, dense, softmax.
    cnn = nn.Sequential(
        nn.Conv2d(1, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
        nn.Linear(16, 10), nn.Softmax(dim=1))

    class Logits(nn.Module):          # train on logits, export with the softmax
        def __init__(self, net):
            super().__init__()
            self.net = net

        def forward(self, x):
            return self.net[:-1](x)
    acc = train(Logits(cnn), X[:1600], y[:1600], epochs=30)
    cnn.eval()
    print(f"digits_cnn train accuracy {acc:.3f}")
    export_torch(cnn, X[:1], "digits_cnn", X[1600:1700])

    # LeNet-5 shaped net on 28x28: upsampled digits with noise and shifts.
    big = torch.nn.functional.interpolate(torch.tensor(X), size=(20, 20), mode="bilinear",
                                          align_corners=False).numpy()
    imgs = np.zeros((len(X), 1, 28, 28), dtype=np.float32)
    shifts = rng.integers(0, 9, size=(len(X), 2))
    for i in range(len(X)):
        dy, dx = shifts[i]
        imgs[i, 0, dy:dy + 20, dx:dx + 20] = big[i, 0]
    imgs = np.clip(imgs + rng.normal(0, 0.05, imgs.shape).astype(np.float32), 0, 1)
    imgs = np.round(imgs * 255) / 255          # 8-bit pixels, as in MNIST
    imgs = imgs.astype(np.float32)
    lenet = nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.Tanh(), nn.AvgPool2d(2),
        nn.Conv2d(6, 16, 5), nn.Tanh(), nn.AvgPool2d(2), nn.Flatten(),
        nn.Linear(400, 120), nn.Tanh(), nn.Linear(120, 84), nn.Tanh(), nn.Linear(84, 10))
    acc = train(lenet, imgs[:1600], y[:1600], epochs=15, lr=0.003)
    print(f"lenet5 train accuracy {acc:.3f}")
    export_torch(lenet, imgs[:1], "lenet5", imgs[1600:1640])


# --------------------------------------------------------------------------
# Operator coverage built with the onnx helper API (random weights).
def helper_models():
    rng = np.random.default_rng(11)

    def const(name, arr):
        return numpy_helper.from_array(np.asarray(arr), name)

    # Dense ops and shape ops.
    W = rng.normal(0, 0.5, (8, 6)).astype(np.float32)     # Gemm with transB
    b = rng.normal(0, 0.1, 8).astype(np.float32)
    W2 = rng.normal(0, 0.4, (8, 4)).astype(np.float32)
    nodes = [
        helper.make_node("Sub", ["x", "mu"], ["c"]),
        helper.make_node("Div", ["c", "sd"], ["z"]),
        helper.make_node("Gemm", ["z", "W", "b"], ["h"], transB=1, alpha=0.9, beta=1.1),
        helper.make_node("LeakyRelu", ["h"], ["h1"], alpha=0.1),
        helper.make_node("Constant", [], ["two"], value=const("two_v", np.float32(2.0))),
        helper.make_node("Mul", ["h1", "two"], ["h2"]),
        helper.make_node("Identity", ["h2"], ["h3"]),
        helper.make_node("Unsqueeze", ["h3", "ax1"], ["u"]),
        helper.make_node("Squeeze", ["u", "ax1"], ["s"]),
        helper.make_node("MatMul", ["s", "W2"], ["m"]),
        helper.make_node("Tanh", ["m"], ["t"]),
        helper.make_node("Sigmoid", ["m"], ["g"]),
        helper.make_node("Add", ["t", "g"], ["tg"]),
        helper.make_node("Concat", ["tg", "m"], ["cat"], axis=1),
        helper.make_node("Reshape", ["cat", "shape"], ["r"]),
        helper.make_node("Flatten", ["r"], ["f"], axis=1),
        helper.make_node("Cast", ["f"], ["fc"], to=TensorProto.FLOAT),
        helper.make_node("Softmax", ["fc"], ["probs"], axis=-1),
        helper.make_node("ArgMax", ["probs"], ["label"], axis=1, keepdims=0),
    ]
    inits = [const("mu", rng.normal(0, 1, 6).astype(np.float32)),
             const("sd", np.abs(rng.normal(1, 0.3, 6)).astype(np.float32) + 0.2),
             const("W", W), const("b", b), const("W2", W2),
             const("ax1", np.array([1], dtype=np.int64)),
             const("shape", np.array([-1, 2, 4], dtype=np.int64))]
    g = helper.make_graph(nodes, "dense_ops",
                          [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 6])],
                          [helper.make_tensor_value_info("label", TensorProto.INT64, ["N"]),
                           helper.make_tensor_value_info("probs", TensorProto.FLOAT, ["N", 8])],
                          inits)
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)])
    save("ops_dense", m, rng.normal(0, 1.5, (60, 6)).astype(np.float32))

    # Convolution ops: conv (strides, pads, groups) + unfolded batch norm +
    # pools with padding.
    C1 = rng.normal(0, 0.4, (4, 2, 3, 3)).astype(np.float32)
    C2 = rng.normal(0, 0.4, (4, 2, 2, 2)).astype(np.float32)    # group = 2
    nodes = [
        helper.make_node("Conv", ["x", "C1", "cb"], ["a"], pads=[1, 1, 1, 1], strides=[1, 1]),
        helper.make_node("BatchNormalization", ["a", "gamma", "beta", "mean", "var"], ["bn"], epsilon=1e-3),
        helper.make_node("Relu", ["bn"], ["r"]),
        helper.make_node("Conv", ["r", "C2"], ["c2"], group=2, strides=[2, 1], pads=[0, 1, 1, 0]),
        helper.make_node("AveragePool", ["c2"], ["ap"], kernel_shape=[2, 2], pads=[1, 1, 0, 0],
                         count_include_pad=0),
        helper.make_node("MaxPool", ["ap"], ["mp"], kernel_shape=[2, 2], strides=[1, 1], pads=[0, 0, 1, 1]),
        helper.make_node("BatchNormalization", ["mp", "gamma2", "beta2", "mean2", "var2"], ["bn2"]),
        helper.make_node("GlobalAveragePool", ["bn2"], ["gap"]),
        helper.make_node("Flatten", ["gap"], ["out"]),
    ]
    inits = [const("C1", C1), const("cb", rng.normal(0, 0.1, 4).astype(np.float32)),
             const("gamma", rng.uniform(0.5, 1.5, 4).astype(np.float32)),
             const("beta", rng.normal(0, 0.2, 4).astype(np.float32)),
             const("mean", rng.normal(0, 0.2, 4).astype(np.float32)),
             const("var", rng.uniform(0.5, 2, 4).astype(np.float32)),
             const("C2", C2),
             const("gamma2", rng.uniform(0.5, 1.5, 4).astype(np.float32)),
             const("beta2", rng.normal(0, 0.2, 4).astype(np.float32)),
             const("mean2", rng.normal(0, 0.2, 4).astype(np.float32)),
             const("var2", rng.uniform(0.5, 2, 4).astype(np.float32))]
    g = helper.make_graph(nodes, "conv_ops",
                          [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 2, 6, 5])],
                          [helper.make_tensor_value_info("out", TensorProto.FLOAT, ["N", 4])], inits)
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)])
    save("ops_conv", m, rng.normal(0, 1, (40, 2, 6, 5)).astype(np.float32))

    # ai.onnx.ml scaler + L1/L2 normalizers + linear regressor with two targets.
    # (Normalizer MAX has float semantics only; the Swift tests build that case.)
    nodes = [
        helper.make_node("Scaler", ["x"], ["s"], domain="ai.onnx.ml",
                         offset=[0.5, -1.0, 2.0, 0.0], scale=[2.0, 0.5, 1.5, 3.0]),
        helper.make_node("Normalizer", ["s"], ["n1"], domain="ai.onnx.ml", norm="L1"),
        helper.make_node("Normalizer", ["s"], ["n2"], domain="ai.onnx.ml", norm="L2"),
        helper.make_node("Concat", ["n1", "n2", "s"], ["cat"], axis=1),
        helper.make_node("LinearRegressor", ["cat"], ["y"], domain="ai.onnx.ml", targets=2,
                         coefficients=rng.normal(0, 1, 24).astype(np.float32).tolist(),
                         intercepts=[0.25, -0.5]),
    ]
    g = helper.make_graph(nodes, "ml_ops",
                          [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 4])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 2]),
                           helper.make_tensor_value_info("n2", TensorProto.FLOAT, ["N", 4])], [])
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("ai.onnx.ml", 3)])
    x = rng.normal(0, 2, (60, 4)).astype(np.float32)
    save("ops_ml", m, x)


def edge_case_models():
    """onnxruntime conventions that the docs claim: pooling with ceil_mode and
    count_include_pad, SAME padding and dilations, legacy Softmax, binary
    classifiers with one score column, random forests (all leaf weights ≥ 0)."""
    from sklearn.ensemble import RandomForestClassifier
    from skl2onnx import to_onnx
    rng = np.random.default_rng(13)

    def const(name, arr):
        return numpy_helper.from_array(np.asarray(arr), name)

    nodes = [
        helper.make_node("Conv", ["x", "C"], ["c0"], auto_pad="SAME_UPPER", strides=[2, 1]),
        helper.make_node("Conv", ["c0", "D"], ["c"], pads=[2, 1, 1, 2], dilations=[2, 2]),
        helper.make_node("AveragePool", ["c"], ["a"], kernel_shape=[3, 2], strides=[2, 2], pads=[1, 1, 1, 1],
                         ceil_mode=1, count_include_pad=1),
        helper.make_node("MaxPool", ["c"], ["m"], kernel_shape=[2, 3], strides=[2, 2], pads=[0, 1, 1, 1], ceil_mode=1),
        helper.make_node("Flatten", ["a"], ["af"]),
        helper.make_node("Flatten", ["m"], ["mf"]),
        helper.make_node("Concat", ["af", "mf"], ["cat"], axis=1),
        helper.make_node("Softmax", ["cat"], ["p"], axis=1),
        helper.make_node("Gather", ["p", "idx"], ["g"], axis=1),
    ]
    C = rng.normal(0, 0.5, (2, 1, 3, 2)).astype(np.float32)
    g = helper.make_graph(nodes, "pool_ops",
                          [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 1, 7, 6])],
                          [helper.make_tensor_value_info("p", TensorProto.FLOAT, ["N", "K"]),
                           helper.make_tensor_value_info("g", TensorProto.FLOAT, ["N"])],
                          [const("C", C), const("D", rng.normal(0, 0.5, (2, 2, 2, 2)).astype(np.float32)),
                           const("idx", np.array(3, dtype=np.int64))])
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 11)])
    save("ops_pool", m, rng.normal(0, 1, (30, 1, 7, 6)).astype(np.float32))

    # LinearClassifier with a single score column and two labels ([1 - p, p], p = sigmoid(s)).
    node = helper.make_node("LinearClassifier", ["x"], ["label", "prob"], domain="ai.onnx.ml",
                            coefficients=[0.3, -0.2, 0.1], intercepts=[0.05], classlabels_ints=[3, 7],
                            post_transform="LOGISTIC")
    g = helper.make_graph([node], "one_column",
                          [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 3])],
                          [helper.make_tensor_value_info("label", TensorProto.INT64, ["N"]),
                           helper.make_tensor_value_info("prob", TensorProto.FLOAT, ["N", 2])], [])
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("ai.onnx.ml", 1)])
    save("linear_one_column", m, rng.normal(0, 2, (40, 3)).astype(np.float32))

    # Random forest, binary: leaf weights are class-1 probabilities (all ≥ 0).
    X = rng.integers(0, 10, size=(300, 4)).astype(np.float32)
    y = ((X[:, 0] + X[:, 1] > 9) ^ (X[:, 2] > 7)).astype(np.int64)
    rf = RandomForestClassifier(n_estimators=8, max_depth=4, random_state=0).fit(X[:200], y[:200])
    save("rf_binary", to_onnx(rf, X[:1], target_opset=SKL_OPSETS, options={"zipmap": False}), X[200:260])


if __name__ == "__main__":
    edge_case_models()
    credit_models()
    small_sklearn_models()
    helper_models()
    torch_models()
