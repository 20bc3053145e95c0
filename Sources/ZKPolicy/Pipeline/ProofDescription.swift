import Foundation
import Stark

/// What a proof states, in words (`zkpolicyc inspect`) and as JSON (`--json`).
public enum ProofDescription {
    /// A human-readable account of the proof's statement.
    public static func text(_ bundle: ProofBundle, fileSize: Int) -> String {
        let s = bundle.statement
        var out = "Proof of policy \"\(s.policyName)\" version \(s.policyVersion)\n"
        out += "  policy digest    \(hex(s.policyDigest))\n"
        out += "\nRules (each proven to hold on the private data and model):\n"
        let width = s.verdicts.map(\.rule.count).max() ?? 0
        for v in s.verdicts {
            out += "  \(v.rule.padding(toLength: width, withPad: " ", startingAt: 0))  \(v.holds ? "holds" : "VIOLATED")\n"
        }
        if !s.params.isEmpty {
            out += "\nPublic parameters:\n"
            for p in s.params { out += "  \(p.name) = \(p.display)\n" }
        }
        if !s.commitments.isEmpty {
            out += "\nCommitments (Poseidon2 digests the proof binds):\n"
            for c in s.commitments { out += "  \(c.name) = \(c.hex)\n" }
        }
        out += "\nData:\n"
        for t in s.tables { out += "  \(t.name): \(t.rows) rows (private)\n" }
        if !s.parts.isEmpty {
            out += "\nProven in \(s.parts.count) parts (each part's aggregates hidden behind its commitment):\n"
            for (p, part) in s.parts.enumerated() {
                let rows = part.tables.map { "\($0.rows) rows of \($0.name)" }.joined(separator: ", ")
                out += "  part \(p + 1): \(rows); commitment \(part.commitment)\n"
            }
        }
        if !s.models.isEmpty {
            out += "\nModels (weights private; architecture public):\n"
            for m in s.models {
                out += "  \(m.name): \(m.summary)\n"
                out += "    quantization error against the float model: max \(m.maxAbsoluteError), mean \(m.meanAbsoluteError);"
                out += " decisions differing in \(m.differingDecisions) of \(m.comparedRows) rows\n"
            }
        }
        let sec = s.security
        out += "\nSecurity (preset \(sec.preset)):\n"
        out += "  \(sec.provenUniqueDecodingBits) bits proven (unique-decoding regime)\n"
        out += "  \(sec.provenJohnsonBits) bits proven (Johnson-bound regime)\n"
        out += "  \(sec.conjecturedBits) bits conjectured (ethSTARK conjecture)\n"
        out += "  STARK protocol   \(protocolDescription(bundle))\n"
        out += "  verifying key    \(hex(s.verifyingKeyDigest))\n"
        out += "  proof size       \(fileSize) bytes\n"
        let r = bundle.report
        out += "\nReported by the prover (not part of the proven statement):\n"
        out += "  zkpolicyc \(r.toolVersion); proving took \(seconds(r.proveMilliseconds)), the whole run \(seconds(r.totalMilliseconds));"
        out += " STARK table \(r.traceRows) rows × \(r.traceColumns) columns\n"
        return out
    }

    /// The same content as a JSON object with stable key order.
    public static func json(_ bundle: ProofBundle, fileSize: Int) -> String {
        let s = bundle.statement
        let object: [String: Any] = [
            "policy": ["name": s.policyName, "version": s.policyVersion, "digest": hex(s.policyDigest)],
            "verdicts": s.verdicts.map { ["rule": $0.rule, "holds": $0.holds] as [String: Any] },
            "parameters": s.params.map { ["name": $0.name, "value": $0.value, "display": $0.display] },
            "commitments": s.commitments.map { ["name": $0.name, "digest": $0.hex] },
            "tables": s.tables.map { ["name": $0.name, "rows": $0.rows] as [String: Any] },
            "parts": s.parts.map {
                ["tables": $0.tables.map { ["name": $0.name, "rows": $0.rows] as [String: Any] },
                 "commitment": $0.commitment, "verifyingKeyDigest": hex($0.verifyingKeyDigest)] as [String: Any]
            },
            "models": s.models.map {
                ["name": $0.name, "summary": $0.summary, "maxAbsoluteError": $0.maxAbsoluteError,
                 "meanAbsoluteError": $0.meanAbsoluteError, "differingDecisions": $0.differingDecisions,
                 "comparedRows": $0.comparedRows, "architectureCardBytes": $0.architectureCard.count] as [String: Any]
            },
            "security": ["preset": s.security.preset, "conjecturedBits": s.security.conjecturedBits,
                         "provenUniqueDecodingBits": s.security.provenUniqueDecodingBits,
                         "provenJohnsonBits": s.security.provenJohnsonBits] as [String: Any],
            "protocol": (try? Proof(decoding: bundle.starkProof))?.header.protocolID ?? "",
            "verifyingKeyDigest": hex(s.verifyingKeyDigest),
            "proofBytes": fileSize,
            "proverReport": ["toolVersion": bundle.report.toolVersion,
                             "proveMilliseconds": bundle.report.proveMilliseconds,
                             "totalMilliseconds": bundle.report.totalMilliseconds,
                             "traceRows": bundle.report.traceRows,
                             "traceColumns": bundle.report.traceColumns] as [String: Any],
        ]
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    /// The STARK proof's protocol id and the extension its challenges come from.
    static func protocolDescription(_ bundle: ProofBundle) -> String {
        guard let header = (try? Proof(decoding: bundle.starkProof))?.header else { return "unreadable STARK proof" }
        let field = header.parameters.extensionDegree == 3 ? "cubic" : "quadratic"
        return "\(header.protocolID) (challenges from the \(field) extension of Goldilocks)"
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
    }

    static func seconds(_ milliseconds: Int) -> String {
        String(format: "%.2f s", Double(milliseconds) / 1000)
    }
}
