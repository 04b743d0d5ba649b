import Foundation
public import Optimizer

/// One `${{namespace.name}}` placeholder in a trial command (HyperDriveSemantics.md §Running a
/// trial), or the legacy single-brace `{search_space.name}` form.
public struct CommandPlaceholder: Sendable, Hashable {
    /// What a placeholder refers to.
    public enum Namespace: String, Sendable, Hashable, CaseIterable {
        case searchSpace = "search_space"
        case inputs
        case outputs
    }

    /// `nil` when the text inside the braces is not `search_space.x`, `inputs.x` or
    /// `outputs.x` (for example `${{foo}}`).
    public var namespace: Namespace?
    /// The name after the dot (the whole inner text when `namespace` is `nil`).
    public var name: String
    /// The placeholder exactly as written, braces included.
    public var text: String
    /// True for the legacy single-brace form `{search_space.x}`.
    public var isLegacy: Bool
}

/// Every placeholder in `template`, in order of appearance. `${{ … }}` may have spaces inside
/// the braces; the legacy form is `{search_space.name}` with single braces.
public func commandPlaceholders(in template: String) -> [CommandPlaceholder] {
    placeholderMatches(in: template).map(\.placeholder)
}

/// `template` with every known placeholder replaced (HyperDriveSemantics.md §Running a trial):
/// `${{search_space.x}}` (and the legacy `{search_space.x}`) by ``renderedForShell(_:)`` of x's
/// value in `configuration`, `${{inputs.x}}` and `${{outputs.x}}` by the shell-quoted path or
/// value. Placeholders whose name is not found are left as written (validation reports them
/// beforehand).
///
/// **v1 style**, only with `appendArguments` (HyperDrive SDK v1, where the service appended the
/// sampled values to the script's arguments; Azure v2 runs the command unchanged): when the
/// template names no `search_space` parameter at all, every parameter is appended as a
/// `--name value` pair, in the order of the search space, before any trailing newline (a
/// `command: |` block ends with one).
public func renderCommand(_ template: String, configuration: Configuration,
                          inputs: [String: String], outputs: [String: String],
                          appendArguments: Bool = false) -> String {
    var result = ""
    var cursor = template.startIndex
    let matches = placeholderMatches(in: template)
    for match in matches {
        result += template[cursor..<match.range.lowerBound]
        cursor = match.range.upperBound
        let replacement: String?
        switch match.placeholder.namespace {
        case .searchSpace?: replacement = configuration[match.placeholder.name].map(renderedForShell)
        case .inputs?: replacement = inputs[match.placeholder.name].map(shellQuoted)
        case .outputs?: replacement = outputs[match.placeholder.name].map(shellQuoted)
        case nil: replacement = nil
        }
        result += replacement ?? match.placeholder.text
    }
    result += template[cursor...]
    if appendArguments && !matches.contains(where: { $0.placeholder.namespace == .searchSpace }) {
        let trailing = result.reversed().prefix { $0.isWhitespace }.count
        var appended = String(result.dropLast(trailing))
        for (name, value) in zip(configuration.names, configuration.values) {
            appended += " --\(name) \(renderedForShell(value))"
        }
        result = appended + result.suffix(trailing)
    }
    return result
}

private struct PlaceholderMatch {
    var placeholder: CommandPlaceholder
    var range: Range<String.Index>
}

private let modernPattern: NSRegularExpression = {
    do { return try NSRegularExpression(pattern: "\\$\\{\\{\\s*(.*?)\\s*\\}\\}") } catch {
        preconditionFailure("invalid built-in pattern: \(error)")
    }
}()

private let legacyPattern: NSRegularExpression = {
    do { return try NSRegularExpression(pattern: "(?<![{$])\\{\\s*search_space\\.([A-Za-z_][A-Za-z0-9_]*)\\s*\\}(?!\\})") } catch {
        preconditionFailure("invalid built-in pattern: \(error)")
    }
}()

private func placeholderMatches(in template: String) -> [PlaceholderMatch] {
    let whole = NSRange(template.startIndex..., in: template)
    var matches: [PlaceholderMatch] = []
    for m in modernPattern.matches(in: template, range: whole) {
        guard let range = Range(m.range, in: template), let innerRange = Range(m.range(at: 1), in: template) else { continue }
        let inner = String(template[innerRange])
        var namespace: CommandPlaceholder.Namespace?
        var name = inner
        if let dot = inner.firstIndex(of: "."), let ns = CommandPlaceholder.Namespace(rawValue: String(inner[..<dot])) {
            let rest = String(inner[inner.index(after: dot)...])
            if SearchSpace.isValidParameterName(rest) || (ns != .searchSpace && !rest.isEmpty && !rest.contains(where: \.isWhitespace)) {
                namespace = ns
                name = rest
            }
        }
        matches.append(PlaceholderMatch(
            placeholder: CommandPlaceholder(namespace: namespace, name: name, text: String(template[range]), isLegacy: false),
            range: range))
    }
    for m in legacyPattern.matches(in: template, range: whole) {
        guard let range = Range(m.range, in: template), let nameRange = Range(m.range(at: 1), in: template) else { continue }
        if matches.contains(where: { $0.range.overlaps(range) }) { continue }
        matches.append(PlaceholderMatch(
            placeholder: CommandPlaceholder(namespace: .searchSpace, name: String(template[nameRange]), text: String(template[range]), isLegacy: true),
            range: range))
    }
    return matches.sorted { $0.range.lowerBound < $1.range.lowerBound }
}
