import BigNumber
import PolicySyntax

extension Checker {
    /// Records a diagnostic. Inside inlined calls, a diagnostic whose span is
    /// not in the policy file is moved to the innermost call site that is,
    /// with notes pointing into the functions; a diagnostic in the policy
    /// file found only while inlining gets a note naming the call.
    /// The most diagnostics the checker reports (a file with more has bigger problems).
    static let maxDiagnostics = 500

    func report(_ diagnostic: Diagnostic) {
        guard diagnostics.count < Checker.maxDiagnostics else { return }
        guard !frames.isEmpty, let span = diagnostic.span else {
            diagnostics.append(diagnostic)
            return
        }
        var result = diagnostic
        if span.file != rootFile {
            // The innermost call written in the policy file.
            guard let call = frames.last(where: { $0.call.file == rootFile }) else {
                diagnostics.append(diagnostic)
                return
            }
            result.span = call.call
            result.notes.insert(Note("in `\(frames.last!.name)`: \(diagnostic.message)", at: span), at: 0)
            for frame in frames.reversed() where frame.call.file != rootFile && frame.call != span {
                result.notes.insert(Note("called from `\(frame.name)`", at: frame.call), at: 1)
            }
            result.message = "in this call of `\(call.name)`: " + diagnostic.message
        } else if !generic, let call = frames.last(where: { $0.call.file == rootFile }), !call.call.contains(span) {
            result.notes.append(Note("when `\(call.name)` is called here", at: call.call))
        }
        diagnostics.append(result)
    }

    /// How a type is named in messages.
    func describe(_ type: ValueType) -> String {
        switch type {
        case .perGroup(let element, let groups):
            return groups.cases == nil ? "`\(element) per group`" : "`\(element) per group` (one value per case of \(groups))"
        default: return "`\(type)`"
        }
    }

    /// Names close to `name` (edit distance at most 2, or a shared prefix), for "did you mean".
    func suggestions(for name: String, among candidates: [String]) -> [String] {
        guard name.utf8.count <= 64 else { return [] }
        let scored = candidates.compactMap { candidate -> (Int, String)? in
            guard candidate != name, candidate.utf8.count <= 64 else { return nil }
            let distance = Suggestions.editDistance(name.lowercased(), candidate.lowercased())
            let limit = name.count <= 3 ? 1 : 2
            return distance <= limit ? (distance, candidate) : nil
        }
        return scored.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }.prefix(3).map(\.1)
    }

    func didYouMean(_ name: String, among candidates: [String]) -> [Note] {
        let close = suggestions(for: name, among: candidates)
        guard !close.isEmpty else { return [] }
        return [Note("did you mean " + close.map { "`\($0)`" }.joined(separator: " or ") + "?")]
    }

    /// Reports integers outside ±2^62 found by a range rule.
    func reportRangeProblems(_ problems: [RangeProblem], at span: SourceSpan, extraNotes: [Note] = [], hints: [Note] = []) {
        guard !problems.isEmpty else { return }
        var notes = extraNotes + problems.map { Note($0.description) }
        notes.append(Note("every integer in the circuit must stay below 2^62 in magnitude"))
        notes += hints.isEmpty ? [Note("bound the inputs it depends on (`in LO..HI` on table fields and model outputs) or simplify")] : hints
        report(Diagnostic(.valueOutOfSafeRange, "value may exceed the circuit's safe range", at: span, notes: notes))
    }
}

enum Suggestions {
    /// Levenshtein distance.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
