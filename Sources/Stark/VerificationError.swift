/// Why the verifier rejected a proof.
public enum VerificationError: Error, Equatable, CustomStringConvertible {
    /// The bytes are not a well-formed proof (truncated, oversized, garbage).
    case malformedProof(String)
    /// The header's protocol, hash, parameters, table size or security numbers
    /// differ from the verifying key's.
    case headerMismatch(String)
    /// The number of public inputs differs from the circuit's.
    case publicInputCount(expected: Int, got: Int)
    /// The proof's shape (number of commitments, opened values…) does not fit the key.
    case shapeMismatch(String)
    /// The constraints evaluated at the out-of-domain point do not match the quotient.
    case outOfDomainCheckFailed
    /// Opened values do not hash to the committed root of a tree.
    case merkleMismatch(tree: String)
    /// The proof-of-work nonce does not have enough leading zero bits.
    case insufficientProofOfWork
    /// A FRI fold does not match the next layer's opened value.
    case friFoldMismatch(layer: Int, query: Int)
    /// The last FRI layer does not agree with the final polynomial.
    case friFinalPolynomialMismatch(query: Int)
    /// The verifying key is inconsistent: a constraint reads a column, challenge,
    /// selector or instance polynomial that the key does not define or open.
    case invalidKey(String)

    public var description: String {
        switch self {
        case let .malformedProof(m): return "malformed proof: \(m)"
        case let .headerMismatch(m): return "proof header does not match the verifying key: \(m)"
        case let .publicInputCount(e, g): return "expected \(e) public inputs, got \(g)"
        case let .shapeMismatch(m): return "proof does not fit the verifying key: \(m)"
        case .outOfDomainCheckFailed: return "constraints do not hold at the out-of-domain point"
        case let .merkleMismatch(t): return "opened values do not match the \(t) commitment"
        case .insufficientProofOfWork: return "proof of work is insufficient"
        case let .friFoldMismatch(l, q): return "FRI layer \(l) is inconsistent at query \(q)"
        case let .friFinalPolynomialMismatch(q): return "FRI final polynomial is inconsistent at query \(q)"
        case let .invalidKey(m): return "invalid verifying key: \(m)"
        }
    }
}
