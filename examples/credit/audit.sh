#!/usr/bin/env bash
# The compliance audit of the bundled credit model, as a user would type it:
# commit to the model, prove the fair-lending policy on the applicants, verify
# the proof as a regulator would, and describe it.
#
#   examples/credit/audit.sh              # the bundled model (proves; exit 0)
#   examples/credit/audit.sh OTHER.onnx   # another model on the same features
#                                         # (exit 3 when it violates the policy)
#
# Builds zkpolicyc in release mode first. The proof is left at
# examples/credit/out/audit.zkproof; the secret salt file at
# examples/credit/out/salts.json (keep it private: it hides the weights).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
model="${1:-$here/model.onnx}"
[ -f "$model" ] || { echo "audit.sh: no such model: $model" >&2; exit 1; }
model="$(cd "$(dirname "$model")" && pwd)/$(basename "$model")"

cd "$root"
echo "\$ swift build -c release --product zkpolicyc"
swift build -c release --product zkpolicyc 2>&1 | tail -n 1
bin="$(swift build -c release --show-bin-path)/zkpolicyc"

policy=Policies/credit/fair-lending.zkp
data=examples/credit/applicants.csv
out=examples/credit/out
mkdir -p "$out"
rel_model="${model#"$root"/}"

run() { echo; echo "\$ zkpolicyc $*"; "$bin" "$@"; }

# 1. The bank commits to its model; the digest is what it publishes (or
#    registers with the regulator) before the audit.
#    The model is quantized with a calibration on the data it will score;
#    the salt file keeps that calibration so that `prove` reproduces it.
run commit "$policy" --model "$rel_model" --data "$data" --salt-file "$out/salts.json" | tee "$out/commit.txt"
digest="$(sed -n 's/^commit(scorer) *= *\([0-9a-f]\{64\}\).*/\1/p' "$out/commit.txt")"
[ -n "$digest" ] || { echo "audit.sh: commit printed no digest for the scorer" >&2; exit 1; }

# 2. The bank proves the policy on its private applicants. A violated rule
#    stops here with exit 3 and no proof.
rm -f "$out/audit.zkproof"   # a proof of an earlier run would not be this model's
status=0
run prove "$policy" --model "$rel_model" --data "$data" \
    --commitment "scorer_digest=$digest" --salt-file "$out/salts.json" \
    -o "$out/audit.zkproof" || status=$?
if [ "$status" -ne 0 ]; then
    echo
    if [ "$status" -eq 3 ]; then echo "audit: the model violates the policy; no proof was made"
    else echo "audit: prove failed (exit $status)"; fi
    exit "$status"
fi

# 3. The regulator verifies with the policy and the published commitment only.
run verify "$out/audit.zkproof" --policy "$policy" --commitment "scorer_digest=$digest"

# 4. What the proof states, in words.
run inspect "$out/audit.zkproof"

echo
echo "audit: proof at $out/audit.zkproof"
