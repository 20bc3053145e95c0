import CGoldilocks

/// Element-wise arithmetic over arrays of field elements, for evaluators that
/// run one operation over a batch of points at a time (the prover's
/// constraint evaluation on the quotient domain).
///
/// Extension elements are given as one array per coefficient (c0, c1, and c2
/// in the cubic extension). Outputs may alias
/// inputs element for element. With `.avx512` eight elements go per
/// instruction; `.scalar` is the reference the tests compare against.
public enum BatchArithmetic {
    public typealias Pointer = UnsafeMutablePointer<Goldilocks>

    /// out[i] = a[i] + b[i] for i < count.
    @inlinable
    public static func add(_ out: Pointer, _ a: Pointer, _ b: Pointer, count: Int, kernel: FieldKernel = .best) {
        if kernel == .avx512 { vectorAdd(out, a, b, count) } else { for i in 0 ..< count { out[i] = a[i] + b[i] } }
    }

    /// out[i] = a[i] − b[i] for i < count.
    @inlinable
    public static func subtract(_ out: Pointer, _ a: Pointer, _ b: Pointer, count: Int, kernel: FieldKernel = .best) {
        if kernel == .avx512 { vectorSubtract(out, a, b, count) } else { for i in 0 ..< count { out[i] = a[i] - b[i] } }
    }

    /// out[i] = −a[i] for i < count.
    @inlinable
    public static func negate(_ out: Pointer, _ a: Pointer, count: Int, kernel: FieldKernel = .best) {
        if kernel == .avx512 { vectorNegate(out, a, count) } else { for i in 0 ..< count { out[i] = -a[i] } }
    }

    /// out[i] = a[i]·b[i] for i < count.
    @inlinable
    public static func multiply(_ out: Pointer, _ a: Pointer, _ b: Pointer, count: Int, kernel: FieldKernel = .best) {
        if kernel == .avx512 { vectorMultiply(out, a, b, count) } else { for i in 0 ..< count { out[i] = a[i] * b[i] } }
    }

    /// (out0, out1)[i] = (a0, a1)[i]·(b0, b1)[i] in the quadratic extension.
    @inlinable
    public static func multiplyExtension(_ out0: Pointer, _ out1: Pointer, _ a0: Pointer, _ a1: Pointer,
                                         _ b0: Pointer, _ b1: Pointer, count: Int, kernel: FieldKernel = .best) {
        if kernel == .avx512 {
            vectorMultiplyExtension(out0, out1, a0, a1, b0, b1, count)
        } else {
            for i in 0 ..< count {
                let p = GoldilocksExt2(a0[i], a1[i]) * GoldilocksExt2(b0[i], b1[i])
                out0[i] = p.c0; out1[i] = p.c1
            }
        }
    }

    /// acc[i] = acc[i]·α + x[i] in the quadratic extension (a Horner step).
    @inlinable
    public static func hornerStep(_ acc0: Pointer, _ acc1: Pointer, _ x0: Pointer, _ x1: Pointer,
                                  alpha: GoldilocksExt2, count: Int, kernel: FieldKernel = .best) {
        if kernel == .avx512 {
            vectorHornerStep(acc0, acc1, x0, x1, alpha, count)
        } else {
            for i in 0 ..< count {
                let p = GoldilocksExt2(acc0[i], acc1[i]) * alpha + GoldilocksExt2(x0[i], x1[i])
                acc0[i] = p.c0; acc1[i] = p.c1
            }
        }
    }

    /// (out0, out1, out2)[i] = (a0, a1, a2)[i]·(b0, b1, b2)[i] in the cubic extension.
    @inlinable
    public static func multiplyExtension3(_ out0: Pointer, _ out1: Pointer, _ out2: Pointer,
                                          _ a0: Pointer, _ a1: Pointer, _ a2: Pointer,
                                          _ b0: Pointer, _ b1: Pointer, _ b2: Pointer,
                                          count: Int, kernel: FieldKernel = .best) {
        if kernel == .avx512 {
            vectorMultiplyExtension3(out0, out1, out2, a0, a1, a2, b0, b1, b2, count)
        } else {
            for i in 0 ..< count {
                let p = GoldilocksExt3(a0[i], a1[i], a2[i]) * GoldilocksExt3(b0[i], b1[i], b2[i])
                out0[i] = p.c0; out1[i] = p.c1; out2[i] = p.c2
            }
        }
    }

    /// acc[i] = acc[i]·α + x[i] in the cubic extension (a Horner step).
    @inlinable
    public static func hornerStep3(_ acc0: Pointer, _ acc1: Pointer, _ acc2: Pointer,
                                   _ x0: Pointer, _ x1: Pointer, _ x2: Pointer,
                                   alpha: GoldilocksExt3, count: Int, kernel: FieldKernel = .best) {
        if kernel == .avx512 {
            vectorHornerStep3(acc0, acc1, acc2, x0, x1, x2, alpha, count)
        } else {
            for i in 0 ..< count {
                let p = GoldilocksExt3(acc0[i], acc1[i], acc2[i]) * alpha + GoldilocksExt3(x0[i], x1[i], x2[i])
                acc0[i] = p.c0; acc1[i] = p.c1; acc2[i] = p.c2
            }
        }
    }

