extension Array {
    /// These elements followed by copies of `value` up to `count` elements,
    /// in storage of that size. (`self + repeated` appends to a copy, whose
    /// storage can grow to twice the size: a third more memory for the
    /// table's padded columns.)
    func padded(to count: Int, with value: Element) -> [Element] {
        precondition(count >= self.count, "padding cannot shorten an array")
        var result: [Element] = []
        result.reserveCapacity(count)
        result.append(contentsOf: self)
        result.append(contentsOf: repeatElement(value, count: count - self.count))
        return result
    }
}
