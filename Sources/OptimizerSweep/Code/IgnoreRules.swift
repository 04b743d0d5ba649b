import Foundation

/// The exclusion rules of a code snapshot: the code folder's root `.amlignore`, else its root
/// `.gitignore`, as Azure ML reads them when it snapshots `code` (the `azure-ai-ml` SDK reads
/// only the file at the root, `.amlignore` winning when both exist; the syntax is gitignore's).
///
/// Supported gitignore syntax: blank lines and `#` comments; `\#` and `\!` for a literal
/// first character; trailing spaces trimmed unless escaped; `!` re-includes; a trailing `/`
/// matches only folders; a pattern with a `/` other than a trailing one is anchored at the root
/// (a leading `/` only anchors), otherwise it matches a name at any depth; `*` and `?` never
/// cross a `/`; `[abc]`, `[a-z]`, `[!a]` classes; `**/` (any leading folders), `/**` (everything
/// inside) and `/**/` (zero or more folders). As in git, the last matching rule decides, and a
/// file inside an excluded folder cannot be re-included (the folder is not entered).
struct IgnoreRules: Sendable {
    struct Rule: Sendable {
        var pattern: String
        var negated: Bool
        var directoryOnly: Bool
        var regex: NSRegularExpression
    }

    /// The ignore file's name (`.amlignore`, `.gitignore`), `nil` when the folder has none.
    var fileName: String?
    var rules: [Rule]

    /// No rules: nothing is excluded.
    static let none = IgnoreRules(fileName: nil, rules: [])

    /// The rules of `folder`'s root `.amlignore`, else of its `.gitignore`.
    static func load(folder: URL) -> IgnoreRules {
        for name in [".amlignore", ".gitignore"] {
            let url = folder.appendingPathComponent(name)
            if let text = try? String(contentsOf: url, encoding: .utf8) {
                return IgnoreRules(fileName: name, text: text)
            }
        }
        return .none
    }

    init(fileName: String?, rules: [Rule]) {
        self.fileName = fileName
        self.rules = rules
    }

    /// Rules from the text of an ignore file.
    init(fileName: String?, text: String) {
        self.fileName = fileName
        rules = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).compactMap { Self.rule(String($0)) }
    }

    /// Whether the entry at `relativePath` (`/`-separated, no leading `/`) is excluded.
    func isExcluded(_ relativePath: String, isDirectory: Bool) -> Bool {
        var excluded = false
        let range = NSRange(relativePath.startIndex..., in: relativePath)
        for rule in rules {
            if rule.directoryOnly && !isDirectory { continue }
            if rule.regex.firstMatch(in: relativePath, range: range) != nil { excluded = !rule.negated }
        }
        return excluded
    }

    // MARK: - Parsing

    static func rule(_ line: String) -> Rule? {
        var text = Substring(line)
        if text.hasSuffix("\r") { text = text.dropLast() }
        // Trailing spaces go unless escaped with a backslash.
        while text.hasSuffix(" ") && !text.hasSuffix("\\ ") { text = text.dropLast() }
        if text.isEmpty || text.hasPrefix("#") { return nil }
        var negated = false
        if text.hasPrefix("!") {
            negated = true
            text = text.dropFirst()
        } else if text.hasPrefix("\\!") || text.hasPrefix("\\#") {
            text = text.dropFirst()
        }
        var directoryOnly = false
        if text.hasSuffix("/") {
            directoryOnly = true
            text = text.dropLast()
        }
        if text.isEmpty { return nil }
        let anchored = text.contains("/")
        if text.hasPrefix("/") { text = text.dropFirst() }
        let body = translate(String(text))
        let regexText = "^" + (anchored ? "" : "(?:.*/)?") + body + "$"
        guard let regex = try? NSRegularExpression(pattern: regexText) else { return nil }
        return Rule(pattern: line, negated: negated, directoryOnly: directoryOnly, regex: regex)
    }

    /// A gitignore glob as a regular expression body.
    static func translate(_ glob: String) -> String {
        let chars = Array(glob)
        var out = ""
        var i = 0
        while i < chars.count {
            let c = chars[i]
            switch c {
            case "*":
                if i + 1 < chars.count, chars[i + 1] == "*" {
                    let atStart = i == 0 || chars[i - 1] == "/"
                    let atEnd = i + 2 == chars.count
                    let beforeSlash = i + 2 < chars.count && chars[i + 2] == "/"
                    if atStart && beforeSlash {
                        out += "(?:.*/)?"   // `**/`: zero or more folders
                        i += 3
                        continue
                    }
                    if atStart && atEnd {
                        out += ".*"         // `/**`: everything inside
                        i += 2
                        continue
                    }
                    out += "[^/]*"          // `**` elsewhere is a plain `*`
                    i += 2
                    continue
                }
                out += "[^/]*"
            case "?":
                out += "[^/]"
            case "[":
                if let close = chars[(i + 1)...].firstIndex(of: "]"), close > i + 1 {
                    var set = String(chars[(i + 1)..<close])
                    if set.hasPrefix("!") { set = "^" + set.dropFirst() }
                    out += "[" + set.replacingOccurrences(of: "\\", with: "\\\\") + "]"
                    i = close + 1
                    continue
                }
                out += "\\["
            case "\\":
                if i + 1 < chars.count {
                    out += NSRegularExpression.escapedPattern(for: String(chars[i + 1]))
                    i += 2
                    continue
                }
            default:
                out += NSRegularExpression.escapedPattern(for: String(c))
            }
            i += 1
        }
        return out
    }
}
