import Foundation

/// Turns a configuration into what a trial runs: the command text (placeholders substituted,
/// values rendered and shell-quoted per SPEC §6) and the text of each `AZUREML_SWEEP_<name>`
/// environment value.
///
/// Injected into ``SweepRunner`` so the runner does not depend on how values are rendered.
public struct TrialRendering: Sendable {
    /// The command for `configuration`, given each declared output's per-trial folder.
    public var command: @Sendable (_ configuration: Configuration, _ outputFolders: [String: URL]) throws -> String
    /// A value as it appears in `AZUREML_SWEEP_<name>` (unquoted: the environment is not parsed
    /// by a shell).
    public var environmentValue: @Sendable (_ value: ParameterValue) -> String

    public init(
        command: @escaping @Sendable (_ configuration: Configuration, _ outputFolders: [String: URL]) throws -> String,
        environmentValue: @escaping @Sendable (_ value: ParameterValue) -> String
    ) {
        self.command = command
        self.environmentValue = environmentValue
    }
}

// TEMPORARY until space branch: the search-space work provides `renderCommand` and value
// rendering; the lead replaces this whole extension with a `TrialRendering` built on them.
extension TrialRendering {
    /// TEMPORARY until space branch. Substitutes `${{search_space.x}}`, `${{inputs.x}}` and
    /// `${{outputs.x}}` (spaces allowed inside the braces) in `definition.trial.command`.
    public static func temporary(for definition: SweepDefinition) -> TrialRendering {
        let template = definition.trial.command
        let inputs = Dictionary(definition.inputs.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
        return TrialRendering(
            command: { configuration, outputs in
                try temporarySubstitute(template, configuration: configuration, inputs: inputs, outputs: outputs)
            },
            environmentValue: { temporaryPlainText($0) })
    }

    // TEMPORARY until space branch
    static func temporarySubstitute(_ template: String, configuration: Configuration, inputs: [String: String],
                                    outputs: [String: URL]) throws -> String {
        var result = ""
        var rest = Substring(template)
        while let open = rest.range(of: "${{") {
            result += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                throw ConfigurationError(path: "trial.command", message: "unterminated \"${{\" placeholder")
            }
            let reference = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            let parts = reference.split(separator: ".", maxSplits: 1).map(String.init)
            guard parts.count == 2 else {
                throw ConfigurationError(path: "trial.command", message: "placeholder ${{\(reference)}} must be search_space.NAME, inputs.NAME or outputs.NAME")
            }
            switch parts[0] {
            case "search_space":
                guard let value = configuration[parts[1]] else {
                    throw ConfigurationError(path: "trial.command", message: "${{search_space.\(parts[1])}} names no search_space parameter")
                }
                result += temporaryShellWord(temporaryPlainText(value))
            case "inputs":
                guard let value = inputs[parts[1]] else {
                    throw ConfigurationError(path: "trial.command", message: "${{inputs.\(parts[1])}} names no input")
                }
                result += temporaryShellWord(value)
            case "outputs":
                guard let folder = outputs[parts[1]] else {
                    throw ConfigurationError(path: "trial.command", message: "${{outputs.\(parts[1])}} names no output")
                }
                result += temporaryShellWord(folder.path)
            default:
                throw ConfigurationError(path: "trial.command", message: "placeholder ${{\(reference)}} must be search_space.NAME, inputs.NAME or outputs.NAME")
            }
            rest = rest[close.upperBound...]
        }
        return result + rest
    }

    /// TEMPORARY until space branch: a value as plain text (integers without ".0", reals in
    /// shortest round-trip form, strings verbatim, nested choices as compact JSON).
    public static func temporaryPlainText(_ value: ParameterValue) -> String {
        switch value {
        case .int(let integer): return String(integer)
        case .double(let real): return "\(real)"
        case .string(let text): return text
        case .mapping: return ParameterJSON.value(value).serialized()
        }
    }

    // TEMPORARY until space branch: verbatim when only [A-Za-z0-9_.,:/=+@%-], else single-quoted.
    static func temporaryShellWord(_ text: String) -> String {
        let safe = !text.isEmpty && text.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || "_.,:/=+@%-".unicodeScalars.contains(scalar))
        }
        return safe ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
