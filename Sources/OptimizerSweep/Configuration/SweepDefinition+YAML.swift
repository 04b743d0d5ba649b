public import Foundation
public import Optimizer

/// Reading an Azure ML v2 sweep job (`type: sweep`) from YAML, or one sweep node of a pipeline
/// job (`type: pipeline`, selected with `node:`; PipelineSweepNode.swift).
///
/// Scalars follow YAML 1.1 as Azure's loader (PyYAML) reads them: `yes`/`no`/`on`/`off` are
/// booleans, `1e-3` is text but `1.0e-3` a number, `017` octal, and so on (see the
/// `YAML11Node` documentation in the source).
///
/// **Extensions** (HyperDriveSemantics.md §Extensions beyond Azure) are turned on by the
/// `extensions:` argument or by the top-level key
///
/// ```yaml
/// x-hdbench:
///   extensions: true
/// ```
///
/// (`x-` marks a vendor key, as in OpenAPI and Compose files; Azure itself rejects it, so
/// remove it before submitting the job to Azure). Without extensions Azure's rules apply:
/// bayesian sampling takes only choice, uniform and quniform parameters and no early
/// termination. The same key holds two switches about running trials:
/// `append_arguments: true` (v1 style: a command that names no `search_space` parameter gets
/// every parameter appended as `--name value`) and `azureml_run_shim: false` (no offline
/// `azureml.core.Run` module on the trials' `PYTHONPATH`). It also holds `target: VALUE`: the sweep
/// ends once a trial's primary metric reaches VALUE (≥ when maximising, ≤ when minimising;
/// ``SweepDefinition/target``).
extension SweepDefinition {
    /// Top-level keys Azure accepts that have no meaning on this machine: accepted and recorded
    /// in ``recordedAzureKeys``.
    public static let azureOnlyTopLevelKeys: Set<String> = [
        "$schema", "name", "display_name", "experiment_name", "description", "tags", "properties",
        "environment", "compute", "resources", "identity", "services", "queue_settings", "status",
        "creation_context", "id", "parent_job_name",
    ]

    /// Keys of `trial:` that are accepted and recorded (Azure-only).
    public static let azureOnlyTrialKeys: Set<String> = ["environment", "resources", "distribution", "identity", "services"]

    /// Parses and validates a sweep job.
    ///
    /// - Parameters:
    ///   - yaml: the YAML text.
    ///   - baseDirectory: the folder relative paths (`code`, input paths) are resolved against:
    ///     the YAML file's folder.
    ///   - extensions: turns on hdbench's extensions (also turned on by `x-hdbench:
    ///     {extensions: true}` in the YAML).
    ///   - appendArguments: v1-style argument appending (also turned on by `x-hdbench:
    ///     {append_arguments: true}`); see ``TrialSpec/appendArguments``.
    ///   - node: for a pipeline job (`type: pipeline`), the sweep node to run (`--node`);
    ///     required there, an error elsewhere.
    /// - Throws: ``ConfigurationError`` with every problem found, each naming its field path.
    public init(yaml: String, baseDirectory: URL, extensions: Bool = false, appendArguments: Bool = false,
                node: String? = nil) throws(ConfigurationError) {
        var parser = SweepYAMLParser(yaml: yaml, baseDirectory: baseDirectory.standardizedFileURL, extensions: extensions)
        parser.appendArguments = appendArguments
        parser.node = node
        guard let definition = parser.parse(), parser.reader.problems.isEmpty else {
            throw ConfigurationError(parser.reader.problems.isEmpty
                ? [ConfigurationProblem(path: "", message: "the sweep job could not be read")]
                : parser.reader.problems)
        }
        self = definition
    }

    /// Reads and parses the sweep job at `url`; relative paths resolve against its folder.
    public init(contentsOf url: URL, extensions: Bool = false, appendArguments: Bool = false, node: String? = nil) throws(ConfigurationError) {
        let text = try Self.readJobText(at: url)
        try self.init(yaml: text, baseDirectory: url.deletingLastPathComponent(), extensions: extensions,
                      appendArguments: appendArguments, node: node)
    }

