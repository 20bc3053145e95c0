import BigNumber
import Testing
@testable import ModelGraph

/// The rounding rules against independent BigInt / Rational computations.
@Suite struct FixedPointTests {
    /// ⌊m · 2^(e+s) + 1/2⌋ from the exact binary expansion of x = m · 2^e.
    func reference(_ x: Double, _ s: Int) -> BigInt {
        let m = BigInt(Int(x.significandBitPattern | (x.isNormal ? 1 << 52 : 0)))
        let e = Int(x.exponent) - 52 + s   // x = m · 2^(exponent − 52)
        let signed = x < 0 ? -m : m
        // ⌊signed · 2^e + 1/2⌋ = ⌊(2 · signed · 2^e + 1) / 2⌋
        if e >= 0 { return signed * BigInt.powerOfTwo(e) }
        return (signed * BigInt(2) + BigInt.powerOfTwo(-e)).floorDivided(by: BigInt.powerOfTwo(1 - e))
    }

    @Test func quantizeDoubleIsExactRoundHalfUp() {
        var g = SplitMix(seed: 1)
        for _ in 0..<5000 {
            let x = g.nextDouble(in: -1000...1000) * (g.next() % 2 == 0 ? 1 : 1e-4)
            let s = Int(g.next() % 30)
            guard x != 0 else { continue }
            let q = FixedPoint.quantize(x, scale: s)
            #expect(q.map { BigInt(Int($0)) } == reference(x, s), "x = \(x), s = \(s)")
        }
        // Exact halves round up (toward +∞), the convention of docs/models.md.
        #expect(FixedPoint.quantize(0.5, scale: 0) == 1)
        #expect(FixedPoint.quantize(-0.5, scale: 0) == 0)
        #expect(FixedPoint.quantize(-1.5, scale: 0) == -1)
        #expect(FixedPoint.quantize(0.49999999999999994, scale: 0) == 0)
        #expect(FixedPoint.quantize(.nan, scale: 0) == nil)
        #expect(FixedPoint.quantize(0x1p70, scale: 0) == nil)
    }

    @Test func quantizeDecimalIsExact() {
        var g = SplitMix(seed: 2)
        for _ in 0..<2000 {
            let whole = g.nextInt(in: -99999...99999), frac = g.nextInt(in: 0...999999)
            let text = "\(whole < 0 ? "-" : "")\(abs(whole)).\(String(frac).leftPadded(6))"
            let s = Int(g.next() % 24)
            let r = Rational(decimal: text)!
            let expected = (r.numerator * BigInt(2) * BigInt.powerOfTwo(s) + r.denominator).floorDivided(by: r.denominator * BigInt(2))
            #expect(FixedPoint.quantize(decimal: Substring(text), scale: s).map { BigInt(Int($0)) } == expected, "\(text) at \(s)")
        }
        #expect(FixedPoint.quantize(decimal: "1.25e2", scale: 1) == 250)
        #expect(FixedPoint.quantize(decimal: "3E-1", scale: 4) == 5)     // 4.8 → 5
        #expect(FixedPoint.quantize(decimal: "-0.03125", scale: 4) == 0)  // −0.5 → 0 (half up)
        for bad in ["", "-", ".", "1.2.3", "e5", "1e", "0x10", "1,5", "nan", "inf"] {
            #expect(FixedPoint.quantize(decimal: Substring(bad), scale: 0) == nil, "\(bad)")
        }
    }

