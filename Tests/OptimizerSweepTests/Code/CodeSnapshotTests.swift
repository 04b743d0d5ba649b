import Foundation
import Testing
@testable import Optimizer
import TestSupport
import SweepTestSupport
@testable import OptimizerSweep

@Suite("Code snapshot, ignore files and working copies")
struct CodeSnapshotTests {
    func write(_ text: String, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    func files(under folder: URL) -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: folder.path)
        var result: [String] = []
        while let path = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent(path).path, isDirectory: &isDirectory), !isDirectory.boolValue {
                result.append(path)
            }
        }
        return result.sorted()
    }

    @Test func gitignorePatterns() {
        let rules = IgnoreRules(fileName: ".gitignore", text: """
            # comment
            *.log
            !keep.log
            /build
            data/
            docs/**/*.md
            **/cache
            a?c
            [xy].tmp
            \\#hash
            """)
        let cases: [(String, Bool, Bool)] = [
            ("run.log", false, true), ("sub/run.log", false, true), ("keep.log", false, false),
            ("build", true, true), ("sub/build", true, false), ("data", true, true), ("data", false, false),
            ("sub/data", true, true), ("docs/a/b/c.md", false, true), ("docs/c.md", false, true), ("docs/c.txt", false, false),
            ("cache", true, true), ("x/y/cache", true, true), ("abc", false, true), ("abbc", false, false), ("x.tmp", false, true),
            ("z.tmp", false, false), ("#hash", false, true), ("train.py", false, false),
        ]
        for (path, isDirectory, excluded) in cases {
            #expect(rules.isExcluded(path, isDirectory: isDirectory) == excluded, "\(path) (folder: \(isDirectory))")
        }
    }

    @Test func snapshotHonoursAmlignoreOverGitignoreAndSkipsExperimentFolders() throws {
        let root = Fixtures.temporaryDirectory()
        let code = root.appendingPathComponent("code")
        try write("print(1)\n", to: code.appendingPathComponent("train.py"))
        try write("x\n", to: code.appendingPathComponent("big.bin"))
        try write("x\n", to: code.appendingPathComponent("notes.txt"))
        try write("x\n", to: code.appendingPathComponent("data/raw.csv"))
        try write("*.bin\n", to: code.appendingPathComponent(".gitignore"))
        try write("notes.txt\ndata/\n", to: code.appendingPathComponent(".amlignore"))
        // An earlier experiment inside the code folder, and the current one.
        try write("", to: code.appendingPathComponent("experiments/old/\(ExperimentStore.fileName)"))
        try write("x", to: code.appendingPathComponent("experiments/old/trials/0/stdout.log"))
        let experiment = code.appendingPathComponent("experiments/now")
        try FileManager.default.createDirectory(at: experiment, withIntermediateDirectories: true)

        let record = try CodeSnapshot.take(source: code, file: nil, experiment: experiment)
        let snapshot = URL(fileURLWithPath: record.directory)
        #expect(files(under: snapshot) == [".amlignore", ".gitignore", "big.bin", "train.py"])
        #expect(record.ignoreFile == ".amlignore")
        #expect(record.files == 4)
        #expect(record.excluded == 4)  // notes.txt, data/, experiments/old, experiments/now
        #expect(record.summary.contains("4 files"))
        #expect(!FileManager.default.fileExists(atPath: experiment.appendingPathComponent("snapshot.partial").path))

        // Without .amlignore, .gitignore decides.
        try FileManager.default.removeItem(at: code.appendingPathComponent(".amlignore"))
        let again = try CodeSnapshot.take(source: code, file: nil, experiment: experiment)
        #expect(files(under: URL(fileURLWithPath: again.directory)) == [".gitignore", "data/raw.csv", "notes.txt", "train.py"])
        #expect(again.ignoreFile == ".gitignore")
    }

    @Test func snapshotOfASingleFile() throws {
        let root = Fixtures.temporaryDirectory()
        try write("print(1)\n", to: root.appendingPathComponent("src/train.py"))
        try write("other\n", to: root.appendingPathComponent("src/other.py"))
        let experiment = root.appendingPathComponent("exp")
        let record = try CodeSnapshot.take(source: root.appendingPathComponent("src"), file: "train.py", experiment: experiment)
        #expect(files(under: URL(fileURLWithPath: record.directory)) == ["train.py"])
        #expect(record.file == "train.py" && record.files == 1)
    }

    @Test(arguments: WorkingCopyMode.allCases)
    func workingCopiesHaveOutputsAndLogsAndKeepModesAndLinks(mode: WorkingCopyMode) throws {
        let root = Fixtures.temporaryDirectory()
        let code = root.appendingPathComponent("code")
        try write("#!/bin/sh\necho hi\n", to: code.appendingPathComponent("run.sh"))
        chmod(code.appendingPathComponent("run.sh").path, 0o755)
        try write(String(repeating: "d", count: Int(WorkingCopyMode.linkThreshold) + 1), to: code.appendingPathComponent("data/large.bin"))
        try FileManager.default.createSymbolicLink(atPath: code.appendingPathComponent("link.sh").path, withDestinationPath: "run.sh")
        let record = try CodeSnapshot.take(source: code, file: nil, experiment: root.appendingPathComponent("exp"))
        let copyA = root.appendingPathComponent("a"), copyB = root.appendingPathComponent("b")
        let tally = try CodeSnapshot.makeWorkingCopy(of: URL(fileURLWithPath: record.directory), at: copyA, mode: mode)
        try CodeSnapshot.makeWorkingCopy(of: URL(fileURLWithPath: record.directory), at: copyB, mode: mode)
        for name in ["outputs", "logs"] {
            var isDirectory: ObjCBool = false
            #expect(FileManager.default.fileExists(atPath: copyA.appendingPathComponent(name).path, isDirectory: &isDirectory) && isDirectory.boolValue)
        }
        #expect(FileManager.default.isExecutableFile(atPath: copyA.appendingPathComponent("run.sh").path))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: copyA.appendingPathComponent("link.sh").path) == "run.sh")
        #expect(tally.files == 2)
        let reflinks = CodeSnapshot.reflinks(URL(fileURLWithPath: record.directory))
        switch mode {
        case .link: #expect(tally.linked == 2)
        case .copy: #expect(tally.linked == 0)
        case .auto: #expect(tally.linked == (reflinks ? 0 : 1))  // the large file only
        }
        // A small file written in a copy never shows in the other copy or the snapshot, except
        // with hard links, where a write in place is shared (the documented cost of `link`).
        let handle = try FileHandle(forWritingTo: copyA.appendingPathComponent("run.sh"))
        try handle.write(contentsOf: Data("#!/bin/sh\necho changed\n".utf8))
        try handle.close()
        let other = try String(contentsOf: copyB.appendingPathComponent("run.sh"), encoding: .utf8)
        #expect((other == "#!/bin/sh\necho changed\n") == (mode == .link))
    }
}
