import PolicySemantics

/// Which file goes with which model and table of a policy: `--model
/// scorer=M.onnx` names it; a file without a name goes to the first model (or
/// table) without one, in declaration order.
enum Bindings {
    static func name(program: PolicySemantics.Program, models: [String: String], unnamedModels: [String],
                     data: [String: String], unnamedData: [String]) throws -> (models: [String: String], data: [String: String]) {
        var models = models
        var data = data
        for path in unnamedModels {
            guard let model = program.models.first(where: { models[$0.name] == nil }) else {
                throw PipelineError.input("more ONNX files than models in the policy (\(program.models.count))")
            }
            models[model.name] = path
        }
        for path in unnamedData {
            guard let table = program.tables.first(where: { data[$0.name] == nil }) else {
                throw PipelineError.input("more data files than tables in the policy (\(program.tables.count))")
            }
            data[table.name] = path
        }
        for name in models.keys.sorted() where program.model(named: name) == nil {
            throw PipelineError.input("the policy declares no model `\(name)`")
        }
        for name in data.keys.sorted() where program.table(named: name) == nil {
            throw PipelineError.input("the policy declares no table `\(name)`")
        }
        return (models, data)
    }
}
