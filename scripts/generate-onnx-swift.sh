#!/usr/bin/env bash
# Regenerates Sources/ModelGraph/ONNX/OnnxSubset.pb.swift from
# scripts/proto/onnx_subset.proto.
#
# Needs protoc (Debian: apt-get install protobuf-compiler) and protoc-gen-swift,
# which this script builds from the swift-protobuf checkout that SwiftPM
# resolved for the package (run `swift package resolve` first), into
# .build-protoc so that it never disturbs the main build folder.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v protoc >/dev/null || { echo "protoc not found: apt-get install protobuf-compiler" >&2; exit 1; }
checkout=.build/checkouts/swift-protobuf
[ -d "$checkout" ] || swift package resolve
swift build --package-path "$checkout" --scratch-path .build-protoc -c release --product protoc-gen-swift
plugin=.build-protoc/release/protoc-gen-swift

out=$(mktemp -d)
protoc --plugin=protoc-gen-swift="$plugin" \
    --swift_opt=Visibility=Internal \
    --swift_out="$out" \
    -I scripts/proto scripts/proto/onnx_subset.proto
mkdir -p Sources/ModelGraph/ONNX
mv "$out/onnx_subset.pb.swift" Sources/ModelGraph/ONNX/OnnxSubset.pb.swift
rm -rf "$out"
echo "wrote Sources/ModelGraph/ONNX/OnnxSubset.pb.swift"