    /// The text of the sweep job at `url`: refused without reading it whole when it is larger
    /// than 1 MiB, and when it is not UTF-8 (naming the first bad byte's offset and line).
    public static func readJobText(at url: URL) throws(ConfigurationError) -> String {
        let limit = YAMLSizeLimits.maximumBytes
        let data: Data
        do {
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            // Read one byte past the limit, never more, whatever the file's size.
            data = try handle.read(upToCount: limit + 1) ?? Data()
        } catch {
            throw ConfigurationError(path: "", message: "cannot read \(url.path): \(error.localizedDescription)")
        }
        if data.count > limit {
            let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? nil
            let shown = size.map(YAMLSizeLimits.describeBytes) ?? "more than 1 MiB"
            throw ConfigurationError(path: "", message: "\(url.lastPathComponent) is \(shown), above the limit of 1 MiB (\(limit) bytes) for a sweep job; a sweep job is a few kilobytes, so check that this is the right file")
        }
        if let text = String(data: data, encoding: .utf8) { return text }
        var offset = 0
        var iterator = data.makeIterator()
        var decoder = UTF8()
        decoding: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput, .error: break decoding
            }
        }
        let line = data.prefix(offset).reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
        throw ConfigurationError(path: "", message: "\(url.lastPathComponent) is not UTF-8 text: the byte at offset \(offset) (line \(line)) is not valid UTF-8; save the file as UTF-8")
    }

    /// ``inputs`` as a dictionary, for ``renderCommand(_:configuration:inputs:outputs:)``.
    public var inputValues: [String: String] {
        Dictionary(inputs.map { ($0.name, $0.value) }, uniquingKeysWith: { _, last in last })
    }
}

/// The parser behind ``SweepDefinition/init(yaml:baseDirectory:extensions:)``.
struct SweepYAMLParser {
    let yaml: String
    let baseDirectory: URL
    var extensions: Bool
    var appendArguments = false
    var azuremlRunShim = true
    var target: Double?
    var trustRegion = false
    /// `--node`: the sweep node of a pipeline job to run.
    var node: String?
    /// The pipeline node being read, once selected.
    var selectedNode: String?
    /// Defaults of a component trial's declared inputs, in the order declared.
    var componentInputDefaults: [(name: String, value: String)] = []
    /// A component trial's declared outputs.
    var componentOutputs: [String] = []
    var reader = YAML11Reader()
    var recorded: [(path: String, value: String)] = []

    init(yaml: String, baseDirectory: URL, extensions: Bool) {
        self.yaml = yaml
        self.baseDirectory = baseDirectory
        self.extensions = extensions
    }

    static let topLevelKeys = [
        "type", "trial", "inputs", "outputs", "search_space", "sampling_algorithm", "objective",
        "early_termination", "limits", "x-hdbench",
    ]

    mutating func parse() -> SweepDefinition? {
        guard let root = YAML11Node.load(yaml, problems: &reader.problems) else { return nil }
        guard var entries = reader.mapping(root, "", example: "type: sweep") else { return nil }
        if case .string(let type)? = entries.first(where: { $0.key == "type" })?.value.kind, type.lowercased() == "pipeline" {
            // A pipeline job: run one of its sweep nodes as a sweep (PipelineSweepNode.swift).
            guard let selected = selectPipelineNode(entries) else { return nil }
            entries = selected
        } else if let node {
            reader.error("--node", "'\(node)': --node applies to pipeline jobs (type: pipeline); remove it")
            return nil
        }
        let fields = reader.keyed(entries, "", allowed: Self.topLevelKeys,
                                  azureOnly: SweepDefinition.azureOnlyTopLevelKeys, recorded: &recorded,
                                  what: "a sweep job")

        if let node = fields["x-hdbench"] { readExtensions(node) }

        if let type = reader.string(fields["type"], "type", example: "type: sweep"), type.lowercased() != "sweep" {
            reader.error("type", "'\(type)' is not supported; hdbench runs sweep jobs (type: sweep)")
        }

        let searchSpaceNames = fields["search_space"]?.entries?.map(\.key) ?? []
        let trial = fields["trial"].flatMap { readTrial($0, searchSpaceNames: searchSpaceNames) }
        if fields["trial"] == nil { reader.error("trial", "is missing; add trial: {command: python train.py --lr ${{search_space.lr}}}") }
        var declaredInputs = fields["inputs"].map { readInputs($0) } ?? []
        // A component trial's inputs that the job leaves unbound take their defaults; those
        // bound to the search space take the sampled values.
        for (name, value) in componentInputDefaults
        where !declaredInputs.contains(where: { $0.declaration.name == name }) && !searchSpaceNames.contains(name) {
            declaredInputs.append((InputDeclaration(name: name, kind: .literal), value))
        }
        let inputs = declaredInputs.compactMap { entry in entry.value.map { (name: entry.declaration.name, value: $0) } }
        var outputs = fields["outputs"].map { readOutputs($0) } ?? []
        for name in componentOutputs where !outputs.contains(name) { outputs.append(name) }
        var space: SearchSpace?
        if let node = fields["search_space"] {
            space = SearchSpace.read(yaml: node, path: "search_space", reader: &reader)
        } else {
            reader.error("search_space", "is missing; add search_space: {lr: {type: loguniform, min_value: -6, max_value: -1}}")
        }
        let (sampling, logBase) = readSampling(fields["sampling_algorithm"])
        if let base = logBase, let current = space {
            space = current.rebasedLogExpressions(base: base)
        }
        let objective = readObjective(fields["objective"])
        let early = fields["early_termination"].flatMap { readEarlyTermination($0) }
        let limits = readLimits(fields["limits"])

        if let trial {
            // Names as written, so placeholders are checked even when a parameter is invalid.
            let parameterNames = fields["search_space"]?.entries?.map(\.key) ?? []
            checkCommand(trial.command, parameterNames: parameterNames, inputs: declaredInputs.map(\.declaration.name), outputs: outputs)
            checkArgumentAppend(trial, parameterNames: parameterNames)
        }
        if let space, let sampling {
            checkSampling(sampling, space: space, early: fields["early_termination"] != nil, limits: limits)
        }
        if trustRegion, let sampling, sampling.typeName != "bayesian" {
            reader.error("x-hdbench.trust_region", "applies to bayesian sampling only; this sweep uses \(sampling.typeName) sampling (remove the key or use sampling_algorithm: bayesian)")
        }

        guard reader.problems.isEmpty, var trial, let space, let sampling, let objective, let limits else { return nil }
        trial.appendArguments = appendArguments
        var definition = SweepDefinition(
            trial: trial, searchSpace: space, sampling: sampling, objective: objective, limits: limits,
            earlyTermination: early, inputs: inputs, outputs: outputs, baseDirectory: baseDirectory,
            extensions: extensions, sourceYAML: yaml, recordedAzureKeys: recorded, warnings: reader.warnings)
        definition.inputDeclarations = declaredInputs.map(\.declaration)
        definition.azuremlRunShim = azuremlRunShim
        definition.target = target
        definition.trustRegion = trustRegion
        definition.pipelineNode = selectedNode
        return definition
    }

