public import Foundation
public import Optimizer

/// Turns a configuration into what a trial runs: the command text (placeholders substituted, values
/// rendered and shell-quoted per HyperDriveSemantics.md §Running a trial) and the text of each
/// `AZUREML_SWEEP_<name>` environment value.
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

extension TrialRendering {
    /// The rendering of HyperDriveSemantics.md §Running a trial for a sweep definition: `${{search_space.x}}`, `${{inputs.x}}`
    /// and `${{outputs.x}}` (and the legacy single-brace form) substituted by ``renderCommand(_:configuration:inputs:outputs:)``,
    /// each value escaped for the shell quoting context its placeholder sits in (a value never
    /// injects shell code); environment values unquoted.
    public static func standard(for definition: SweepDefinition) -> TrialRendering {
        let template = definition.trial.command
        let inputs = definition.inputValues
        let append = definition.trial.appendArguments
        return TrialRendering(
            command: { configuration, outputs in
                try renderCommand(template, configuration: configuration, inputs: inputs, outputs: outputs.mapValues(\.path),
                              appendArguments: append)
            },
            environmentValue: { $0.plainText })
    }
}