    // The C calls, kept out of the inlinable bodies (which cannot see the
    // internal word-rebinding helper).
    @usableFromInline static func vectorAdd(_ o: Pointer, _ a: Pointer, _ b: Pointer, _ n: Int) {
        requireVectorKernel()
        words(o, n) { o in words(a, n) { a in words(b, n) { zk_goldilocks_add(o, a, $0, n) } } }
    }
    @usableFromInline static func vectorSubtract(_ o: Pointer, _ a: Pointer, _ b: Pointer, _ n: Int) {
        requireVectorKernel()
        words(o, n) { o in words(a, n) { a in words(b, n) { zk_goldilocks_sub(o, a, $0, n) } } }
    }
    @usableFromInline static func vectorNegate(_ o: Pointer, _ a: Pointer, _ n: Int) {
        requireVectorKernel()
        words(o, n) { o in words(a, n) { zk_goldilocks_neg(o, $0, n) } }
    }
    @usableFromInline static func vectorMultiply(_ o: Pointer, _ a: Pointer, _ b: Pointer, _ n: Int) {
        requireVectorKernel()
        words(o, n) { o in words(a, n) { a in words(b, n) { zk_goldilocks_mul(o, a, $0, n) } } }
    }
    @usableFromInline static func vectorMultiplyExtension(_ o0: Pointer, _ o1: Pointer, _ a0: Pointer, _ a1: Pointer,
                                                          _ b0: Pointer, _ b1: Pointer, _ n: Int) {
        requireVectorKernel()
        words(o0, n) { o0 in words(o1, n) { o1 in words(a0, n) { a0 in words(a1, n) { a1 in
            words(b0, n) { b0 in words(b1, n) { zk_goldilocks_ext_mul(o0, o1, a0, a1, b0, $0, n) } }
        } } } }
    }
    @usableFromInline static func vectorHornerStep(_ acc0: Pointer, _ acc1: Pointer, _ x0: Pointer, _ x1: Pointer,
                                                   _ alpha: GoldilocksExt2, _ n: Int) {
        requireVectorKernel()
        words(acc0, n) { acc0 in words(acc1, n) { acc1 in words(x0, n) { x0 in words(x1, n) {
            zk_goldilocks_ext_horner(acc0, acc1, x0, $0, alpha.c0.value, alpha.c1.value, n)
        } } } }
    }

    @usableFromInline static func vectorMultiplyExtension3(_ o0: Pointer, _ o1: Pointer, _ o2: Pointer,
                                                           _ a0: Pointer, _ a1: Pointer, _ a2: Pointer,
                                                           _ b0: Pointer, _ b1: Pointer, _ b2: Pointer, _ n: Int) {
        requireVectorKernel()
        words(o0, n) { o0 in words(o1, n) { o1 in words(o2, n) { o2 in
            words(a0, n) { a0 in words(a1, n) { a1 in words(a2, n) { a2 in
                words(b0, n) { b0 in words(b1, n) { b1 in words(b2, n) {
                    zk_goldilocks_ext3_mul(o0, o1, o2, a0, a1, a2, b0, b1, $0, n)
                } } }
            } } }
        } } }
    }
    @usableFromInline static func vectorHornerStep3(_ acc0: Pointer, _ acc1: Pointer, _ acc2: Pointer,
                                                    _ x0: Pointer, _ x1: Pointer, _ x2: Pointer,
                                                    _ alpha: GoldilocksExt3, _ n: Int) {
        requireVectorKernel()
        words(acc0, n) { acc0 in words(acc1, n) { acc1 in words(acc2, n) { acc2 in
            words(x0, n) { x0 in words(x1, n) { x1 in words(x2, n) {
                zk_goldilocks_ext3_horner(acc0, acc1, acc2, x0, x1, $0, alpha.c0.value, alpha.c1.value, alpha.c2.value, n)
            } } }
        } } }
    }

    /// Refuses to go on where the processor cannot run the C kernels (a
    /// caller naming `.avx512` explicitly); checked once per operation.
    @inline(__always)
    static func requireVectorKernel() {
        precondition(FieldKernel.hasAVX512, "the avx512 field kernel does not run on this processor")
    }

    /// The words of `p` for the C kernels.
    @inline(__always)
    static func words<R>(_ p: Pointer, _ n: Int, _ body: (UnsafeMutablePointer<UInt64>) -> R) -> R {
        withWords(p, count: n, body)
    }
}
