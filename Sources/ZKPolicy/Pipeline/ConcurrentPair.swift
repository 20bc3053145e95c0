import Dispatch

/// Two independent computations run at once, one per core, and both
/// results (the prover lays the circuit out while it computes the witness).
struct ConcurrentPair<A, B> {
    let first: Result<A, Error>
    let second: Result<B, Error>

    init(_ a: () throws -> A, _ b: () throws -> B) {
        // Each iteration writes only its own result; both are read after the join.
        var ra: Result<A, Error>?, rb: Result<B, Error>?
        DispatchQueue.concurrentPerform(iterations: 2) { k in
            if k == 0 { ra = Result { try a() } } else { rb = Result { try b() } }
        }
        // INVARIANT: concurrentPerform ran both iterations before returning.
        first = ra!
        second = rb!
    }
}
