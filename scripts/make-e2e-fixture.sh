#!/usr/bin/env bash
# The small data set of the end-to-end CLI tests (Tests/ZKPolicyTests/
# EndToEndTests.swift): every tenth applicant of examples/credit/applicants.csv
# (100 rows, both groups), small enough to prove in a debug build. On it the
# logistic-regression model (examples/credit/model-logreg.onnx) satisfies
# Policies/credit/fair-lending.zkp and the biased model violates it.
set -euo pipefail
cd "$(dirname "$0")/.."
src=examples/credit/applicants.csv
dst=Tests/ZKPolicyTests/Fixtures/e2e/applicants-100.csv
{ head -n 1 "$src"; tail -n +2 "$src" | awk 'NR % 10 == 0'; } > "$dst"
echo "wrote $dst ($(($(wc -l < "$dst") - 1)) rows)"
