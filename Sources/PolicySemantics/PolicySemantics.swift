// The `PolicySemantics` target: modules, names, types, type checker, interval analysis, HIR.
