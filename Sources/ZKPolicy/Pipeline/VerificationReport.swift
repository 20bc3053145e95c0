import Foundation

/// `zkpolicyc verify --json`: the verdict and the public values, for machines.
public enum VerificationReport {
    public static func json(accepted: Bool, reason: String?, outcome: PolicyVerifier.Outcome?) -> String {
        var object: [String: Any] = ["accepted": accepted]
        if let reason { object["reason"] = reason }
        if let outcome {
            let s = outcome.bundle.statement
            object["policy"] = ["name": s.policyName, "version": s.policyVersion, "digest": ProofDescription.hex(s.policyDigest)]
            object["verdicts"] = s.verdicts.map { ["rule": $0.rule, "holds": $0.holds] as [String: Any] }
            object["parameters"] = s.params.map { ["name": $0.name, "value": $0.value, "display": $0.display] }
            object["commitments"] = s.commitments.map {
                ["name": $0.name, "digest": $0.hex, "checked": !outcome.uncheckedCommitments.contains($0.name)] as [String: Any]
            }
            object["tables"] = s.tables.map { ["name": $0.name, "rows": $0.rows] as [String: Any] }
            object["parts"] = s.parts.count
            object["security"] = ["preset": s.security.preset, "provenUniqueDecodingBits": s.security.provenUniqueDecodingBits,
                                  "provenJohnsonBits": s.security.provenJohnsonBits, "conjecturedBits": s.security.conjecturedBits] as [String: Any]
            object["proofBytes"] = outcome.proofBytes
            let source: String
            switch outcome.keySource {
            case .recompiled: source = "recompiled"
            case .recompiledAndCached: source = "recompiled and cached"
            case .cached: source = "cache"
            }
            object["verifyingKey"] = ["source": source, "seconds": outcome.keySeconds] as [String: Any]
            object["checkSeconds"] = outcome.checkSeconds
        }
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }
}