    // MARK: - Sections

    mutating func readExtensions(_ node: YAML11Node) {
        guard let entries = reader.mapping(node, "x-hdbench", example: "x-hdbench: {extensions: true}") else { return }
        var ignored: [(path: String, value: String)] = []
        let fields = reader.keyed(entries, "x-hdbench", allowed: ["extensions", "append_arguments", "azureml_run_shim", "target", "trust_region"],
                                  recorded: &ignored, what: "x-hdbench")
        if let on = reader.boolean(fields["extensions"], "x-hdbench.extensions", example: "extensions: true"), on {
            extensions = true
        }
        if let node = fields["append_arguments"],
           let on = reader.boolean(node, "x-hdbench.append_arguments", example: "append_arguments: true"), on {
            appendArguments = true
        }
        if let node = fields["azureml_run_shim"],
           let on = reader.boolean(node, "x-hdbench.azureml_run_shim", example: "azureml_run_shim: false") {
            azuremlRunShim = on
        }
        if let node = fields["trust_region"],
           let on = reader.boolean(node, "x-hdbench.trust_region", example: "trust_region: true") {
            trustRegion = on
        }
        if let node = fields["target"], let value = reader.number(node, "x-hdbench.target", example: "target: 0.95") {
            if value.isFinite {
                target = value
            } else {
                reader.error("x-hdbench.target", "\(value) is not a finite number; give the primary metric's value that ends the sweep, e.g. target: 0.95")
            }
        }
    }

