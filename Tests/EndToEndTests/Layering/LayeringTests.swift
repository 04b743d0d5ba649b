import Foundation
import Testing
import TestSupport

/// The layering the package promises (see Package.swift): each target imports only the targets
/// below it, the C shim and the two heavy dependencies stay inside the one folder that needs them,
/// and the `Optimizer` library product carries neither GRDB nor Yams.
@Suite struct LayeringTests {
    /// The system modules any target may import.
    static let system: Set<String> = ["Foundation", "Dispatch", "Glibc", "Darwin", "Synchronization", "Testing"]

    /// What each source target may import besides the system modules.
    static let allowed: [String: Set<String>] = [
        "OptimizerNumerics": ["CBLASShim"],
        "Optimizer": ["OptimizerNumerics"],
        "OptimizerSweep": ["Optimizer", "OptimizerNumerics", "GRDB", "Yams"],
        "OptimizerBenchmarks": ["Optimizer", "OptimizerNumerics"],
        "hdbench": ["Optimizer", "OptimizerNumerics", "OptimizerSweep", "OptimizerBenchmarks", "ArgumentParser"],
    ]

    /// The one folder allowed to import each confined module, and the access level it must use.
    static let confined: [String: String] = [
        "CBLASShim": "Sources/OptimizerNumerics/LinearAlgebra/",
        "GRDB": "Sources/OptimizerSweep/Store/",
        "Yams": "Sources/OptimizerSweep/Configuration/YAML/",
    ]

    struct Import: CustomStringConvertible {
        var file: String
        var line: Int
        var module: String
        var access: String?
        var description: String { "\(file):\(line): \(access.map { "\($0) " } ?? "")import \(module)" }
    }

    /// Every `import` line under `Sources/<target>/`, with its access level.
    static func imports(in target: String) throws -> [Import] {
        let root = SpaceTestSupport.packageRoot
        let folder = root.appendingPathComponent("Sources").appendingPathComponent(target)
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else { return [] }
        var found: [Import] = []
        let pattern = try Regex(#"^\s*(?:@_?\w+\s+)*(public|package|internal|fileprivate|private)?\s*import\s+(?:(?:struct|class|enum|func|var|let|protocol|typealias)\s+)?(\w+)"#)
        for case let url as URL in walker where url.pathExtension == "swift" {
            let text = try String(contentsOf: url, encoding: .utf8)
            let relative = String(url.path.dropFirst(root.path.count + 1))
            // Lines inside multi-line string literals (e.g. Python source written out by
            // AzureMLRunShim) are text, not imports.
            var inString = false
            for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                if line.components(separatedBy: "\"\"\"").count % 2 == 0 {
                    inString.toggle()
                    continue
                }
                if inString { continue }
                guard let match = try pattern.firstMatch(in: String(line)) else { continue }
                let access = match.output[1].substring.map(String.init)
                let module = match.output[2].substring.map(String.init) ?? ""
                found.append(Import(file: relative, line: index + 1, module: module, access: access))
            }
        }
        return found
    }

    @Test("no source target imports a target above it", arguments: allowed.keys.sorted())
    func importsFollowTheLayers(target: String) throws {
        let permitted = Self.allowed[target]!.union(Self.system)
        let imports = try Self.imports(in: target)
        #expect(!imports.isEmpty)
        let violations = imports.filter { !permitted.contains($0.module) }
        #expect(violations.isEmpty, "imports against the layers:\n\(violations.map(\.description).joined(separator: "\n"))")
    }

    @Test("CBLASShim, GRDB and Yams are imported `internal`, each only in its own folder")
    func confinedModulesStayInTheirFolder() throws {
        var violations: [String] = []
        for target in Self.allowed.keys {
            for item in try Self.imports(in: target) {
                guard let folder = Self.confined[item.module] else { continue }
                if !item.file.hasPrefix(folder) { violations.append("\(item) (only \(folder) may import \(item.module))") }
                if item.access != "internal" { violations.append("\(item) (must be `internal import \(item.module)`)") }
            }
        }
        #expect(violations.isEmpty, "\(violations.joined(separator: "\n"))")
    }

    /// `swift package describe`: the `Optimizer` product's transitive target closure holds no
    /// product of GRDB or Yams (a Swift user who depends on it builds neither).
    @Test("the Optimizer product's dependency closure has neither GRDB nor Yams")
    func libraryProductIsLight() async throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("hdbench-describe-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let output = scratch.appendingPathExtension("json")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        // A scratch path of its own: the running `swift test` holds the lock on .build.
        process.arguments = ["swift", "package", "--package-path", SpaceTestSupport.packageRoot.path,
                             "--scratch-path", scratch.path, "describe", "--type", "json"]
        process.standardOutput = handle
        process.standardError = FileHandle.nullDevice
        try await process.runToExit()
        try handle.close()
        #expect(process.terminationStatus == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: output)) as? [String: Any])
        let targets = try #require(json["targets"] as? [[String: Any]])
        let byName = Dictionary(uniqueKeysWithValues: targets.compactMap { t in (t["name"] as? String).map { ($0, t) } })
        let products = try #require(json["products"] as? [[String: Any]])
        let library = try #require(products.first { $0["name"] as? String == "Optimizer" })
        var queue = try #require(library["targets"] as? [String])
        var closure: Set<String> = []
        var externalProducts: Set<String> = []
        while let name = queue.popLast() {
            guard closure.insert(name).inserted, let target = byName[name] else { continue }
            queue += target["target_dependencies"] as? [String] ?? []
            externalProducts.formUnion(target["product_dependencies"] as? [String] ?? [])
        }
        #expect(closure == ["Optimizer", "OptimizerNumerics", "CBLASShim"])
        #expect(externalProducts.isEmpty, "the library product pulls in \(externalProducts.sorted())")
    }
}
