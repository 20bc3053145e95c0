// The `ZKPolicy` target: the pipeline as a library API (DESIGN.md §3).
