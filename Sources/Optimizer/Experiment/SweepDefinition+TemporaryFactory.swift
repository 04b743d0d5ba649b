import Foundation

// TEMPORARY until space branch: lets `Sources/hdbench/TemporaryShims.swift` build a definition
// from outside the module (SweepDefinition has no public initialiser yet). The lead deletes
// this file together with the shim.
extension SweepDefinition {
    /// TEMPORARY until space branch: field-by-field constructor.
    public static func temporaryMemberwise(
        sourceYAML: String, baseDirectory: URL, trial: TrialSpec, inputs: [(name: String, value: String)],
        outputs: [String], sampling: SamplingAlgorithm, objective: Objective,
        earlyTermination: EarlyTerminationSpec?, limits: Limits, extensions: Bool, warnings: [String]
    ) -> SweepDefinition {
        SweepDefinition(sourceYAML: sourceYAML, baseDirectory: baseDirectory, trial: trial, inputs: inputs, outputs: outputs,
                        searchSpace: SearchSpace(), sampling: sampling, objective: objective,
                        earlyTermination: earlyTermination, limits: limits, extensions: extensions,
                        recordedAzureKeys: [], warnings: warnings)
    }
}
