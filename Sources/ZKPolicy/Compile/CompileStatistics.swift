import CircuitIR
import Foundation
import ModelGraph

/// `zkpolicyc compile --emit stats`: what the circuit is made of — the
/// statement, instruction counts per kind before and after optimisation,
/// what each pass removed, and the size measures the layout cares about.
public enum CompileStatistics {
    public static func text(_ compiled: CompiledPolicy) -> String {
        var lines: [String] = []
        let program = compiled.program
        lines.append("policy \"\(program.name)\" version \"\(program.version)\"")
        for table in program.tables {
            lines.append("table \(table.name): \(compiled.rowCounts[table.name] ?? 0) rows"
                         + (compiled.tables[table.name].map { " (data: \($0.count) rows)" } ?? ""))
        }
        for model in program.models {
            guard let m = compiled.models[model.name] else { continue }
            let a = m.quantized.architecture
            let weights = a.weights.reduce(0) { $0 + $1.count }
            let input = a.tensors[a.inputs[0].tensor], output = a.outputs[m.binding.output]
            lines.append("model \(model.name): \(m.path), \(a.steps.count) steps, \(weights) weights, input scale 2^-\(input.scale), "
                         + "output `\(output.name)` scale 2^-\(a.tensors[output.tensor].scale), "
                         + "calibrated on \(m.quantized.report.calibrationSamples) samples, largest intermediate \(m.quantized.report.maxBits) bits")
        }
        let interface = compiled.lowered.interface
        lines.append("statement: public inputs \(interface.publicInputs.map(\.description).joined(separator: ", "))")
        lines.append("           public outputs \(interface.publicOutputs.map(\.description).joined(separator: ", "))")
        lines.append("           \(compiled.optimised.privateInputNames.count) private inputs (\(interface.privateInputs.map(\.description).joined(separator: ", ")))")
        lines.append("lowered in \(seconds(compiled.loweringSeconds)):")
        lines.append(indent(describe(compiled.lowered.program)))
        lines.append("passes (\(seconds(compiled.optimisationSeconds))):")
        for report in compiled.passes { lines.append("  \(report.description) in \(seconds(report.seconds))") }
        lines.append("optimised:")
        lines.append(indent(describe(compiled.optimised)))
        return lines.joined(separator: "\n") + "\n"
    }

    /// Counts of a program: per opcode, constraints, and the layout's measures.
    static func describe(_ p: CircuitIR.Program) -> String {
        let stats = ProgramStats(p)
        var lines = stats.description.split(separator: "\n").map(String.init)
        lines.append("16-bit range lookups once range checks are expanded: \(rangeLookups(p))")
        var tables: [String: Int] = [:]
        for i in 0..<p.instructionCount where p.opcodes[i] == .lookup {
            tables[p.tables[Int(p.operands[Int(p.operandStart[i])])].name, default: 0] += 1
        }
        if !tables.isEmpty {
            lines.append("table lookups: " + tables.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
        lines.append("storage: \(p.storageBytes / 1024) KiB")
        return lines.joined(separator: "\n")
    }

    /// The lookups into the 16-bit table that `expand-range-checks` produces
    /// (`rangeCheckByLimbs`): none for 1 bit, one per 16-bit limb, one more
    /// for a top limb of fewer than 16 bits.
    static func rangeLookups(_ p: CircuitIR.Program) -> Int {
        var total = 0
        for i in 0..<p.instructionCount where p.opcodes[i] == .rangeCheck {
            let bits = Int(p.operands[Int(p.operandStart[i]) + 1])
            if bits == 1 { continue }
            let limbs = (bits + 15) / 16
            total += limbs + (bits % 16 == 0 ? 0 : 1)
        }
        return total
    }

    static func indent(_ text: String) -> String {
        text.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
    }

    static func seconds(_ s: Double) -> String { String(format: "%.2f s", s) }
}
