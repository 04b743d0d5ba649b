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

/// `template` with every known placeholder replaced (HyperDriveSemantics.md §Running a trial): `${{search_space.x}}` (and the
/// legacy `{search_space.x}`) by x's value in `configuration`, `${{inputs.x}}` and
/// `${{outputs.x}}` by the path or value. Placeholders whose name is not found are left as
/// written (validation reports them beforehand).
///
/// Each value is escaped for the shell quoting context its placeholder sits in
/// (``shellQuotingContexts(in:)``), so no value can inject shell code wherever the placeholder is
/// written: unquoted, ``shellQuoted(_:)`` (`a b` → `'a b'`); inside `"…"`, a backslash before
/// each `$`, `` ` ``, `"` and `\`; inside `'…'`, each `'` written as `'\''`. Inside backquotes,
/// `${…}`, `$((…))`, a here-document or a comment only values made of
/// `[A-Za-z0-9_.,:/=+@%-]` are substituted; any other value throws.
///
/// **v1 style**, only with `appendArguments` (HyperDrive SDK v1, where the service appended the
/// sampled values to the script's arguments; Azure v2 runs the command unchanged): when the
/// template names no `search_space` parameter at all, every parameter is appended as a
/// `--name value` pair, in the order of the search space, before any trailing newline (a
/// `command: |` block ends with one).
///
/// - Throws: ``CommandRenderingError`` when a value cannot be written safely where its
///   placeholder sits.
public func renderCommand(_ template: String, configuration: Configuration,
                          inputs: [String: String], outputs: [String: String],
                          appendArguments: Bool = false) throws(CommandRenderingError) -> String {
    var result = ""
    var cursor = template.startIndex
    let matches = placeholderMatches(in: template)
    let scan = ShellQuotingScanner.scan(template, placeholders: matches.map(\.range))
    for (match, context) in zip(matches, scan.contexts) {
        result += template[cursor..<match.range.lowerBound]
        cursor = match.range.upperBound
        let text: String?
        switch match.placeholder.namespace {
        case .searchSpace?: text = configuration[match.placeholder.name].map(shellText)
        case .inputs?: text = inputs[match.placeholder.name]
        case .outputs?: text = outputs[match.placeholder.name]
        case nil: text = nil
        }
        if let text {
            result += try shellEscaped(text, for: context, placeholder: match.placeholder.text)
        } else {
            result += match.placeholder.text
        }
    }
    result += template[cursor...]
    if appendArguments && !matches.contains(where: { $0.placeholder.namespace == .searchSpace }) {
        let trailing = result.reversed().prefix { $0.isWhitespace }.count
        var appended = String(result.dropLast(trailing))
        for (name, value) in zip(configuration.names, configuration.values) {
            appended += " --\(name) " + (try shellEscaped(shellText(value), for: scan.endContext, placeholder: "--\(name)"))
        }
        result = appended + result.suffix(trailing)
    }
    return result
}

/// The shell quoting context each placeholder of `template` sits in, in order of appearance
/// (the same order as ``commandPlaceholders(in:)``).
public func shellQuotingContexts(in template: String) -> [(placeholder: CommandPlaceholder, context: ShellQuotingContext)] {
    let matches = placeholderMatches(in: template)
    let scan = ShellQuotingScanner.scan(template, placeholders: matches.map(\.range))
    return zip(matches, scan.contexts).map { ($0.placeholder, $1) }
}

/// Where a placeholder sits in the POSIX `sh` text of a trial command, which decides how its
/// value is escaped.
public enum ShellQuotingContext: Sendable, Hashable {
    /// Outside any quotes (also at the top of a `$(…)`).
    case unquoted
    /// Inside `"…"`.
    case doubleQuoted
    /// Inside `'…'`.
    case singleQuoted
    /// Inside backquotes, `${…}`, `$((…))`, a here-document, a comment, after a bash `$'`, or
    /// right after a backslash, where hdbench does not escape: only plain values
    /// (`[A-Za-z0-9_.,:/=+@%-]`) are substituted. The text says which construct, for messages.
    case unescapable(String)
}

