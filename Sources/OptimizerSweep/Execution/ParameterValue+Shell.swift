public import Optimizer

/// `value` as it is substituted into a trial's shell command (HyperDriveSemantics.md §Running a
/// trial).
///
/// - Integers: decimal, no ".0" (`3`).
/// - Doubles: shortest round-trip form (`0.001`, `1e-05`, `1e+16`, `inf`, `nan`); Python's
///   `float()` parses all of them.
/// - Strings: verbatim when non-empty and made only of `[A-Za-z0-9_.,:/=+@%-]`; otherwise
///   single-quoted for `/bin/sh` with each `'` written as `'\''`, so a value can never inject
///   shell code (`a b; rm -rf /` → `'a b; rm -rf /'`).
/// - Nested-choice mappings: compact JSON (see ``ParameterValue/jsonText``), then quoted.
/// This is the form for a placeholder outside quotes; ``renderCommand(_:configuration:inputs:outputs:)``
/// escapes for the context each placeholder sits in.
public func renderedForShell(_ value: ParameterValue) -> String {
    shellQuoted(shellText(value))
}

/// `text` unchanged when it is non-empty and made only of `[A-Za-z0-9_.,:/=+@%-]`, else
/// single-quoted for `/bin/sh`.
public func shellQuoted(_ text: String) -> String {
    if !text.isEmpty, text.unicodeScalars.allSatisfy(isShellSafe) { return text }
    return "'" + text.replacingAllOccurrences(of: "'", with: "'\\''") + "'"
}

func isShellSafe(_ c: Unicode.Scalar) -> Bool {
    switch c {
    case "a"..."z", "A"..."Z", "0"..."9": return true
    case "_", ".", ",", ":", "/", "=", "+", "@", "%", "-": return true
    default: return false
    }
}

extension String {
    fileprivate func replacingAllOccurrences(of target: Character, with replacement: String) -> String {
        var result = ""
        result.reserveCapacity(count)
        for c in self {
            if c == target { result += replacement } else { result.append(c) }
        }
        return result
    }
}

