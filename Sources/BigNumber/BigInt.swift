import CGMP

/// Owns one GMP integer (`mpz_t`). Never mutated after the operation that
/// created it returns, which is what makes sharing it between values safe.
@usableFromInline
final class MPZ: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<__mpz_struct>

    init() {
        pointer = .allocate(capacity: 1)
        __gmpz_init(pointer)
    }

    deinit {
        __gmpz_clear(pointer)
        pointer.deallocate()
    }
}

/// An arbitrary-precision signed integer backed by GMP.
///
/// A value type: operations return new integers and never change their operands.
public struct BigInt: Sendable {
    let storage: MPZ

    init(storage: MPZ) { self.storage = storage }

    /// Creates a value by running a GMP operation that writes its result.
    static func make(_ body: (UnsafeMutablePointer<__mpz_struct>) -> Void) -> BigInt {
        let result = MPZ()
        body(result.pointer)
        return BigInt(storage: result)
    }

    public init(_ value: Int) {
        storage = MPZ()
        __gmpz_set_si(storage.pointer, value)
    }

    public init(_ value: UInt64) {
        storage = MPZ()
        __gmpz_set_ui(storage.pointer, UInt(value))
    }

    /// Parses an integer written in `radix` (2…62), with an optional leading `-`.
    /// Returns nil for anything else, including the empty string and `_` separators.
    public init?(_ text: some StringProtocol, radix: Int = 10) {
        guard !text.isEmpty, (2...62).contains(radix) else { return nil }
        var digits = Substring(text)
        let negative = digits.first == "-"
        if negative { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else { return nil }
        let value = MPZ()
        let status = String(digits).withCString { __gmpz_set_str(value.pointer, $0, Int32(radix)) }
        guard status == 0 else { return nil }
        if negative { __gmpz_neg(value.pointer, value.pointer) }
        storage = value
    }

    public static let zero = BigInt(0)
    public static let one = BigInt(1)

    /// −1, 0 or 1.
    public var signum: Int {
        let size = storage.pointer.pointee._mp_size
        return size > 0 ? 1 : (size < 0 ? -1 : 0)
    }

    public var isZero: Bool { signum == 0 }
    public var isNegative: Bool { signum < 0 }

    /// The absolute value.
    public var magnitude: BigInt {
        BigInt.make { __gmpz_abs($0, storage.pointer) }
    }

    /// The number of bits of the absolute value (0 for zero).
    public var bitWidth: Int {
        isZero ? 0 : Int(__gmpz_sizeinbase(storage.pointer, 2))
    }

    /// The value as an `Int`, or nil when it does not fit.
    public var asInt: Int? {
        guard __gmpz_fits_slong_p(storage.pointer) != 0 else { return nil }
        return __gmpz_get_si(storage.pointer)
    }

    /// The value as a `UInt64`, or nil when it is negative or too large.
    public var asUInt64: UInt64? {
        guard !isNegative, bitWidth <= 64 else { return nil }
        return UInt64(__gmpz_get_ui(storage.pointer))
    }

    /// 2 raised to `exponent`.
    public static func powerOfTwo(_ exponent: Int) -> BigInt {
        precondition(exponent >= 0)
        return BigInt.make { __gmpz_ui_pow_ui($0, 2, UInt(exponent)) }
    }

    /// `self` raised to a non-negative power.
    public func power(_ exponent: Int) -> BigInt {
        precondition(exponent >= 0)
        return BigInt.make { __gmpz_pow_ui($0, storage.pointer, UInt(exponent)) }
    }

    /// The greatest common divisor, always non-negative.
    public static func gcd(_ a: BigInt, _ b: BigInt) -> BigInt {
        BigInt.make { __gmpz_gcd($0, a.storage.pointer, b.storage.pointer) }
    }

    /// The quotient rounded toward negative infinity. Precondition: `divisor` is not zero.
    public func floorDivided(by divisor: BigInt) -> BigInt {
        precondition(!divisor.isZero, "division by zero")
        return BigInt.make { __gmpz_fdiv_q($0, storage.pointer, divisor.storage.pointer) }
    }

    /// The quotient rounded toward positive infinity. Precondition: `divisor` is not zero.
    public func ceilDivided(by divisor: BigInt) -> BigInt {
        precondition(!divisor.isZero, "division by zero")
        return BigInt.make { __gmpz_cdiv_q($0, storage.pointer, divisor.storage.pointer) }
    }

    /// The remainder of floor division: non-negative for a positive divisor.
    public func floorModulo(_ divisor: BigInt) -> BigInt {
        precondition(!divisor.isZero, "division by zero")
        return BigInt.make { __gmpz_fdiv_r($0, storage.pointer, divisor.storage.pointer) }
    }

    /// The digits in `radix`, with a leading `-` for negative values.
    public func toString(radix: Int = 10) -> String {
        precondition((2...62).contains(radix))
        let length = __gmpz_sizeinbase(storage.pointer, Int32(radix)) + 2
        var buffer = [CChar](repeating: 0, count: length)
        return buffer.withUnsafeMutableBufferPointer { raw -> String in
            __gmpz_get_str(raw.baseAddress, Int32(radix), storage.pointer)
            return String(cString: raw.baseAddress!)
        }
    }
}

extension BigInt: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) { self.init(value) }
}

extension BigInt: CustomStringConvertible {
    public var description: String { toString() }
}

extension BigInt: Comparable, Hashable {
    public static func == (a: BigInt, b: BigInt) -> Bool {
        __gmpz_cmp(a.storage.pointer, b.storage.pointer) == 0
    }

    public static func < (a: BigInt, b: BigInt) -> Bool {
        __gmpz_cmp(a.storage.pointer, b.storage.pointer) < 0
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(toString(radix: 32))
    }
}

extension BigInt {
    public static func + (a: BigInt, b: BigInt) -> BigInt {
        BigInt.make { __gmpz_add($0, a.storage.pointer, b.storage.pointer) }
    }

    public static func - (a: BigInt, b: BigInt) -> BigInt {
        BigInt.make { __gmpz_sub($0, a.storage.pointer, b.storage.pointer) }
    }

    public static func * (a: BigInt, b: BigInt) -> BigInt {
        BigInt.make { __gmpz_mul($0, a.storage.pointer, b.storage.pointer) }
    }

    public static prefix func - (a: BigInt) -> BigInt {
        BigInt.make { __gmpz_neg($0, a.storage.pointer) }
    }

    public static func += (a: inout BigInt, b: BigInt) { a = a + b }
    public static func -= (a: inout BigInt, b: BigInt) { a = a - b }
    public static func *= (a: inout BigInt, b: BigInt) { a = a * b }

    public static func min(_ a: BigInt, _ b: BigInt) -> BigInt { a < b ? a : b }
    public static func max(_ a: BigInt, _ b: BigInt) -> BigInt { a < b ? b : a }
}
