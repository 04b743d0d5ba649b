import Foundation
import Optimizer

/// Pipeline jobs (`type: pipeline`) with sweep nodes: `hdbench sweep pipeline.yml --node NAME`
/// runs that node as a sweep job (HyperDriveSemantics.md §Running a trial). Running the whole
/// pipeline is not supported.
///
/// The node's keys are a sweep job's (`trial`, `inputs`, `search_space`, …; its trial a
/// command component from a file or inline). Its inputs bound to the pipeline's inputs
/// (`${{parent.inputs.X}}`) take the pipeline's values; inputs bound to another job's outputs
/// (`${{parent.jobs.J.outputs.O}}`) are not run here and need `--input NAME=PATH`, like remote
/// assets.
extension SweepYAMLParser {
    /// The selected sweep node's entries, its inputs' `${{parent.inputs.X}}` bindings replaced;
    /// `nil` with a problem when no node is selected (the message lists the sweep nodes and the
    /// pipeline's other jobs), the name is unknown, or the job is not a sweep.
    mutating func selectPipelineNode(_ entries: [YAML11Node.Entry]) -> [YAML11Node.Entry]? {
        guard let jobsNode = entries.first(where: { $0.key == "jobs" })?.value,
              let jobs = reader.mapping(jobsNode, "jobs", example: "{sweep_step: {type: sweep, trial: ./train.yml, …}}") else {
            if !entries.contains(where: { $0.key == "jobs" }) { reader.error("jobs", "is missing; a pipeline job lists its jobs under jobs:") }
            return nil
        }
        func type(of job: YAML11Node) -> String {
            if case .string(let type)? = job.entries?.first(where: { $0.key == "type" })?.value.kind { return type.lowercased() }
            return "command"
        }
        let sweepNodes = jobs.filter { type(of: $0.value) == "sweep" }.map(\.key)
        let others = jobs.filter { type(of: $0.value) != "sweep" }.map { "\($0.key) (\(type(of: $0.value)))" }
        let sweepList = sweepNodes.joined(separator: ", ")
        let otherList = others.isEmpty ? "" : "; other jobs: " + others.joined(separator: ", ")
        guard let node else {
            if sweepNodes.isEmpty {
                reader.error("jobs", "this pipeline has no sweep node (jobs: \(others.joined(separator: ", "))); hdbench runs sweep jobs and pipelines' sweep nodes")
            } else {
                reader.error("jobs", "this is a pipeline; hdbench runs one of its sweep nodes as a sweep: pass --node NAME with one of \(sweepList)\(otherList)")
            }
            return nil
        }
        guard let job = jobs.first(where: { $0.key == node }) else {
            reader.error("--node", "'\(node)' names no job of this pipeline; its sweep nodes: \(sweepNodes.isEmpty ? "none" : sweepList)")
            return nil
        }
        guard type(of: job.value) == "sweep" else {
            reader.error("--node", "'\(node)' is a \(type(of: job.value)) job, not a sweep node; its sweep nodes: \(sweepNodes.isEmpty ? "none" : sweepList)")
            return nil
        }
        guard var nodeEntries = reader.mapping(job.value, "jobs.\(node)", example: "{type: sweep, trial: ./train.yml, …}") else { return nil }
        selectedNode = node

        // The pipeline's own inputs, for ${{parent.inputs.X}} bindings.
        let pipelineInputs = entries.first(where: { $0.key == "inputs" })?.value.entries ?? []
        if let index = nodeEntries.firstIndex(where: { $0.key == "inputs" }), let inputs = nodeEntries[index].value.entries {
            var bound: [YAML11Node.Entry] = []
            for var input in inputs {
                if case .string(let text) = input.value.kind, let name = Self.parentInputName(text) {
                    guard let value = pipelineInputs.first(where: { $0.key == name })?.value else {
                        reader.error("jobs.\(node).inputs.\(input.key)", "\(text) names no input of the pipeline (its inputs: \(pipelineInputs.isEmpty ? "none" : pipelineInputs.map(\.key).joined(separator: ", ")))")
                        continue
                    }
                    input.value = value
                }
                bound.append(input)
            }
            nodeEntries[index].value.kind = .mapping(bound)
        }
        return nodeEntries
    }

    /// `X` of `${{parent.inputs.X}}` (spaces inside the braces allowed).
    static func parentInputName(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("${{"), trimmed.hasSuffix("}}") else { return nil }
        let inner = trimmed.dropFirst(3).dropLast(2).trimmingCharacters(in: .whitespaces)
        guard inner.hasPrefix("parent.inputs.") else { return nil }
        let name = String(inner.dropFirst("parent.inputs.".count))
        return SearchSpace.isValidParameterName(name) ? name : nil
    }

    /// A command component's `inputs:` declarations: their defaults
    /// (``componentInputDefaults``), used for inputs the job does not bind.
    mutating func readComponentInputs(_ node: YAML11Node) {
        guard let entries = reader.mapping(node, "trial.inputs", example: "{lr: {type: number, default: 0.01}}") else { return }
        for entry in entries {
            let path = "trial.inputs.\(entry.key)"
            guard let fields = entry.value.entries else {
                // A bare value: the default itself.
                if let text = reader.scalarText(entry.value, path) { componentInputDefaults.append((entry.key, text)) }
                continue
            }
            var ignored: [(path: String, value: String)] = []
            let keyed = reader.keyed(fields, path, allowed: ["type", "default", "optional", "description", "min", "max", "enum", "mode"],
                                     recorded: &ignored, what: "a component input")
            if let value = keyed["default"], let text = reader.scalarText(value, "\(path).default") {
                componentInputDefaults.append((entry.key, text))
            }
        }
    }
}
