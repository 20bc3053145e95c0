import PolicySemantics

/// Which file goes with which model and table of a policy: `--model
/// scorer=M.onnx` names it; a file without a name goes to the first model (or
/// table) without one, in declaration order. The one rule `compile`,
/// `commit` and `prove` share.
enum Bindings {
    /// A file that fits no model or table, as a message.
    struct Problem: Error { let message: String }

    static func name(program: PolicySemantics.Program, models: [String: String], unnamedModels: [String],
                     data: [String: String], unnamedData: [String]) throws(Problem) -> (models: [String: String], data: [String: String]) {
        var models = models
        var data = data
        for path in unnamedModels {
            guard let model = program.models.first(where: { models[$0.name] == nil }) else {
                throw Problem(message: "more ONNX files than models in the policy (\(program.models.count))")
            }
            models[model.name] = path
        }
        for path in unnamedData {
            guard let table = program.tables.first(where: { data[$0.name] == nil }) else {
                throw Problem(message: "more data files than tables in the policy (\(program.tables.count))")
            }
            data[table.name] = path
        }
        for name in models.keys.sorted() where program.model(named: name) == nil {
            throw Problem(message: "the policy declares no model `\(name)`")
        }
        for name in data.keys.sorted() where program.table(named: name) == nil {
            throw Problem(message: "the policy declares no table `\(name)`")
        }
        return (models, data)
    }

    /// `name` with a problem as a pipeline input error.
    static func named(program: PolicySemantics.Program, models: [String: String], unnamedModels: [String],
                      data: [String: String], unnamedData: [String]) throws -> (models: [String: String], data: [String: String]) {
        do {
            return try name(program: program, models: models, unnamedModels: unnamedModels, data: data, unnamedData: unnamedData)
        } catch {
            throw PipelineError.input(error.message)
        }
    }
}
