/// `base` raised to `exponent` by square-and-multiply, for any
/// multiplication with identity `one`: the one loop behind
/// `Goldilocks.power` and `ExtensionField.power`.
@inlinable
func squareAndMultiply<T>(_ base: T, _ exponent: UInt64, one: T, _ multiply: (T, T) -> T) -> T {
    var result = one
    var square = base
    var e = exponent
    while e != 0 {
        if e & 1 == 1 { result = multiply(result, square) }
        square = multiply(square, square)
        e >>= 1
    }
    return result
}
