// zkpolicy-bench: release-mode benchmarks of the prover and the pipeline.
print("zkpolicy-bench: no benchmarks yet")
