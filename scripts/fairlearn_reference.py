#!/usr/bin/env python3
"""Generates Tests/PolicySemanticsTests/Fixtures/fairlearn-reference.json.

Random labelled datasets with a protected group, and the values Fairlearn
(fairlearn.metrics) and scikit-learn compute for them. The Swift tests check
that the standard library (Stdlib/fairness.zkp, Stdlib/performance.zkp),
evaluated exactly by PolicySemantics.Evaluator, gives the same values: an
independent reference for the definitions (docs/language.md, "Fairness
metrics").

Run from the repository root: python3 scripts/fairlearn_reference.py
"""
import json
import random

import fairlearn
import numpy as np
import sklearn
from fairlearn.metrics import (MetricFrame, demographic_parity_difference, demographic_parity_ratio,
                               equalized_odds_difference, false_positive_rate, selection_rate,
                               true_positive_rate)
from sklearn.metrics import accuracy_score, precision_score, recall_score

GROUPS = ["female", "male", "other"]


def dataset(rng, rows, groups, bias):
    data = []
    for _ in range(rows):
        group = rng.choice(groups)
        label = rng.random() < 0.6
        # Predictions agree with the label most of the time, with a group-dependent bias.
        p = (0.8 if label else 0.25) + bias.get(group, 0.0)
        data.append({"group": group, "label": label, "predicted": rng.random() < min(max(p, 0.0), 1.0)})
    return data


def case(name, data):
    y_true = np.array([r["label"] for r in data], dtype=int)
    y_pred = np.array([r["predicted"] for r in data], dtype=int)
    groups = np.array([r["group"] for r in data])
    present = sorted(set(groups), key=GROUPS.index)
    frame = MetricFrame(metrics={"selection_rate": selection_rate, "tpr": true_positive_rate,
                                 "fpr": false_positive_rate},
                        y_true=y_true, y_pred=y_pred, sensitive_features=groups)
    tpr = frame.by_group["tpr"]
    return {
        "name": name,
        # One row per string: group,label,predicted (labels and predictions as 1/0).
        "rows": ["%s,%d,%d" % (r["group"], r["label"], r["predicted"]) for r in data],
        "present_groups": present,
        "selection_rates": {g: float(frame.by_group["selection_rate"][g]) for g in present},
        "demographic_parity_difference": float(demographic_parity_difference(y_true, y_pred, sensitive_features=groups)),
        "demographic_parity_ratio": float(demographic_parity_ratio(y_true, y_pred, sensitive_features=groups)),
        "equal_opportunity_difference": float(tpr.max() - tpr.min()),
        "equalized_odds_difference": float(equalized_odds_difference(y_true, y_pred, sensitive_features=groups)),
        "accuracy": float(accuracy_score(y_true, y_pred)),
        "precision": float(precision_score(y_true, y_pred)),
        "recall": float(recall_score(y_true, y_pred)),
        "false_positive_rate": float(false_positive_rate(y_true, y_pred)),
        "false_negative_rate": float(1 - recall_score(y_true, y_pred)),
        "selection_rate": float(selection_rate(y_true, y_pred)),
    }


def main():
    rng = random.Random(20240601)
    cases = [
        case("balanced", dataset(rng, 400, GROUPS, {})),
        case("biased", dataset(rng, 600, GROUPS, {"female": -0.2, "other": 0.1})),
        case("small", dataset(rng, 40, GROUPS, {"male": 0.15})),
        # A group of the enum is absent: Fairlearn uses the groups present.
        case("absent_group", dataset(rng, 300, ["female", "male"], {"female": -0.1})),
    ]
    document = {
        "generator": "scripts/fairlearn_reference.py",
        "fairlearn": fairlearn.__version__,
        "scikit-learn": sklearn.__version__,
        "groups": GROUPS,
        "cases": cases,
    }
    with open("Tests/PolicySemanticsTests/Fixtures/fairlearn-reference.json", "w") as out:
        json.dump(document, out, indent=1, sort_keys=True)
        out.write("\n")


if __name__ == "__main__":
    main()
