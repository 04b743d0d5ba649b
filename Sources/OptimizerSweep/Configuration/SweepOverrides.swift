public import Foundation
public import Optimizer

/// What the command line replaces in a sweep job without editing its YAML (`--code DIR`,
/// `--input NAME=VALUE`, repeatable): chiefly remote assets (`code: azureml:…`, inputs at
/// `azureml://`, `wasbs://`, `https://`) that hdbench, running offline, cannot fetch.
///
/// Recorded in the experiment store, so `--resume` and the reproduce line use the same values.
public struct SweepOverrides: Sendable, Hashable, Codable {
    /// One `--input NAME=VALUE`.
    public struct Input: Sendable, Hashable, Codable {
        /// The input's name, as declared under `inputs:`.
        public var name: String
        /// The value: for a path or remote input, an absolute path once applied.
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// `--code DIR` (absolute once applied).
    public var code: String?
    /// `--input NAME=VALUE`, in the order given (a later one for the same name wins).
    public var inputs: [Input]

    public init(code: String? = nil, inputs: [Input] = []) {
        self.code = code
        self.inputs = inputs
    }

    /// True when nothing is overridden.
    public var isEmpty: Bool { code == nil && inputs.isEmpty }

    /// Parses `NAME=VALUE` (the text after `--input`).
    /// - Throws: ``ConfigurationError`` naming the argument when there is no `=` or no name.
    public static func parseInput(_ argument: String) throws(ConfigurationError) -> Input {
        guard let equals = argument.firstIndex(of: "="), equals != argument.startIndex else {
            throw ConfigurationError(path: "--input", message: "'\(argument)' is not NAME=VALUE; e.g. --input iris_csv=./iris.csv")
        }
        return Input(name: String(argument[..<equals]), value: String(argument[argument.index(after: equals)...]))
    }

    /// The arguments that give these overrides (`--code DIR --input a=b`), shell-quoted.
    public var commandLineArguments: String {
        var words: [String] = []
        if let code { words += ["--code", shellQuoted(code)] }
        for input in inputs { words += ["--input", shellQuoted("\(input.name)=\(input.value)")] }
        return words.joined(separator: " ")
    }
}

/// A remote asset of a sweep job that no override replaces yet.
public struct UnresolvedAsset: Sendable, Hashable {
    /// Where it is written (`trial.code`, `inputs.iris_csv.path`).
    public var path: String
    /// As written (`azureml:my-code:1`, `wasbs://…/iris.csv`).
    public var location: String
    /// What to pass instead (`--code DIR`, `--input iris_csv=PATH`).
    public var argument: String
}

extension SweepDefinition {
    /// Remote assets not replaced by an override: the sweep cannot start while any is left.
    public var unresolvedAssets: [UnresolvedAsset] {
        var result: [UnresolvedAsset] = []
        if let remote = trial.remoteCode, overrides.code == nil {
            result.append(UnresolvedAsset(path: "trial.code", location: remote, argument: "--code DIR"))
        }
        let given = Set(inputs.map(\.name))
        for declaration in inputDeclarations {
            if case .remote(let location) = declaration.kind, !given.contains(declaration.name) {
                result.append(UnresolvedAsset(path: "inputs.\(declaration.name)", location: location,
                                              argument: "--input \(declaration.name)=PATH"))
            }
        }
        return result
    }

    /// One message for a sweep that cannot start because of ``unresolvedAssets``; `nil` when
    /// there are none.
    public var unresolvedAssetsMessage: String? {
        let assets = unresolvedAssets
        guard !assets.isEmpty else { return nil }
        let listed = assets.map { "\($0.path) (\($0.location))" }.joined(separator: ", ")
        return "this sweep uses remote assets hdbench cannot fetch: \(listed); download them and pass "
            + assets.map(\.argument).joined(separator: " ")
    }

    /// This definition with `overrides` applied: `--code` replaces the code folder, each
    /// `--input` the value of a declared input (a path or remote input's value is a path,
    /// resolved against `workingDirectory` when relative).
    ///
    /// - Throws: ``ConfigurationError`` when `--code` is not a folder or an `--input` names no
    ///   declared input; each problem names the argument.
    public func applying(_ overrides: SweepOverrides, workingDirectory: URL) throws(ConfigurationError) -> SweepDefinition {
        var result = self
        var problems: [ConfigurationProblem] = []
        var applied = SweepOverrides()
        func resolve(_ path: String) -> URL {
            let expanded = (path as NSString).expandingTildeInPath
            if expanded.hasPrefix("/") { return URL(fileURLWithPath: expanded).standardizedFileURL }
            return workingDirectory.appendingPathComponent(expanded).standardizedFileURL
        }
        if let code = overrides.code {
            let url = resolve(code)
            var isDirectory: ObjCBool = false
            if !FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
                problems.append(ConfigurationProblem(path: "--code", message: "'\(code)' does not exist (looked for \(url.path)); give the folder that holds the training code"))
            } else if !isDirectory.boolValue {
                problems.append(ConfigurationProblem(path: "--code", message: "'\(code)' is not a folder; give the folder that holds the training code"))
            } else {
                result.trial.codeDirectory = url
                result.trial.codeFile = nil
                applied.code = url.path
            }
        }
        for input in overrides.inputs {
            guard let declaration = inputDeclarations.first(where: { $0.name == input.name }) else {
                let names = inputDeclarations.map(\.name)
                problems.append(ConfigurationProblem(path: "--input \(input.name)", message: "the sweep job declares no input '\(input.name)' (declared: \(names.isEmpty ? "none" : names.joined(separator: ", ")))"))
                continue
            }
            let value: String
            switch declaration.kind {
            case .literal: value = input.value
            case .path, .remote: value = resolve(input.value).path
            }
            result.inputs.removeAll { $0.name == input.name }
            applied.inputs.removeAll { $0.name == input.name }
            applied.inputs.append(SweepOverrides.Input(name: input.name, value: value))
            result.inputs.append((name: input.name, value: value))
        }
        if !problems.isEmpty { throw ConfigurationError(problems) }
        // Inputs keep the order they were declared in.
        let order = Dictionary(uniqueKeysWithValues: inputDeclarations.enumerated().map { ($1.name, $0) })
        result.inputs.sort { (order[$0.name] ?? .max) < (order[$1.name] ?? .max) }
        result.overrides = applied
        return result
    }
}