/// A value that cannot be written safely where its placeholder sits in the command.
public struct CommandRenderingError: Error, Sendable, CustomStringConvertible {
    /// The placeholder as written.
    public var placeholder: String
    /// The value that was to be substituted.
    public var value: String
    /// The construct the placeholder sits in.
    public var construct: String

    public var description: String {
        "trial.command: \(placeholder) sits inside \(construct), where only values made of [A-Za-z0-9_.,:/=+@%-] can be substituted, "
            + "and its value \(ParameterValue.jsonQuoted(value)) is not; move the placeholder out of \(construct) (e.g. into a variable: v=\(placeholder); … \"$v\")"
    }
}

/// `value`'s text before quoting: integers without ".0", doubles in shortest form, strings
/// verbatim, mappings as compact JSON.
func shellText(_ value: ParameterValue) -> String {
    switch value {
    case .int(let i): return String(i)
    case .double(let x): return ParameterValue.shortestText(x)
    case .string(let s): return s
    case .mapping: return value.jsonText
    }
}

/// `text` escaped so that the shell reads it back exactly, as one word, in `context`.
func shellEscaped(_ text: String, for context: ShellQuotingContext, placeholder: String) throws(CommandRenderingError) -> String {
    switch context {
    case .unquoted:
        return shellQuoted(text)
    case .doubleQuoted:
        // Inside "…" only $ ` " \ (and a backslash before a newline) are special; a newline
        // itself is literal.
        var escaped = ""
        for scalar in text.unicodeScalars {
            if scalar == "$" || scalar == "`" || scalar == "\"" || scalar == "\\" { escaped.unicodeScalars.append("\\") }
            escaped.unicodeScalars.append(scalar)
        }
        return escaped
    case .singleQuoted:
        // Nothing is special inside '…' but the closing quote: close, write a quoted ', reopen.
        var escaped = ""
        for scalar in text.unicodeScalars {
            if scalar == "'" { escaped += "'\\''" } else { escaped.unicodeScalars.append(scalar) }
        }
        return escaped
    case .unescapable(let construct):
        guard !text.isEmpty, text.unicodeScalars.allSatisfy(isShellSafe) else {
            throw CommandRenderingError(placeholder: placeholder, value: text, construct: construct)
        }
        return text
    }
}

/// A small POSIX `sh` quoting state machine: follows quotes, backslashes, comments, `$(…)`,
/// backquotes, `${…}`, `$((…))` and here-documents far enough to tell the context of each
/// placeholder. Placeholders are opaque (their `$`, `{`, `}` are not shell syntax here). Where
/// it cannot be sure (after a here-document operator or a bash `$'`, right after a backslash)
/// the context is ``ShellQuotingContext/unescapable(_:)``: only plain values are substituted.
///
/// Known limit: an unbalanced `)` inside `$(…)` (a `case` pattern written `a)` rather than
/// `(a)`) ends the `$(` early in this scan.
struct ShellQuotingScanner {
    enum Frame: Equatable {
        /// The top level, or inside `$(…)`/`(…)` (`parens`: open `(` not yet closed in it).
        case command(substitution: Bool, parens: Int)
        case double
        case single
        case backquote
        case brace
        case arithmetic(parens: Int)
        case comment
        case hereDocument
        /// After `$'`: bash reads `$'…'` with backslash escapes, dash as `$` and `'…'`; the
        /// rest of the command is not escaped.
        case ansiC
    }

    var contexts: [ShellQuotingContext] = []
    var endContext: ShellQuotingContext = .unquoted