    @Test func integerRoundingAgreesWithBigInt() throws {
        var g = SplitMix(seed: 3)
        for _ in 0..<5000 {
            let x = g.nextInt(in: -(1 << 50)...(1 << 50))
            let k = Int(1 + g.next() % 40)
            let expected = (BigInt(Int(x)) + BigInt.powerOfTwo(k - 1)).floorDivided(by: BigInt.powerOfTwo(k))
            #expect(BigInt(Int(try IntegerKernels.roundShift(x, k))) == expected)
            let d = g.nextInt(in: 1...(1 << 20))
            let q = (BigInt(Int(x)) * BigInt(2) + BigInt(Int(d))).floorDivided(by: BigInt(Int(d)) * BigInt(2))
            #expect(BigInt(Int(try IntegerKernels.divideRounded(x, d))) == q)
            #expect(FixedPoint.divideRounded(x, d) == Int64(q.asInt!))
            let v = g.nextInt(in: 0...(1 << 61))
            let r = IntegerKernels.isqrt(v)
            #expect(BigInt(Int(r)) * BigInt(Int(r)) <= BigInt(Int(v)) && BigInt(Int(r + 1)) * BigInt(Int(r + 1)) > BigInt(Int(v)))
        }
    }

    /// Integer convolution and pooling equal the float kernels on integer data
    /// (exact in Double below 2^53).
    @Test func integerWindowsMatchFloatKernels() throws {
        var g = SplitMix(seed: 4)
        let node = NodeReference(opType: "Conv", name: "t", index: 0)
        for trial in 0..<20 {
            let group = trial % 2 + 1, c = group * (1 + Int(g.next() % 3))
            let h = 4 + Int(g.next() % 5), w = 4 + Int(g.next() % 5), o = 2 * group
            let k = 1 + Int(g.next() % 3)
            let x = IntTensor(shape: [1, c, h, w], scalars: (0..<(c * h * w)).map { _ in g.nextInt(in: -1000...1000) })
            let wt = IntTensor(shape: [o, c / group, k, k], scalars: (0..<(o * c / group * k * k)).map { _ in g.nextInt(in: -50...50) })
            let bias = (0..<o).map { _ in g.nextInt(in: -99...99) }
            let geometry = ConvGeometry(kernel: [k, k], strides: [1 + trial % 2, 1], dilations: [1, 1 + trial % 3 / 2],
                                        pads: [trial % 2, 1, 0, trial % 3 == 0 ? 1 : 0], group: group, autoPad: "NOTSET")
            let float = try FloatKernels.conv(x.map(Double.init), wt.map(Double.init),
                                              FloatTensor(shape: [o], scalars: bias.map(Double.init)), geometry, node)
            let (window, _) = try FloatKernels.convGeometry(x.shape, wt.shape, [o], geometry, node)
            let ints = try IntegerKernels.conv(x, wt, bias, window, group)
            #expect(ints.map(Double.init) == float.scalars)

            let pool = PoolGeometry(kernel: [2, 1 + trial % 2], strides: [1, 2], pads: [1, 0, 0, trial % 2], ceilMode: trial % 4 == 0, autoPad: "NOTSET")
            let maxFloat = try FloatKernels.pool(x.map(Double.init), pool, average: false, countIncludePad: false, node)
            let pw = try FloatKernels.poolGeometry(x.shape, pool, node)
            let spec = QuantizedArchitecture(inputs: [], outputs: [], tensors: [QTensor(name: "x", shape: x.shape, scale: 0),
                                             QTensor(name: "y", shape: maxFloat.shape, scale: 0)], weights: [], tables: [], steps: [])
            let context = IntegerKernels.Context(architecture: spec, weights: QuantizedWeights(values: []))
            let maxInt = try IntegerKernels.evaluate(QStep(op: .maxPool(geometry: pw), inputs: [0], output: 1), [x], context)
            #expect(maxInt.scalars.map(Double.init) == maxFloat.scalars)
            let sumInt = try IntegerKernels.evaluate(QStep(op: .sumPool(geometry: pw), inputs: [0], output: 1), [x], context)
            let avgFloat = try FloatKernels.pool(x.map(Double.init), pool, average: true, countIncludePad: false, node)
            let counts = FloatKernels.poolWindows(pw).map { Double($0.positions.count) }
            for (i, s) in sumInt.scalars.enumerated() {
                #expect(abs(Double(s) / counts[i % counts.count] - avgFloat.scalars[i]) < 1e-9)
            }
        }
    }
}

extension String {
    func leftPadded(_ n: Int) -> String { String(repeating: "0", count: max(0, n - count)) + self }
}
