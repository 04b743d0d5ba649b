import Testing

/// Groups the Experiment tests so `swift test --filter Experiment` selects them.
@Suite enum ExperimentTests {}