    static func scan(_ template: String, placeholders: [Range<String.Index>]) -> ShellQuotingScanner {
        var result = ShellQuotingScanner()
        let scalars = template.unicodeScalars
        var stack: [Frame] = [.command(substitution: false, parens: 0)]
        var pending = placeholders.sorted { $0.lowerBound < $1.lowerBound }[...]
        var i = scalars.startIndex
        var previous: Unicode.Scalar? = nil

        func context() -> ShellQuotingContext {
            for frame in stack.reversed() {
                switch frame {
                case .backquote: return .unescapable("`…` (backquotes)")
                case .ansiC: return .unescapable("$'…' (whose extent bash and dash read differently)")
                case .brace: return .unescapable("${…}")
                case .arithmetic: return .unescapable("$((…))")
                case .comment: return .unescapable("a # comment")
                case .hereDocument: return .unescapable("a here-document (<<)")
                default: continue
                }
            }
            switch stack.last {
            case .double?: return .doubleQuoted
            case .single?: return .singleQuoted
            default: return .unquoted
            }
        }
        func at(_ offset: Int) -> Unicode.Scalar? {
            var j = i
            for _ in 0..<offset {
                guard j < scalars.endIndex else { return nil }
                j = scalars.index(after: j)
            }
            return j < scalars.endIndex ? scalars[j] : nil
        }
        func advance(_ n: Int) {
            for _ in 0..<n where i < scalars.endIndex {
                previous = scalars[i]
                i = scalars.index(after: i)
            }
        }

        while i < scalars.endIndex {
            if let first = pending.first, first.lowerBound <= i {
                // Reached at its start; or skipped into by a backslash that escapes its first
                // character, where no quoting of the value would survive the backslash.
                result.contexts.append(first.lowerBound == i ? context() : .unescapable("right after a backslash (\\)"))
                pending.removeFirst()
                i = max(i, first.upperBound)
                previous = "x"
                continue
            }
            let c = scalars[i]
            let top = stack[stack.count - 1]
            switch top {
            case .single:
                if c == "'" { stack.removeLast() }
                advance(1)
            case .comment:
                if c == "\n" { stack.removeLast() }
                advance(1)
            case .hereDocument, .ansiC:
                advance(1)
            case .backquote:
                if c == "\\" { advance(2) } else {
                    if c == "`" { stack.removeLast() }
                    advance(1)
                }
            case .double, .brace, .arithmetic, .command:
                if c == "\\" { advance(2); continue }
                if c == "$", at(1) == "(", at(2) == "(" {
                    stack.append(.arithmetic(parens: 0)); advance(3); continue
                }
                if c == "$", at(1) == "(" { stack.append(.command(substitution: true, parens: 0)); advance(2); continue }
                if c == "$", at(1) == "{" { stack.append(.brace); advance(2); continue }
                if c == "`" { stack.append(.backquote); advance(1); continue }
                switch top {
                case .double:
                    if c == "\"" { stack.removeLast() }
                case .brace:
                    if c == "}" { stack.removeLast() } else if c == "'" { stack.append(.single) } else if c == "\"" { stack.append(.double) }
                case .arithmetic(let parens):
                    if c == "(" { stack[stack.count - 1] = .arithmetic(parens: parens + 1) }
                    if c == ")" {
                        if parens > 0 { stack[stack.count - 1] = .arithmetic(parens: parens - 1) } else {
                            stack.removeLast()
                            if at(1) == ")" { advance(1) }
                        }
                    }
                case .command(let substitution, let parens):
                    let wordStart = previous.map { " \t\n;&|()<>".unicodeScalars.contains($0) } ?? true
                    if c == "$", at(1) == "'" { stack.append(.ansiC) }
                    else if c == "'" { stack.append(.single) }
                    else if c == "\"" { stack.append(.double) }
                    else if c == "#" && wordStart { stack.append(.comment) }
                    else if c == "<", at(1) == "<" { stack.append(.hereDocument) }
                    else if c == "(" { stack[stack.count - 1] = .command(substitution: substitution, parens: parens + 1) }
                    else if c == ")" {
                        if parens > 0 { stack[stack.count - 1] = .command(substitution: substitution, parens: parens - 1) }
                        else if substitution { stack.removeLast() }
                    }
                default:
                    break
                }
                advance(1)
            }
        }
        result.endContext = context()
        return result
    }
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
