import Foundation
import Testing
@testable import Optimizer
import TestSupport
import SweepTestSupport
@testable import OptimizerSweep

@Suite("Store: code snapshot and overrides (migration v3-azure)")
struct ExperimentStoreSnapshotTests {
    @Test func snapshotAndOverridesRoundTripAndSurviveReopening() throws {
        let directory = Fixtures.temporaryDirectory()
        let store = try ExperimentStore(directory: directory)
        try store.initialize(ExperimentRecord(yaml: "type: sweep", configurationJSON: "{}", objective: Objective(goal: .maximize, primaryMetric: "a")))
        #expect(try store.codeSnapshot() == nil)
        #expect(try store.overrides() == SweepOverrides())
        let record = CodeSnapshotRecord(source: "/src", file: nil, directory: directory.path + "/snapshot", ignoreFile: ".amlignore",
                                        files: 3, bytes: 1234, excluded: 2, seconds: 0.25, created: Date(timeIntervalSince1970: 1_700_000_000))
        try store.setCodeSnapshot(record)
        let overrides = SweepOverrides(code: "/local/code", inputs: [.init(name: "b", value: "/x/b.csv"), .init(name: "a", value: "1")])
        try store.setOverrides(overrides)
        let readOnly = try ExperimentStore.open(existing: directory)
        #expect(try readOnly.codeSnapshot() == record)
        #expect(try readOnly.overrides() == overrides)
        let reopened = try ExperimentStore(directory: directory)
        try reopened.setOverrides(SweepOverrides())
        #expect(try reopened.overrides().isEmpty)
    }
}
