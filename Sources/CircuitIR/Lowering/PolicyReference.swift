import BigNumber
import Field
import ModelGraph
import PolicySemantics

/// The native reference path: the HIR `Evaluator`'s inputs for the same
/// values the circuit takes, with each model evaluated by `IntegerEvaluator`
/// through the same scale conversion as the circuit (`ModelScaling`) and the
/// commitments computed by `AssetCommitment`. The prover evaluates a policy
/// with these first (a violated rule stops there); tests check that the
/// circuit agrees with it exactly.
public enum PolicyReference {
    /// A model as the reference evaluates it: the quantized model (with
    /// weights) and which output the policy reads.
    public struct Model: Sendable {
        public var model: QuantizedModel
        public var output: Int
        public init(model: QuantizedModel, output: Int) {
            self.model = model
            self.output = output
        }
    }

    /// The evaluator's inputs. Commitments are compared as lowercase hex.
    public static func evaluationInputs(_ program: PolicySemantics.Program, data: PolicyWitnessData,
                                        models: [String: Model]) -> EvaluationInputs {
        var tables: [String: [[String: RuntimeValue]]] = [:]
        for (name, rows) in data.tables { tables[name] = rows.runtimeRows() }
        let kinds = Dictionary(uniqueKeysWithValues: program.models.map { ($0.name, $0.output.element) })
        let digests: [Asset: String] = {
            var result: [Asset: String] = [:]
            for (asset, salt) in data.salts {
                switch asset {
                case .model(let name):
                    if let m = models[name] { result[asset] = (try? AssetCommitment.commit(model: m.model, salt: salt))?.hex }
                case .table(let name):
                    if let rows = data.tables[name] { result[asset] = (try? AssetCommitment.commit(table: rows, salt: salt))?.hex }
                }
            }
            return result
        }()
        return EvaluationInputs(
            tables: tables, params: data.params, commitments: data.commitments.mapValues(\.hex),
            commit: { digests[$0] ?? "" },
            model: { name, input in
                guard let m = models[name], let kind = kinds[name] else { return [] }
                return (try? apply(m, input, outputKind: kind)) ?? []
            })
    }

    /// A model applied to one input tensor of policy numbers (each a multiple
    /// of 2^-16), giving the output tensor as policy numbers (`fixed`: at
    /// 2^-16, `int`: integers) — exactly what the circuit computes.
    public static func apply(_ m: Model, _ input: [Rational], outputKind: NumericKind) throws -> [Rational] {
        let a = m.model.architecture
        guard a.inputs.count == 1, m.output >= 0, m.output < a.outputs.count else {
            throw LoweringError.mismatch("the model does not have one input and the chosen output")
        }
        let inputTensor = a.tensors[a.inputs[0].tensor]
        guard input.count == inputTensor.count else {
            throw LoweringError.mismatch("the model takes \(inputTensor.count) values, not \(input.count)")
        }
        let bits = Limits.fractionBits
        let q = try input.map { r -> Int64 in
            let scaled = r * Rational(BigInt.powerOfTwo(bits))
            guard scaled.isInteger, let n = int64(scaled.numerator),
                  let v = ModelScaling.rescale(n, from: bits, to: inputTensor.scale) else {
                throw LoweringError.badInput("a model input \(r) is not a multiple of 2^-\(bits) within 64 bits")
            }
            return v
        }
        let outputs = try IntegerEvaluator(model: m.model).run([IntTensor(shape: inputTensor.shape, scalars: q)])
        let outputScale = a.tensors[a.outputs[m.output].tensor].scale
        let to = outputKind == .int ? 0 : bits
        return try outputs[m.output].scalars.map { y in
            guard let v = ModelScaling.rescale(y, from: outputScale, to: to) else {
                throw LoweringError.badInput("a model output does not fit in 64 bits")
            }
            return Rational(BigInt(Int(v)), BigInt.powerOfTwo(to))
        }
    }
}
