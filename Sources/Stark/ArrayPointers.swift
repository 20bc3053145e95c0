/// Base addresses of many arrays at once, each valid for the whole call.
///
/// The prover's parallel loops read and write columns through raw pointers.
/// A pointer from `withUnsafe…BufferPointer` is only valid inside that call, so
/// these helpers nest one such call per array and run `body` innermost: every
/// pointer is then in scope while it is used. The nesting depth is the number of
/// arrays (the columns of one circuit: hundreds at most).
///
/// Empty arrays get the address of a one-element dummy that must not be read.
public func withPointers<T, R>(_ arrays: [[T]], _ body: ([UnsafePointer<T>]) -> R) -> R {
    let dummy = UnsafeMutablePointer<T>.allocate(capacity: 1)
    defer { dummy.deallocate() }
    var pointers: [UnsafePointer<T>] = []
    pointers.reserveCapacity(arrays.count)
    func nest(_ i: Int) -> R {
        if i == arrays.count { return body(pointers) }
        return arrays[i].withUnsafeBufferPointer { buffer in
            pointers.append(buffer.baseAddress ?? UnsafePointer(dummy))
            return nest(i + 1)
        }
    }
    return nest(0)
}

/// Like `withPointers`, for writing: `body` may write through each pointer
/// within its array's bounds (and must not resize the arrays).
public func withMutablePointers<T, R>(_ arrays: inout [[T]], _ body: ([UnsafeMutablePointer<T>]) -> R) -> R {
    let dummy = UnsafeMutablePointer<T>.allocate(capacity: 1)
    defer { dummy.deallocate() }
    return arrays.withUnsafeMutableBufferPointer { outer in
        let count = outer.count
        guard let base = outer.baseAddress else { return body([]) }
        var pointers: [UnsafeMutablePointer<T>] = []
        pointers.reserveCapacity(count)
        func nest(_ i: Int) -> R {
            if i == count { return body(pointers) }
            return base[i].withUnsafeMutableBufferPointer { buffer in
                pointers.append(buffer.baseAddress ?? dummy)
                return nest(i + 1)
            }
        }
        return nest(0)
    }
}
