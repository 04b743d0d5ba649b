import Foundation
import Optimizer

/// Bounds on a sweep job's YAML, checked before the document is built so that a huge or
/// hostile file costs a bounded amount of memory and time.
///
/// A sweep job is a few dozen lines; the limits are far above that and far below what would
/// hurt: at most ``maximumBytes`` of text, at most ``maximumElements`` structural elements
/// (counted by ``YAMLShapeScan`` in one pass over the text, an upper bound on the nodes the
/// parser will build from them), nesting at most ``maximumDepth`` deep, and after alias
/// expansion at most ``YAML11Node/maximumNodeCount`` nodes.
enum YAMLSizeLimits {
    /// 1 MiB.
    static let maximumBytes = 1 << 20
    /// Lines, `key:` separators, list items, commas and brackets in flow collections.
    static let maximumElements = 50_000
    /// Indentation levels, `- ` items on one line and open flow brackets together.
    static let maximumDepth = 64

    /// The problem with `text`'s size or shape, or `nil` when it is within the limits.
    static func problem(with text: String) -> ConfigurationProblem? {
        let bytes = text.utf8.count
        if bytes > maximumBytes {
            return ConfigurationProblem(path: "", message: "the YAML is \(describeBytes(bytes)), above the limit of 1 MiB (\(maximumBytes) bytes) for a sweep job; a sweep job is a few kilobytes, so check that this is the right file")
        }
        let shape = YAMLShapeScan(text.utf8, stopAfterElements: maximumElements, stopAfterDepth: maximumDepth)
        if shape.elements > maximumElements {
            return ConfigurationProblem(path: "", message: "the YAML has more than \(maximumElements) elements (lines, keys and list items, counted before it is parsed), the limit for a sweep job, which needs a few hundred; check that this is the right file")
        }
        if shape.depth > maximumDepth {
            return ConfigurationProblem(path: "", message: "the YAML nests more than \(maximumDepth) levels deep (the limit) at line \(shape.deepestLine); flatten it")
        }
        return nil
    }

    static func describeBytes(_ bytes: Int) -> String {
        bytes >= 1 << 20 ? String(format: "%.1f MiB", Double(bytes) / Double(1 << 20)) : "\(bytes) bytes"
    }
}

/// One pass over YAML text that bounds the document's size and nesting without parsing it.
///
/// `elements` counts non-blank, non-comment lines, `:` separators, `- ` items, and in flow
/// collections `,`, `[` and `{`; every node the parser can build (before alias expansion)
/// needs one of them, so twice the count bounds the nodes. `depth` is the deepest nesting:
/// the stack of increasing indentations, plus `- ` items opened on the same line, plus open
/// flow brackets. Quoted scalars and comments are skipped; block scalars' contents are
/// scanned as if they were YAML, which can only overestimate.
struct YAMLShapeScan {
    private(set) var elements = 0
    private(set) var depth = 0
    private(set) var deepestLine = 0

    init(_ utf8: String.UTF8View, stopAfterElements: Int, stopAfterDepth: Int) {
        var indents: [Int] = []
        var flow = 0
        var line = 1
        var atLineStart = true
        var indent = 0
        var lineDashes = 0
        var quote: UInt8? = nil
        var inComment = false
        var previous: UInt8 = 0x0A  // the last significant byte (not a space) on this line
        var lastByte: UInt8 = 0x0A
        var escaped = false
        var iterator = utf8.makeIterator()
        var pending: UInt8? = iterator.next()

        func record(_ current: Int) {
            if current > depth {
                depth = current
                deepestLine = line
            }
        }

        while let byte = pending {
            pending = iterator.next()
            defer { lastByte = byte }
            if byte == 0x0A && quote != nil {  // a quoted scalar goes on
                line += 1
                continue
            }
            if byte == 0x0A {  // newline
                line += 1
                atLineStart = true
                indent = 0
                lineDashes = 0
                inComment = false
                previous = 0x0A
                if elements > stopAfterElements || depth > stopAfterDepth { break }
                continue
            }
            if inComment { continue }
            if let q = quote {
                if q == 0x22 {  // "…": backslash escapes
                    if escaped { escaped = false } else if byte == 0x5C { escaped = true } else if byte == 0x22 { quote = nil; previous = byte }
                } else if byte == 0x27 {  // '…': '' is an escaped quote
                    if pending == 0x27 { pending = iterator.next() } else { quote = nil; previous = byte }
                }
                continue
            }
            if atLineStart {
                if byte == 0x20 { indent += 1; continue }
                if byte == 0x0D || byte == 0x09 { continue }
                atLineStart = false
                if byte == 0x23 { inComment = true; continue }  // a comment line
                elements += 1
                if flow == 0 {
                    while let last = indents.last, last > indent { indents.removeLast() }
                    if indents.last != indent { indents.append(indent) }
                }
            }
            let nextIsBlank = pending == nil || pending == 0x20 || pending == 0x0A || pending == 0x0D || pending == 0x09
            // Where a scalar or a flow collection can start: line start, after `:`, `-`, `?`, `,`, `[`, `{`.
            let atValueStart = Self.isValueStart(previous)
            if byte == 0x23 && (lastByte == 0x20 || lastByte == 0x09) {  // # after a space: a comment
                inComment = true
                continue
            } else if (byte == 0x22 || byte == 0x27) && atValueStart {  // a quoted scalar
                quote = byte
            } else if byte == 0x3A && (nextIsBlank || flow > 0) {  // key: value
                elements += 1
            } else if byte == 0x2D && nextIsBlank && (previous == 0x0A || previous == 0x2D) {  // - item
                elements += 1
                lineDashes += 1
            } else if (byte == 0x5B || byte == 0x7B) && (flow > 0 || atValueStart) {  // [ or {
                flow += 1
                elements += 1
            } else if (byte == 0x5D || byte == 0x7D) && flow > 0 {
                flow -= 1
            } else if byte == 0x2C && flow > 0 {
                elements += 1
            }
            if byte != 0x20 && byte != 0x09 { previous = byte }
            record(indents.count + lineDashes + flow)
        }
    }

    private static func isValueStart(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x0A, 0x3A, 0x2D, 0x3F, 0x2C, 0x5B, 0x7B: return true
        default: return false
        }
    }
}
