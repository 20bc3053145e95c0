import PolicySemantics
import Stark

/// The policy digest bound into every proof (DESIGN §4): SHA-256 over the
/// canonical (formatted) text of the policy and of every module it imports,
/// in the order `Program.sources` gives.
///
/// Encoding (version 1): the ASCII line `zkpolicy-policy-digest-v1`, then for
/// each module its key, a newline, its UTF-8 byte count in decimal, a newline,
/// and its text. Formatting-only edits do not change the digest; any other
/// edit, including to a comment or to an imported module, does.
public enum PolicyDigest {
    /// The 32-byte digest (SHA-256, the prover's hash; Stark tests it against FIPS 180-4).
    public static func bytes(of program: Program) -> [UInt8] {
        SHA256.hash(encoding(program.sources)).bytes
    }

    public static func hex(of program: Program) -> String {
        SHA256.hash(encoding(program.sources)).hex
    }

    static func encoding(_ sources: [CanonicalSource]) -> [UInt8] {
        var data = Array("zkpolicy-policy-digest-v1\n".utf8)
        for source in sources {
            let text = Array(source.text.utf8)
            data += Array("\(source.key)\n\(text.count)\n".utf8)
            data += text
        }
        return data
    }
}
