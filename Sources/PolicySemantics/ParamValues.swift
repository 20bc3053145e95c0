import BigNumber

/// The values a parameter may take: shared by the checker (declared values)
/// and by `--param name=value` overrides when proving.
public enum ParamValues {
    /// Parses and validates an override: `true`/`false` for bool, else a
    /// decimal (`0.04`, `-3`, `12.5`) or percentage (`4%`).
    public static func parse(_ text: String, type: ValueType, domain: Interval?) -> Result<Param.Value, ParamOverrideError> {
        let trimmed = text.trimmingCharacters(in: " \t")
        if type == .bool {
            switch trimmed {
            case "true": return .success(.bool(true))
            case "false": return .success(.bool(false))
            default: return .failure(ParamOverrideError(message: "expected true or false, found `\(text)`"))
            }
        }
        guard let kind = type.numericKind else {
            return .failure(ParamOverrideError(message: "parameters of type \(type) cannot be set"))
        }
        let percent = trimmed.hasSuffix("%")
        let digits = percent ? String(trimmed.dropLast()) : trimmed
        guard let value = Rational(decimal: digits.replacingOccurrences(of: "_", with: ""), percent: percent) else {
            return .failure(ParamOverrideError(message: "expected a number like 12, 0.05 or 5%, found `\(text)`"))
        }
        if let problem = problem(with: value, kind: kind, domain: domain) {
            return .failure(ParamOverrideError(message: problem))
        }
        return .success(.number(value))
    }

    /// Why a number cannot be the value of a parameter of this kind and domain, or nil.
    public static func problem(with value: Rational, kind: NumericKind, domain: Interval?) -> String? {
        if kind == .int && !value.isInteger {
            return "an int parameter needs an integer value, not \(value.decimalString(places: 12))"
        }
        if kind != .int && !(value * Rational(Limits.paramDenominator)).isInteger {
            return "a \(kind) parameter has at most 4 decimal places (a multiple of 0.0001, e.g. 12.34%)"
        }
        if let domain, !domain.contains(value) {
            return "\(show(value, kind: kind)) is outside the parameter's domain \(describe(domain, kind: kind))"
        }
        return nil
    }

    /// `0%..100%` for ratios, `lo..hi` otherwise.
    public static func describe(_ domain: Interval, kind: NumericKind) -> String {
        (domain.lower.map { show($0, kind: kind) } ?? "") + ".." + (domain.upper.map { show($0, kind: kind) } ?? "")
    }

    /// A value as a user writes it: a percentage for ratios, a decimal otherwise.
    public static func show(_ value: Rational, kind: NumericKind) -> String {
        kind == .ratio ? value.percentString(places: 4) : value.decimalString(places: 12)
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        var text = Substring(self)
        while let first = text.first, set.contains(first) { text = text.dropFirst() }
        while let last = text.last, set.contains(last) { text = text.dropLast() }
        return String(text)
    }

    func replacingOccurrences(of target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = Substring(self)
        while let range = rest.range(of: target) {
            result += rest[..<range.lowerBound] + replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}

extension Substring {
    func range(of target: String) -> Range<Substring.Index>? {
        var index = startIndex
        while index < endIndex {
            if self[index...].hasPrefix(target) {
                return index..<self.index(index, offsetBy: target.count)
            }
            index = self.index(after: index)
        }
        return nil
    }
}
