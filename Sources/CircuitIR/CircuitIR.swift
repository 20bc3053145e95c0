// The `CircuitIR` target (DESIGN.md §3). Its contents land with their issue.
