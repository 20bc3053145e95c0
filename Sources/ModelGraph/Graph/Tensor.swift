/// A dense tensor: `shape` and the scalars in row-major order.
///
/// INVARIANT: `scalars.count` is the product of `shape` (1 for rank 0).
public struct Tensor<Scalar: Sendable>: Sendable {
    public var shape: [Int]
    public var scalars: [Scalar]

    /// Creates a tensor; `scalars.count` must equal the product of `shape`.
    public init(shape: [Int], scalars: [Scalar]) {
        precondition(shape.allSatisfy { $0 >= 0 } && shape.reduce(1, *) == scalars.count, "shape does not match scalars")
        self.shape = shape
        self.scalars = scalars
    }

    public init(shape: [Int], repeating value: Scalar) {
        self.init(shape: shape, scalars: [Scalar](repeating: value, count: shape.reduce(1, *)))
    }

    public var rank: Int { shape.count }
    public var count: Int { scalars.count }
}

extension Tensor: Equatable where Scalar: Equatable {}

/// Real-valued tensors of the float reference evaluator.
public typealias FloatTensor = Tensor<Double>
/// Integer tensors of the quantized program.
public typealias IntTensor = Tensor<Int64>

/// Shape arithmetic shared by the evaluators; every function checks its
/// arguments and throws instead of trapping.
enum Shapes {
    /// No tensor of the evaluators may have more elements than this.
    static let maxElements = 1 << 28

    /// The product of `dims`, or an error when negative or too large.
    static func count(_ dims: [Int], _ node: NodeReference) throws -> Int {
        var n = 1
        for d in dims {
            guard d >= 0 else { throw ModelError.node(node, .shape, "negative dimension in \(dims)") }
            let (p, o) = n.multipliedReportingOverflow(by: d)
            guard !o, p <= maxElements else { throw ModelError.node(node, .shape, "shape \(dims) is too large") }
            n = p
        }
        return n
    }

    static func strides(_ dims: [Int]) -> [Int] {
        var s = [Int](repeating: 1, count: dims.count)
        var acc = 1
        for i in stride(from: dims.count - 1, through: 0, by: -1) {
            s[i] = acc
            acc *= dims[i]
        }
        return s
    }

    /// Resolves a possibly negative axis against `rank` (`extra` allows rank + extra − 1).
    static func axis(_ axis: Int, rank: Int, extra: Int = 0, _ node: NodeReference) throws -> Int {
        let r = rank + extra
        let a = axis < 0 ? axis + r : axis
        guard a >= 0, a < r else { throw ModelError.node(node, .shape, "axis \(axis) is out of range for rank \(rank)") }
        return a
    }

    /// numpy-style multidirectional broadcasting of two shapes.
    static func broadcast(_ a: [Int], _ b: [Int], _ node: NodeReference) throws -> [Int] {
        let rank = max(a.count, b.count)
        var out = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            let x = i < rank - a.count ? 1 : a[i - (rank - a.count)]
            let y = i < rank - b.count ? 1 : b[i - (rank - b.count)]
            guard x == y || x == 1 || y == 1 else {
                throw ModelError.node(node, .shape, "shapes \(a) and \(b) cannot be broadcast together")
            }
            out[i] = x == 1 ? y : x
        }
        _ = try count(out, node)
        return out
    }

    /// For each element of `outShape`, the index into a tensor of `shape` broadcast to it.
    static func broadcastIndices(from shape: [Int], to outShape: [Int]) -> [Int] {
        let total = outShape.reduce(1, *)
        let pad = outShape.count - shape.count
        let inStrides = strides(shape)
        var effective = [Int](repeating: 0, count: outShape.count)
        for i in 0..<shape.count where shape[i] != 1 { effective[i + pad] = inStrides[i] }
        if shape.reduce(1, *) == total { return Array(0..<total) }
        var result = [Int](repeating: 0, count: total)
        var index = [Int](repeating: 0, count: outShape.count)
        var offset = 0
        for k in 0..<total {
            result[k] = offset
            var d = outShape.count - 1
            while d >= 0 {
                index[d] += 1
                offset += effective[d]
                if index[d] < outShape[d] { break }
                offset -= effective[d] * index[d]
                index[d] = 0
                d -= 1
            }
        }
        return result
    }
}

extension Tensor {
    /// Elementwise combination with broadcasting.
    static func broadcasting<A, B>(_ a: Tensor<A>, _ b: Tensor<B>, _ node: NodeReference,
                                   _ f: (A, B) throws -> Scalar) throws -> Tensor<Scalar> {
        let shape = try Shapes.broadcast(a.shape, b.shape, node)
        let ia = Shapes.broadcastIndices(from: a.shape, to: shape)
        let ib = Shapes.broadcastIndices(from: b.shape, to: shape)
        var out: [Scalar] = []
        out.reserveCapacity(ia.count)
        for k in 0..<ia.count { out.append(try f(a.scalars[ia[k]], b.scalars[ib[k]])) }
        return Tensor<Scalar>(shape: shape, scalars: out)
    }

    func map<T>(_ f: (Scalar) throws -> T) rethrows -> Tensor<T> {
        Tensor<T>(shape: shape, scalars: try scalars.map(f))
    }

    func reshaped(_ newShape: [Int]) -> Tensor {
        Tensor(shape: newShape, scalars: scalars)
    }
}
