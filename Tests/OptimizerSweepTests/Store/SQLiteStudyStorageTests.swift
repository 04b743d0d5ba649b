import Foundation
import Testing
@testable import Optimizer
import OptimizerSweep
import SweepTestSupport

/// A Study on a real SQLite file, interrupted and reopened, continues as an uninterrupted one.
@Suite("SQLiteStudyStorage")
struct SQLiteStudyStorageTests {
    static let space = try! SearchSpace(["x": .uniform(-5, 10), "y": .uniform(0, 15), "c": .choice(["a", "b"])])

    static func objective(_ c: Configuration) -> Double {
        let x = c["x"]!.numericValue!, y = c["y"]!.numericValue!
        return (x - 2) * (x - 2) + (y - 3) * (y - 3) / 10 + (c["c"] == .string("a") ? 0 : 1)
    }

    static func step(_ study: inout Study) throws -> Configuration {
        let trial = try study.ask()
        study.report(trial, value: Self.objective(trial.configuration) + 0.5)
        study.tell(trial, value: Self.objective(trial.configuration))
        return trial.configuration
    }

    @Test func aReopenedStudyProposesWhatTheUninterruptedOneWould() throws {
        let file = Fixtures.temporaryDirectory().appendingPathComponent("study.sqlite")
        let earlier = [WarmStartTrial(configuration: Configuration(names: ["x", "y", "c"], values: [.double(0), .double(0), .string("b")]), value: 5.4)]
        let first = Configuration(names: ["x", "y", "c"], values: [.double(1), .double(2), .string("a")])

        var reference = try Study(space: Self.space, goal: .minimize, sampler: .bayesian(seed: 21))
        try reference.warmStart(with: earlier)
        try reference.enqueue(first)
        let expected = try (0..<14).map { _ in try Self.step(&reference) }

        func open() throws -> Study {
            try Study(space: Self.space, goal: .minimize, sampler: .bayesian(seed: 21),
                      storage: try SQLiteStudyStorage(file: file, study: "tuning"))
        }
        var study = try open()
        try study.warmStart(with: earlier)
        try study.enqueue(first)
        var got: [Configuration] = []
        for i in 0..<14 {
            if i == 6 || i == 12 { study = try open() }  // a new launch: everything from the file
            got.append(try Self.step(&study))
        }
        #expect(got == expected)
        #expect(got[0] == first)
        #expect(try open().records == reference.records)
        #expect(try open().diagnostics == reference.diagnostics)
        // Another study in the same file is separate.
        let other = try Study(space: Self.space, goal: .minimize, storage: try SQLiteStudyStorage(file: file, study: "other"))
        #expect(other.records.isEmpty)
        // A non-finite value survives the file.
        var withNaN = try open()
        let trial = try withNaN.ask()
        withNaN.tell(trial, value: .nan)
        #expect(try open().records.last?.finalValue?.isNaN == true)
    }

    @Test func aStorageOfAnotherSpaceIsRefused() throws {
        let file = Fixtures.temporaryDirectory().appendingPathComponent("study.sqlite")
        var study = try Study(space: Self.space, goal: .minimize, storage: try SQLiteStudyStorage(file: file))
        _ = try Self.step(&study)
        let narrow = try SearchSpace(["x": .uniform(100, 200), "y": .uniform(0, 15), "c": .choice(["a", "b"])])
        #expect(throws: StudyError.self) { _ = try Study(space: narrow, goal: .minimize, storage: try SQLiteStudyStorage(file: file)) }
    }
}