    /// Reads `trial:`: a command (`{command, code, environment_variables}`), an inline command
    /// component (`{type: command, inputs: …, command: …}`), or a command component's YAML file
    /// (`./train.yml`, `file:./train.yml`). A component's `${{inputs.X}}` for a search-space
    /// parameter X becomes `${{search_space.X}}` (Azure binds the sampled values to the
    /// component's inputs of the same names).
    mutating func readTrial(_ node: YAML11Node, searchSpaceNames: [String]) -> TrialSpec? {
        var componentDirectory = baseDirectory
        var trialNode = node
        var fromFile = false
        if case .string(let reference) = node.kind {
            fromFile = true
            if reference.hasPrefix("azureml:") {
                reader.error("trial", "'\(reference)' is a registered component hdbench cannot fetch; give its YAML file (trial: ./train.yml)")
                return nil
            }
            let url = resolve(reference.hasPrefix("file:") ? String(reference.dropFirst("file:".count)) : reference)
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                reader.error("trial", "'\(reference)': cannot read the component file \(url.path); give a command component's YAML, relative to this file")
                return nil
            }
            var loadProblems: [ConfigurationProblem] = []
            guard let loaded = YAML11Node.load(text, problems: &loadProblems) else {
                reader.problems += loadProblems.map { ConfigurationProblem(path: "trial (\(url.lastPathComponent))", message: $0.description) }
                return nil
            }
            trialNode = loaded
            componentDirectory = url.deletingLastPathComponent()
        }
        guard let entries = reader.mapping(trialNode, "trial", example: "{command: python train.py, code: ./src}") else { return nil }
        let isComponent = fromFile || entries.contains { ["type", "inputs", "outputs"].contains($0.key) }
        let allowed = ["command", "code", "environment_variables"]
            + (isComponent ? ["type", "inputs", "outputs", "name", "display_name", "version", "description", "tags",
                              "is_deterministic", "$schema", "properties", "additional_includes"] : [])
        let fields = reader.keyed(entries, "trial", allowed: allowed,
                                  azureOnly: SweepDefinition.azureOnlyTrialKeys, recorded: &recorded, what: isComponent ? "a command component" : "trial")
        var command = reader.string(fields["command"], "trial.command", example: "command: python train.py --lr ${{search_space.lr}}")
        if isComponent {
            if let type = reader.string(fields["type"], "trial.type", required: false, example: "type: command"), type.lowercased() != "command" {
                reader.error("trial.type", "'\(type)' is not supported; a sweep's trial is a command component (type: command)")
            }
            if let inputs = fields["inputs"] { readComponentInputs(inputs) }
            if let outputs = fields["outputs"]?.entries { componentOutputs = outputs.map(\.key) }
            if let text = command {
                for placeholder in commandPlaceholders(in: text)
                where placeholder.namespace == .inputs && searchSpaceNames.contains(placeholder.name) {
                    command = command?.replacingOccurrences(of: placeholder.text, with: "${{search_space.\(placeholder.name)}}")
                }
            }
        }
        if let command, command.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            reader.error("trial.command", "is empty; give the command that runs one trial")
        }
        var codeDirectory = componentDirectory
        var codeFile: String?
        var remoteCode: String?
        if let code = reader.string(fields["code"], "trial.code", required: false, example: "code: ./src") {
            if Self.isRemote(code) {
                // Replaced by --code DIR; without it `validate` warns (``unresolvedAssets``) and
                // `sweep` stops before the first trial.
                remoteCode = code
            } else {
                let url = resolve(code.hasPrefix("file://") ? String(code.dropFirst("file://".count)) : code, against: componentDirectory)
                var isDirectory: ObjCBool = false
                if !FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
                    reader.error("trial.code", "'\(code)' does not exist (looked for \(url.path)); give the folder that holds the training script, relative to the YAML file")
                } else if !isDirectory.boolValue {
                    // A single file (the SDK accepts it): the snapshot holds only that file.
                    codeDirectory = url.deletingLastPathComponent()
                    codeFile = url.lastPathComponent
                } else {
                    codeDirectory = url
                }
            }
        }
        var environment: [(name: String, value: String)] = []
        if let node = fields["environment_variables"],
           let envEntries = reader.mapping(node, "trial.environment_variables", example: "{OMP_NUM_THREADS: '1'}") {
            for entry in envEntries {
                if let value = reader.scalarText(entry.value, "trial.environment_variables.\(entry.key)") {
                    environment.append((name: entry.key, value: value))
                }
            }
        }
        guard let command else { return nil }
        return TrialSpec(command: command, codeDirectory: codeDirectory, environmentVariables: environment,
                         codeFile: codeFile, remoteCode: remoteCode)
    }

    /// True for a location hdbench cannot read offline: an Azure ML asset (`azureml:…`,
    /// `azureml://…`) or any URL other than `file://` (`wasbs://`, `abfss://`, `https://`, …).
    static func isRemote(_ location: String) -> Bool {
        if location.hasPrefix("azureml:") { return true }
        guard let schemeEnd = location.range(of: "://") else { return false }
        let scheme = location[..<schemeEnd.lowerBound]
        return scheme.lowercased() != "file" && !scheme.isEmpty
            && scheme.allSatisfy { $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." }
    }

    /// The path input types Azure accepts in a job's `inputs:` (a path input without `type`
    /// is `uri_folder`, Azure's default).
    static let pathInputTypes = ["uri_file", "uri_folder", "mltable", "custom_model", "mlflow_model", "triton_model"]
    /// The literal input types (`{type: integer, value: 42}`).
    static let literalInputTypes = ["integer", "number", "string", "boolean"]

    /// Reads `inputs:`: each declared input, with its value unless it is remote (then an
    /// override must give one).
    ///
    /// Forms: a scalar (`epochs: 10`; `./data.csv` is a path relative to the YAML), a literal
    /// mapping (`{value: 42}`, `{type: integer, value: 42}`), or a path mapping
    /// (`{type: uri_file, path: ./data.csv}`; `type` defaults to `uri_folder`). Paths at
    /// `azureml:`/`azureml://` or another URL scheme are remote assets.
    mutating func readInputs(_ node: YAML11Node) -> [(declaration: InputDeclaration, value: String?)] {
        guard let entries = reader.mapping(node, "inputs", example: "{data: {type: uri_file, path: ./data.csv}}") else { return [] }
        var result: [(declaration: InputDeclaration, value: String?)] = []
        for entry in entries {
            let path = "inputs.\(entry.key)"
            if !SearchSpace.isValidParameterName(entry.key) {
                reader.error(path, "'\(entry.key)' is not a valid input name; use letters, digits and underscores")
                continue
            }
            switch entry.value.kind {
            case .mapping(let fieldsList):
                var ignored: [(path: String, value: String)] = []
                let fields = reader.keyed(fieldsList, path, allowed: ["type", "path", "value", "mode", "description", "optional"],
                                          recorded: &ignored, what: "an input")
                if let valueNode = fields["value"] {
                    if fields["path"] != nil {
                        reader.error(path, "has both value: and path:; a literal input takes value:, a file or folder input path:")
                        continue
                    }
                    _ = reader.keyword(fields["type"], "\(path).type", options: Self.literalInputTypes, required: false)
                    guard let text = reader.scalarText(valueNode, "\(path).value") else { continue }
                    result.append((InputDeclaration(name: entry.key, kind: .literal), text))
                    continue
                }
                let type = reader.keyword(fields["type"], "\(path).type", options: Self.pathInputTypes + Self.literalInputTypes,
                                          required: false) ?? "uri_folder"
                guard fields["path"] != nil || !Self.literalInputTypes.contains(type) else {
                    reader.error("\(path).value", "is missing; a \(type) input needs value: (e.g. {type: \(type), value: 1})")
                    continue
                }
                guard let location = reader.string(fields["path"], "\(path).path", example: "path: ./data.csv") else { continue }
                if Self.isRemote(location) {
                    result.append((InputDeclaration(name: entry.key, kind: .remote(location)), nil))
                    continue
                }
                let url = resolve(location.hasPrefix("file://") ? String(location.dropFirst("file://".count)) : location)
                var isDirectory: ObjCBool = false
                if !FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
                    reader.warn("\(path).path", "'\(location)' does not exist yet (\(url.path))")
                } else if type == "uri_file", isDirectory.boolValue {
                    reader.warn("\(path).path", "'\(location)' is a folder but the type is uri_file")
                } else if type == "uri_folder", fields["type"] != nil, !isDirectory.boolValue {
                    reader.warn("\(path).path", "'\(location)' is a file but the type is uri_folder")
                }
                result.append((InputDeclaration(name: entry.key, kind: .path), url.path))
            case .sequence:
                reader.error(path, "must be a value or {type: uri_file, path: …}, found a list at \(entry.value.location)")
            default:
                guard let text = reader.scalarText(entry.value, path) else { continue }
                if case .string = entry.value.kind, text.hasPrefix("azureml:") || text.hasPrefix("${{parent.") {
                    // An asset, or another pipeline job's output (not run here).
                    result.append((InputDeclaration(name: entry.key, kind: .remote(text)), nil))
                } else if text.hasPrefix("./") || text.hasPrefix("../") {
                    result.append((InputDeclaration(name: entry.key, kind: .path), resolve(text).path))
                } else {
                    result.append((InputDeclaration(name: entry.key, kind: .literal), text))
                }
            }
        }
        return result
    }

    mutating func readOutputs(_ node: YAML11Node) -> [String] {
        guard let entries = reader.mapping(node, "outputs", example: "{model: {type: uri_folder}}") else { return [] }
        var names: [String] = []
        for entry in entries {
            let path = "outputs.\(entry.key)"
            if !SearchSpace.isValidParameterName(entry.key) {
                reader.error(path, "'\(entry.key)' is not a valid output name; use letters, digits and underscores")
                continue
            }
            switch entry.value.kind {
            case .null:
                break
            case .string(let binding) where binding.hasPrefix("${{parent."):
                break  // bound to the pipeline's output: each trial gets its own folder anyway
            case .mapping(let fieldsList):
                var ignored: [(path: String, value: String)] = []
                let fields = reader.keyed(fieldsList, path, allowed: ["type", "mode", "path", "description", "name", "version"],
                                          recorded: &ignored, what: "an output")
                _ = reader.keyword(fields["type"], "\(path).type",
                                   options: ["uri_folder", "uri_file", "mlflow_model", "custom_model", "mltable", "triton_model"],
                                   required: false)
                if fields["path"] != nil {
                    reader.warn("\(path).path", "is ignored; every trial gets its own folder for \(entry.key)")
                }
            default:
                reader.error(path, "must be a mapping such as {type: uri_folder}, found \(entry.value.typeDescription) at \(entry.value.location)")
                continue
            }
            names.append(entry.key)
        }
        return names
    }

    /// Reads `sampling_algorithm`; also returns the `logbase` when it is not e (the search
    /// space's log-scaled expressions are rewritten to natural logs with it).
    mutating func readSampling(_ node: YAML11Node?) -> (SamplingAlgorithm?, logBase: Double?) {
        let path = "sampling_algorithm"
        guard let node else {
            reader.error(path, "is missing; add sampling_algorithm: random (or grid, bayesian)")
            return (nil, nil)
        }
        let types = ["random", "grid", "bayesian"]
        if case .string = node.kind {
            switch reader.keyword(node, path, options: types) {
            case "random": return (.random(seed: nil, rule: .random), nil)
            case "grid": return (.grid, nil)
            case "bayesian": return (.bayesian(seed: nil), nil)
            default: return (nil, nil)
            }
        }
        guard let entries = reader.mapping(node, path, example: "{type: random, seed: 42, rule: sobol}") else { return (nil, nil) }
        var ignored: [(path: String, value: String)] = []
        let fields = reader.keyed(entries, path, allowed: ["type", "seed", "rule", "logbase"], recorded: &ignored, what: "sampling_algorithm")
        guard let type = reader.keyword(fields["type"], "\(path).type", options: types) else { return (nil, nil) }
        var logBase: Double?
        if let node = fields["logbase"] {
            // Azure: "a positive number or the number 'e' in string format to be used as the
            // base for log based random sampling". Decided: the base of the log-scaled
            // expressions' bounds (loguniform, qloguniform) and parameters (lognormal,
            // qlognormal); the space is rewritten to natural logs (SearchSpace+LogBase.swift).
            let base: Double?
            switch node.kind {
            case .string(let s) where s.lowercased() == "e": base = M_E
            case .int, .double, .string: base = reader.number(node, "\(path).logbase", example: "logbase: 10")
            default:
                reader.error("\(path).logbase", "must be a positive number or e, found \(node.typeDescription) at \(node.location)")
                base = nil
            }
            if type != "random" {
                reader.error("\(path).logbase", "applies to random sampling only; remove it")
            } else if let base {
                if !(base > 0) || base == 1 || !base.isFinite {
                    reader.error("\(path).logbase", "\(formatForMessage(base)) must be a positive number other than 1 (or e)")
                } else if base != M_E {
                    logBase = base
                }
            }
        }
        var seed: UInt64?
        if let seedNode = fields["seed"] {
            if type == "grid" || (type == "bayesian" && !extensions) {
                reader.error("\(path).seed", "applies to random sampling only; remove it\(type == "bayesian" ? " (or turn on extensions with x-hdbench: {extensions: true})" : "")")
            } else if let value = reader.integer(seedNode, "\(path).seed", example: "seed: 42") {
                if value < 0 {
                    reader.error("\(path).seed", "\(value) must be ≥ 0")
                } else {
                    seed = UInt64(value)
                }
            }
        }
        var rule = SamplingAlgorithm.RandomRule.random
        if let ruleNode = fields["rule"] {
            if type != "random" {
                reader.error("\(path).rule", "applies to random sampling only; remove it")
            } else if let value = reader.keyword(ruleNode, "\(path).rule", options: ["random", "sobol"]) {
                rule = value == "sobol" ? .sobol : .random
            }
        }
        switch type {
        case "random": return (.random(seed: seed, rule: rule), logBase)
        case "grid": return (.grid, nil)
        default: return (.bayesian(seed: seed), nil)
        }
    }

    mutating func readObjective(_ node: YAML11Node?) -> Objective? {
        guard let node else {
            reader.error("objective", "is missing; add objective: {goal: maximize, primary_metric: accuracy}")
            return nil
        }
        guard let entries = reader.mapping(node, "objective", example: "{goal: maximize, primary_metric: accuracy}") else { return nil }
        var ignored: [(path: String, value: String)] = []
        let fields = reader.keyed(entries, "objective", allowed: ["goal", "primary_metric"], recorded: &ignored, what: "objective")
        let goal = reader.keyword(fields["goal"], "objective.goal", options: ["maximize", "minimize"])
        let metric = reader.string(fields["primary_metric"], "objective.primary_metric", example: "primary_metric: accuracy")
        if let metric, metric.trimmingCharacters(in: .whitespaces).isEmpty {
            reader.error("objective.primary_metric", "is empty; give the name of the metric the script logs")
            return nil
        }
        guard let goal, let metric, let parsedGoal = PrimaryMetricGoal(rawValue: goal) else { return nil }
        return Objective(goal: parsedGoal, primaryMetric: metric)
    }

    mutating func readEarlyTermination(_ node: YAML11Node) -> EarlyTerminationSpec? {
        let path = "early_termination"
        if case .null = node.kind { return nil }
        guard let entries = reader.mapping(node, path, example: "{type: bandit, slack_factor: 0.1, evaluation_interval: 1}") else { return nil }
        let typeNode = entries.first { $0.key == "type" }?.value
        guard let type = reader.keyword(typeNode, "\(path).type", options: ["bandit", "median_stopping", "truncation_selection"]) else {
            return nil
        }
        var allowed = ["type", "evaluation_interval", "delay_evaluation"]
        switch type {
        case "bandit": allowed += ["slack_factor", "slack_amount"]
        case "truncation_selection": allowed += ["truncation_percentage"]
        default: break
        }
        var ignored: [(path: String, value: String)] = []
        let fields = reader.keyed(entries, path, allowed: allowed, recorded: &ignored, what: "a \(type) policy")
        func nonNegativeInt(_ key: String, default value: Int) -> Int? {
            guard let node = fields[key] else { return value }
            guard let n = reader.integer(node, "\(path).\(key)", example: "\(key): 1") else { return nil }
            if n < 0 {
                reader.error("\(path).\(key)", "\(n) must be ≥ 0")
                return nil
            }
            return n
        }
        let interval = nonNegativeInt("evaluation_interval", default: 1)
        let delay = nonNegativeInt("delay_evaluation", default: 0)
        var kind: EarlyTerminationSpec.Kind?
        switch type {
        case "bandit":
            let factor = fields["slack_factor"].flatMap { reader.number($0, "\(path).slack_factor", example: "slack_factor: 0.1") }
            let amount = fields["slack_amount"].flatMap { reader.number($0, "\(path).slack_amount", example: "slack_amount: 0.2") }
            var slackFactor = factor
            var slackAmount = amount
            if fields["slack_factor"] != nil, fields["slack_amount"] != nil {
                // Azure's SDK writes the slack it was not given as 0, so exported YAML carries
                // both: exactly one non-zero is that policy; both 0 is the same policy either
                // way (stop below the best), read as slack_factor 0.
                if let factor, let amount {
                    if factor != 0 && amount != 0 {
                        reader.error(path, "give exactly one of slack_factor and slack_amount, not both (one of them may be 0, as Azure's SDK writes it)")
                    } else if factor == 0 && amount != 0 {
                        slackFactor = nil
                    } else {
                        slackAmount = nil
                    }
                }
            } else if fields["slack_factor"] == nil, fields["slack_amount"] == nil {
                reader.error("\(path).slack_factor", "is missing; a bandit policy needs slack_factor (e.g. 0.1) or slack_amount")
            }
            for (key, value) in [("slack_factor", factor), ("slack_amount", amount)] {
                if let value, !(value >= 0) || !value.isFinite {
                    reader.error("\(path).\(key)", "\(formatForMessage(value)) must be ≥ 0")
                }
            }
            kind = .bandit(slackFactor: slackFactor, slackAmount: slackAmount)
        case "truncation_selection":
            if let p = reader.integer(fields["truncation_percentage"], "\(path).truncation_percentage", example: "truncation_percentage: 20") {
                if (1...99).contains(p) {
                    kind = .truncationSelection(truncationPercentage: p)
                } else {
                    reader.error("\(path).truncation_percentage", "\(p) must be an integer from 1 to 99")
                }
            }
        default:
            kind = .medianStopping
        }
        guard let kind, let interval, let delay else { return nil }
        return EarlyTerminationSpec(kind: kind, evaluationInterval: interval, delayEvaluation: delay)
    }

    mutating func readLimits(_ node: YAML11Node?) -> Limits? {
        let path = "limits"
        guard let node else {
            reader.error(path, "is missing; add limits: {max_total_trials: 20}")
            return nil
        }
        guard let entries = reader.mapping(node, path, example: "{max_total_trials: 20, max_concurrent_trials: 4}") else { return nil }
        var ignored: [(path: String, value: String)] = []
        let fields = reader.keyed(entries, path, allowed: ["max_total_trials", "max_concurrent_trials", "timeout", "trial_timeout"],
                                  recorded: &ignored, what: "limits")
        var ok = true
        func positiveInt(_ key: String, required: Bool) -> Int? {
            guard let n = reader.integer(fields[key], "\(path).\(key)", required: required, example: "\(key): 20") else {
                if fields[key] != nil || required { ok = false }
                return nil
            }
            if n <= 0 {
                reader.error("\(path).\(key)", "\(n) must be > 0")
                ok = false
                return nil
            }
            return n
        }
        func positiveSeconds(_ key: String) -> Double? {
            guard let node = fields[key] else { return nil }
            guard let x = reader.number(node, "\(path).\(key)", example: "\(key): 3600") else {
                ok = false
                return nil
            }
            if !(x > 0) || !x.isFinite {
                reader.error("\(path).\(key)", "\(formatForMessage(x)) must be a number of seconds > 0")
                ok = false
                return nil
            }
            return x
        }
        let total = positiveInt("max_total_trials", required: true)
        let concurrent = positiveInt("max_concurrent_trials", required: false)
        let timeout = positiveSeconds("timeout")
        let trialTimeout = positiveSeconds("trial_timeout")
        guard ok, let total else { return nil }
        return Limits(maxTotalTrials: total, maxConcurrentTrials: concurrent, timeout: timeout, trialTimeout: trialTimeout)
    }

    // MARK: - Cross-checks

    mutating func checkCommand(_ command: String, parameterNames: [String], inputs: [String], outputs: [String]) {
        for (placeholder, context) in shellQuotingContexts(in: command) where placeholder.namespace != nil {
            if case .unescapable(let construct) = context {
                reader.warn("trial.command", "\(placeholder.text) sits inside \(construct), where hdbench cannot escape a value: only values made of [A-Za-z0-9_.,:/=+@%-] are substituted there, and a trial with any other value fails without running; move the placeholder out of \(construct)")
            }
        }
        for placeholder in commandPlaceholders(in: command) {
            switch placeholder.namespace {
            case nil:
                reader.error("trial.command", "\(placeholder.text) is not a placeholder hdbench can fill; use ${{search_space.NAME}}, ${{inputs.NAME}} or ${{outputs.NAME}}")
            case .searchSpace?:
                if placeholder.isLegacy {
                    reader.warn("trial.command", "\(placeholder.text) is the legacy single-brace form; write ${{search_space.\(placeholder.name)}}")
                }
                if !parameterNames.contains(placeholder.name) {
                    reader.error("trial.command", "\(placeholder.text) names no parameter of search_space (defined: \(parameterNames.isEmpty ? "none" : parameterNames.joined(separator: ", "))); fix the name or define it")
                }
            case .inputs?:
                if !inputs.contains(placeholder.name) {
                    reader.error("trial.command", "\(placeholder.text) names no input (defined: \(inputs.isEmpty ? "none" : inputs.joined(separator: ", "))); add it under inputs: or fix the name")
                }
            case .outputs?:
                if !outputs.contains(placeholder.name) {
                    reader.error("trial.command", "\(placeholder.text) names no output (defined: \(outputs.isEmpty ? "none" : outputs.joined(separator: ", "))); add it under outputs: or fix the name")
                }
            }
        }
    }

    /// Says whether v1-style argument appending applies (HyperDriveSemantics.md §Running a
    /// trial): it does only when asked for and the command names no `search_space` parameter.
    mutating func checkArgumentAppend(_ trial: TrialSpec, parameterNames: [String]) {
        guard !parameterNames.isEmpty else { return }
        let names = parameterNames.map { "--\($0)" }.joined(separator: ", ")
        switch (appendArguments, trial.namesNoParameter) {
        case (true, true):
            reader.warn("trial.command", "names no search_space parameter, so every parameter is appended as a --name value pair (\(names)): v1 style, asked for by x-hdbench.append_arguments or --append-arguments")
        case (true, false):
            reader.warn("x-hdbench.append_arguments", "has no effect: the command names search_space parameters, so nothing is appended")
        case (false, true):
            reader.warn("trial.command", "names no search_space parameter; as on Azure it runs unchanged and the script gets the values only from AZUREML_SWEEP_<name> environment variables (for v1-style --name value arguments add x-hdbench: {append_arguments: true} or pass --append-arguments)")
        case (false, false):
            break
        }
    }

    mutating func checkSampling(_ sampling: SamplingAlgorithm, space: SearchSpace, early: Bool, limits: Limits?) {
        switch sampling {
        case .grid:
            do { _ = try GridSampler(space: space) } catch { reader.problems += error.problems }
        case .random(_, .sobol):
            do { _ = try SobolSampler(space: space, seed: 0) } catch { reader.problems += error.problems }
        case .random:
            break
        case .bayesian:
            if !extensions {
                for parameter in space.parameters {
                    let supported: Bool
                    switch parameter.expression {
                    case .uniform, .quniform: supported = true
                    case .choice(let options): supported = options.allSatisfy(\.isLiteral)
                    default: supported = false
                    }
                    if !supported {
                        reader.error("search_space.\(parameter.name)", "bayesian sampling takes choice, uniform and quniform only (Azure's rule), but this is \(parameter.expression.typeName)\(parameter.expression.typeName == "choice" ? " with nested expressions" : ""); change the expression, use random sampling, or turn on extensions with x-hdbench: {extensions: true}")
                    }
                }
                if early {
                    reader.error("early_termination", "bayesian sampling does not support early termination (Azure's rule); remove early_termination, use random sampling, or turn on extensions with x-hdbench: {extensions: true}")
                }
            }
            if let limits {
                let recommended = 20 * space.parameters.count
                if limits.maxTotalTrials < recommended {
                    reader.warn("limits.max_total_trials", "\(limits.maxTotalTrials) is below the recommended budget for bayesian sampling of 20 × \(space.parameters.count) parameters = \(recommended)")
                }
                if let concurrent = limits.maxConcurrentTrials, concurrent > 20 {
                    reader.warn("limits.max_concurrent_trials", "\(concurrent) concurrent trials make bayesian sampling less effective (each suggestion sees fewer results); 20 or fewer is recommended")
                }
            }
        }
    }

    // MARK: - Paths

    func resolve(_ path: String, against folder: URL? = nil) -> URL {
        let expanded = (path as NSString).expandingTildeInPath
        if expanded.hasPrefix("/") { return URL(fileURLWithPath: expanded).standardizedFileURL }
        return (folder ?? baseDirectory).appendingPathComponent(expanded).standardizedFileURL
    }
}
