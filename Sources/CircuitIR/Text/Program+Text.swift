import Field

/// The textual form of a circuit (`zkpolicyc compile --emit cir`): one
/// instruction per line, in program order, deterministic byte for byte.
///
/// ```
/// ; zkpolicyc circuit IR, version 1
/// circuit "example"
/// !1 = "rule r1" at policy.zkp:3:1
/// !2 = "less_than" in !1
/// table range16(x): range 16 bits
///
/// %0 = public_input "limit"                    !1
/// %1 = private_input "x"                       !1 ; [0, 255]
/// %2, %3 = hint divrem(%1, %0)                 !2
/// range_check %3, 8                            !2
/// public_output "verdict", %2                  !1
/// ```
/// Constants and coefficients print as signed integers (p − 1 is `-1`);
/// `!n` names an origin; `; [lo, hi]` is a proven bound (with `bounds: true`).
extension Program {
    /// The version printed in the header; bump when the format changes.
    public static let textFormatVersion = 1

    /// The whole program as text. With `bounds`, each single-result
    /// instruction whose value has a proven bound (from `BoundAnalysis`) is annotated.
    public func text(bounds: Bool = false) -> String {
        var out = "; zkpolicyc circuit IR, version \(Program.textFormatVersion)\n"
        out += "circuit \(quoted(name))\n"
        for (k, entry) in originTable.entries.enumerated().dropFirst() {
            out += "!\(k) = \(quoted(entry.origin.label))"
            if let location = entry.origin.location { out += " at \(location)" }
            if entry.parent != .none { out += " in !\(entry.parent.raw)" }
            out += "\n"
        }
        for table in tables { out += tableLine(table) + "\n" }
        for (k, hint) in customHints.enumerated() { out += "hint custom<\(k)> = \(quoted(hint.name))\n" }
        out += "\n"
        let intervals = bounds ? BoundAnalysis(self).bounds : []
        for i in 0..<instructionCount {
            var line = text(ofInstruction: i)
            var suffix = ""
            if origins[i] != .none { suffix += " !\(origins[i].raw)" }
            if bounds, results(of: i).count == 1, opcodes[i] != .constant {
                let b = intervals[results(of: i).lowerBound]
                if !b.isFull { suffix += " ; \(b)" }
            }
            if !suffix.isEmpty {
                if line.count < 44 { line += String(repeating: " ", count: 44 - line.count) }
                line += suffix
            }
            out += line + "\n"
        }
        return out
    }

    /// One instruction as text, without its origin: `%5 = add %3, %4`.
    public func text(ofInstruction i: Int) -> String {
        let ins = instruction(i)
        let lhs = resultList(ins.results)
        let prefix = lhs.isEmpty ? "" : lhs + " = "
        func v(_ j: Int) -> String { "%\(ins[j])" }
        func k(_ j: Int) -> String { String(constants[Int(ins[j])].signedValue) }
        let body: String
        switch ins.opcode {
        case .constant:
            body = "const \(k(0))"
        case .publicInput, .privateInput:
            body = "\(ins.opcode) \(quoted(strings[Int(ins[0])]))"
        case .add, .sub, .mul:
            body = "\(ins.opcode) \(v(0)), \(v(1))"
        case .linear:
            var s = "linear"
            let c0 = constants[Int(ins[0])].signedValue
            var first = true
            if c0 != 0 || ins.operands.count == 1 {
                s += " \(c0)"
                first = false
            }
            for j in stride(from: 1, to: ins.operands.count, by: 2) {
                let c = constants[Int(ins[j])].signedValue
                let magnitude = c.magnitude == 1 ? "" : "\(c.magnitude)*"
                if first {
                    s += c < 0 ? " -\(magnitude)\(v(j + 1))" : " \(magnitude)\(v(j + 1))"
                } else {
                    s += (c < 0 ? " - " : " + ") + "\(magnitude)\(v(j + 1))"
                }
                first = false
            }
            body = s
        case .dot:
            body = "dot " + stride(from: 0, to: ins.operands.count, by: 2).map { "\(v($0))*\(v($0 + 1))" }
                .joined(separator: " + ")
        case .hint:
            let kind = ins.hintKind
            let name: String
            switch kind {
            case .custom(let h)?: name = h < customHints.count ? "custom \(quoted(customHints[h].name))" : "custom<\(h)>"
            case .tableLookup(let t)?: name = "table_lookup " + (t.index < tables.count ? tables[t.index].name : "#\(t.raw)")
            case let kind?: name = kind.description
            case nil: name = "unknown<\(ins[0])>"
            }
            body = "hint \(name)(" + (3..<ins.operands.count).map(v).joined(separator: ", ") + ")"
        case .poseidon2:
            body = "poseidon2(" + (0..<ins.operands.count).map(v).joined(separator: ", ") + ")"
        case .matmul:
            let n = Int(ins[0]), k = Int(ins[1]), m = Int(ins[2])
            let x = (3..<(3 + n * k)).map(v).joined(separator: ", ")
            let w = ((3 + n * k)..<ins.operands.count).map(v).joined(separator: ", ")
            body = "matmul \(n)x\(k) [\(x)] * \(k)x\(m) [\(w)]"
        case .assertEqual:
            body = "assert_eq \(v(0)), \(v(1))"
        case .rangeCheck:
            body = "range_check \(v(0)), \(ins[1])"
        case .lookup:
            let t = Int(ins[0])
            let name = t < tables.count ? tables[t].name : "#\(t)"
            body = "lookup \(name)(" + (1..<ins.operands.count).map(v).joined(separator: ", ") + ")"
        case .publicOutput:
            body = "public_output \(quoted(strings[Int(ins[0])])), \(v(1))"
        }
        return prefix + body
    }

    private func resultList(_ r: Range<Int>) -> String {
        switch r.count {
        case 0: ""
        case 1...3: r.map { "%\($0)" }.joined(separator: ", ")
        default: "%\(r.lowerBound)..%\(r.upperBound - 1)"
        }
    }

    private func tableLine(_ t: LookupTable) -> String {
        let header = "table \(t.name)(\(t.columnNames.joined(separator: ", ")))"
        switch t.contents {
        case .range(let bits):
            return header + ": range \(bits) bits"
        case .rows(let rows):
            return header + ", key \(t.keyColumns): \(t.rowCount) rows, digest \(t.digest(rows: rows).hex)"
        }
    }
}

extension LookupTable {
    /// Poseidon2 digest of (width, key columns, rows…), for the textual form.
    func digest(rows: [Goldilocks]) -> Poseidon2Digest {
        Poseidon2Sponge.hash([Goldilocks(UInt64(width)), Goldilocks(UInt64(keyColumns))] + rows,
                             domain: Poseidon2Sponge.Domain.table)
    }
}

/// A string literal with `"` and `\` escaped and control characters as `\u{…}`.
func quoted(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case _ where scalar.value < 0x20 || scalar.value == 0x7F:
            out += "\\u{\(String(scalar.value, radix: 16))}"
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}
