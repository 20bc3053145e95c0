import BigNumber
import Field
import ModelGraph
import PolicySemantics

/// The concrete values a lowered policy is evaluated on: what the prover
/// holds. Everything is checked against the lowered policy's interface.
public struct PolicyWitnessData: Sendable {
    /// The rows of every table.
    public var tables: [String: TableRows]
    /// Parameter values overriding the declared ones (`--param`).
    public var params: [String: Param.Value]
    /// The published digest of every `commitment` declaration.
    public var commitments: [String: Poseidon2Digest]
    /// The quantized weights of every model.
    public var weights: [String: QuantizedWeights]
    /// The secret salt of every asset whose commitment the circuit computes
    /// (`PolicyInterface.privateInputs` lists them).
    public var salts: [Asset: [Goldilocks]]
    /// A part circuit's salt (`LoweringTarget.part`): 4 field elements below
    /// p, fresh for every part.
    public var partSalt: [Goldilocks]?
    /// The combining circuit's inputs: every part's published commitment
    /// and the values that open it (`PartShape.opening`).
    public var partCommitments: [Poseidon2Digest] = []
    public var partOpenings: [[Goldilocks]] = []

    public init(tables: [String: TableRows] = [:], params: [String: Param.Value] = [:],
                commitments: [String: Poseidon2Digest] = [:], weights: [String: QuantizedWeights] = [:],
                salts: [Asset: [Goldilocks]] = [:]) {
        self.tables = tables
        self.params = params
        self.commitments = commitments
        self.weights = weights
        self.salts = salts
    }
}

extension LoweredPolicy {
    /// The program's inputs for these values, in the order of the interface
    /// (`PolicyInterface` documents it), ready for `Evaluator.generate`.
    public func witnessInputs(_ data: PolicyWitnessData) throws -> WitnessInputs {
        WitnessInputs(public: try interface.values(interface.publicInputs, data),
                      private: try interface.values(interface.privateInputs, data))
    }

    /// The public inputs alone (what a verifier supplies).
    public func publicInputs(_ data: PolicyWitnessData) throws -> [Goldilocks] {
        try interface.publicInputs(data)
    }
}

extension PolicyInterface {
    /// The public part of an interface, as a verifier that kept it rebuilds
    /// it (`zkpolicyc verify`'s key cache keeps the segments): the segments,
    /// the row counts the circuit is compiled for, and the policy's parameter
    /// declarations (their types and declared values).
    public init(publicInputs: [Segment], publicOutputs: [Segment], rowCounts: [String: Int], params: [Param]) {
        self.init()
        self.publicInputs = publicInputs
        self.publicOutputs = publicOutputs
        self.rowCounts = rowCounts
        for param in params {
            paramTypes[param.name] = param.type
            paramDefaults[param.name] = param.value
        }
    }

    /// The public inputs for these values (what a verifier supplies).
    public func publicInputs(_ data: PolicyWitnessData) throws -> [Goldilocks] {
        try values(publicInputs, data)
    }

    func values(_ segments: [PolicyInterface.Segment], _ data: PolicyWitnessData) throws -> [Goldilocks] {
        var out: [Goldilocks] = []
        for segment in segments {
            switch segment {
            case .rowCount(let table):
                guard let n = rowCounts[table] else { throw LoweringError.badInput("unknown table `\(table)`") }
                if let rows = data.tables[table], rows.count != n {
                    throw LoweringError.badInput("table `\(table)` has \(rows.count) rows; the circuit is compiled for \(n)")
                }
                out.append(Goldilocks(UInt64(n)))
            case .param(let name):
                guard let value = data.params[name] ?? paramDefaults[name], let type = paramTypes[name] else {
                    throw LoweringError.badInput("no value for parameter `\(name)`")
                }
                out.append(try PolicyWitnessData.encode(value, type: type, name: name))
            case .commitment(let name):
                guard let digest = data.commitments[name] else { throw LoweringError.badInput("no value for commitment `\(name)`") }
                out += digest.elements
            case .table(let name):
                guard let rows = data.tables[name], let layouts = self.tables[name] else {
                    throw LoweringError.badInput("no rows for table `\(name)`")
                }
                guard rows.fields == layouts else { throw LoweringError.badInput("the rows of `\(name)` have another schema") }
                guard rows.count == rowCounts[name] else {
                    throw LoweringError.badInput("table `\(name)` has \(rows.count) rows; the circuit is compiled for \(rowCounts[name] ?? 0)")
                }
                out.reserveCapacity(out.count + rows.count * layouts.reduce(0) { $0 + $1.elements * PolicyInterface.inputsPerElement($1) })
                AssetCommitment.forEachTableCell(rows: rows.count, fields: layouts) { r, f, e in
                    let v = rows.columns[f][r * layouts[f].elements + e]
                    let width = PolicyInterface.inputsPerElement(layouts[f])
                    if width == 1 {
                        out.append(Goldilocks(signed: v))
                    } else {
                        for k in 0..<width { out.append(k == v ? .one : .zero) }
                    }
                }
            case .model(let name):
                guard let weights = data.weights[name], let specs = self.weights[name] else {
                    throw LoweringError.badInput("no weights for model `\(name)`")
                }
                guard weights.values.count == specs.count, Swift.zip(weights.values, specs).allSatisfy({ $0.count == $1.count }) else {
                    throw LoweringError.badInput("the weights of `\(name)` do not fit its architecture")
                }
                out += AssetCommitment.modelValues(weights)
            case .salt(let asset):
                guard let salt = data.salts[asset] else {
                    throw LoweringError.badInput("no salt for the commitment of `\(PolicyInterface.name(asset))`")
                }
                try AssetCommitment.checkSalt(salt)
                out += salt
            case .partSalt:
                guard let salt = data.partSalt else { throw LoweringError.badInput("no salt for the part's commitment") }
                try AssetCommitment.checkSalt(salt)
                out += salt
            case .part(let index):
                guard index < data.partCommitments.count else { throw LoweringError.badInput("no commitment of part \(index)") }
                out += data.partCommitments[index].elements
            case .partOpening(let index):
                guard index < data.partOpenings.count else { throw LoweringError.badInput("no opening of part \(index)") }
                out += data.partOpenings[index]
            case .digest, .verdict, .partCommitment:
                throw LoweringError.badInput("\(segment) is an output")
            }
        }
        return out
    }
}

extension LoweredPolicy {
    /// A parameter's field element: 0/1, the integer, or the value × 10^4.
    static func encode(_ value: Param.Value, type: PolicySemantics.ValueType, name: String) throws -> Goldilocks {
        switch (value, type) {
        case (.bool(let flag), .bool):
            return flag ? .one : .zero
        case (.number(let r), _) where type.isNumeric:
            let scaled = type == .int ? r : r * Rational(Limits.paramDenominator)
            guard scaled.isInteger, let v = int64(scaled.numerator) else {
                throw LoweringError.badInput("parameter `\(name)` = \(r) is not a multiple of \(type == .int ? "1" : "0.0001")")
            }
            return Goldilocks(signed: v)
        default:
            throw LoweringError.badInput("parameter `\(name)` has a value of another type")
        }
    }
}

extension PolicyWitnessData {
    static func encode(_ value: Param.Value, type: PolicySemantics.ValueType, name: String) throws -> Goldilocks {
        try LoweredPolicy.encode(value, type: type, name: name)
    }
}
