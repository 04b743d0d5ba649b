import Foundation

// Notation
//   x ∈ [0, 1]^D   encoded point (what the Gaussian process sees), D = `dimension`
//   v              the parameter value that is actually run
//   ε = 1e-6       tail truncation of the normal CDF maps (`normalTail`)
//   Φ, Φ⁻¹         standard normal CDF and quantile
//
// Layout: parameters in the order written, each taking a contiguous block of coordinates.
//
// | expression | coords | decode x ↦ v | encode v ↦ x |
// |---|---|---|---|
// | uniform(a,b) | 1 | a + x(b − a) | (v − a)/(b − a) |
// | loguniform(a,b) | 1 | exp(a + x(b − a)) | (ln v − a)/(b − a) |
// | normal(μ,σ) | 1 | μ + σΦ⁻¹(p), p = ε + x(1 − 2ε) | (Φ((v − μ)/σ) − ε)/(1 − 2ε) |
// | lognormal(μ,σ) | 1 | exp of the normal map | the normal map of ln v |
// | q-forms | 1 | the unquantised map, then qround | the unquantised inverse of v |
// | randint(n) | 1 | ⌊x·n⌋ (equal bins) | (k + ½)/n |
// | choice, all options numeric literals | 1 | ordinal: option of rank ⌊x·n⌋ by ascending value | (rank + ½)/n |
// | choice, otherwise | n + nested | one-hot: option argmax (first on ties) | 1 for the option, 0 elsewhere |
//
// A one-hot choice is followed by the coordinates of every nested expression of every option
// (options in order, entries in order, recursively). Only the chosen option's nested
// coordinates are decoded; encode writes ½ into the inactive ones so that they carry no
// information. Every encoded coordinate is clamped to [0, 1]; values outside the box (e.g. a
// normal draw beyond the ε quantiles) encode to the nearest face. Degenerate ranges
// (loguniform with min = max, sigma = 0) decode to their only value and encode to ½.

/// The map between configurations of a ``SearchSpace`` and the unit cube [0, 1]^dimension,
/// used by the Bayesian sampler's Gaussian-process surrogate.
///
/// `decode` gives exactly the configuration that will be run (rounding, integer typing and
/// choice selection included); `snap(x) = encode(decode(x))` moves a point of the cube onto
/// the value actually run, so the surrogate is trained on what was evaluated. See the file's
/// notation block for every expression's map: linear for uniform, log space for the log
/// forms, the normal CDF (truncated to the 1e-6 … 1 − 1e-6 quantiles) for the normal forms,
/// continuous-then-rounded for randint and q-forms, ordinal for all-numeric choices and
/// one-hot plus nested blocks (inactive ones at ½) for the other choices.
public struct SearchSpaceEncoding: Sendable, Hashable {
    /// Tail mass cut from each side of the normal CDF maps: x = 0 decodes to the ε quantile,
    /// x = 1 to the 1 − ε quantile.
    public static let normalTail = 1e-6

    /// The space this encoding maps.
    public let space: SearchSpace
    /// Number of coordinates, D.
    public let dimension: Int
    /// `isDiscrete[i]` is true when coordinate i is only read through rounding or binning
    /// (randint, q-forms, choice bins and one-hot coordinates), so the acquisition optimiser
    /// may treat it as piecewise constant.
    public let isDiscrete: [Bool]
    /// For each parameter, the range of coordinates it occupies.
    public let parameterRanges: [Range<Int>]
    /// The one-hot block of every non-ordinal choice (nested ones included), in coordinate
    /// order: the option decoded is the block's argmax.
    public let oneHotBlocks: [Range<Int>]

    /// The encoding of `space` (layout in the file's notation block).
    public init(_ space: SearchSpace) {
        self.space = space
        var flags: [Bool] = []
        var ranges: [Range<Int>] = []
        var blocks: [Range<Int>] = []
        for parameter in space.parameters {
            let start = flags.count
            parameter.expression.appendDiscreteFlags(into: &flags, oneHotBlocks: &blocks)
            ranges.append(start..<flags.count)
        }
        self.oneHotBlocks = blocks
        self.isDiscrete = flags
        self.dimension = flags.count
        self.parameterRanges = ranges
    }

    /// True when the space has finitely many configurations.
    public var isFinite: Bool { space.isFinite }
    /// Number of configurations, `nil` when infinite (or beyond `Int.max`).
    public var cardinality: Int? { space.cardinality }

    /// The point of [0, 1]^dimension that represents `configuration` (which must list the
    /// space's parameters, by name).
    public func encode(_ configuration: Configuration) -> [Double] {
        var x: [Double] = []
        x.reserveCapacity(dimension)
        for parameter in space.parameters {
            guard let value = configuration[parameter.name] else {
                preconditionFailure("SearchSpaceEncoding.encode: the configuration has no value for '\(parameter.name)'")
            }
            parameter.expression.encode(value, into: &x)
        }
        return x
    }

    /// The configuration that will be run for `x` (count `dimension`; coordinates outside
    /// [0, 1] are clamped).
    public func decode(_ x: [Double]) -> Configuration {
        precondition(x.count == dimension, "SearchSpaceEncoding.decode: \(x.count) coordinates for dimension \(dimension)")
        var offset = 0
        let values = space.parameters.map { $0.expression.decode(x, offset: &offset) }
        return Configuration(names: space.names, values: values)
    }

    /// `encode(decode(x))`: the encoded form of the value actually run for `x`. Idempotent:
    /// exactly on discrete coordinates, to a few ulps on continuous ones (an affine or CDF map
    /// and its inverse in floating point).
    public func snap(_ x: [Double]) -> [Double] { encode(decode(x)) }
}

// MARK: - Per-expression maps

private func clamp01(_ x: Double) -> Double { x.isNaN ? 0.5 : min(max(x, 0), 1) }

extension ParameterExpression {
    /// All options are numeric literals: encoded ordinally in one coordinate.
    var isOrdinalChoice: Bool {
        guard case .choice(let options) = self else { return false }
        return options.allSatisfy {
            if case .literal(let v) = $0.normalized, v.numericValue != nil { return true }
            return false
        }
    }

    /// Option indices sorted by ascending numeric value (stable), for ordinal choices.
    private var ordinalOrder: [Int] {
        guard case .choice(let options) = self else { return [] }
        let keyed = options.enumerated().map { (index: $0.offset, key: $0.element.normalizedLiteral?.numericValue ?? 0) }
        return keyed.sorted { $0.key < $1.key || ($0.key == $1.key && $0.index < $1.index) }.map(\.index)
    }

    func appendDiscreteFlags(into flags: inout [Bool], oneHotBlocks: inout [Range<Int>]) {
        switch self {
        case .choice(let options):
            if isOrdinalChoice {
                flags.append(true)
                return
            }
            oneHotBlocks.append(flags.count..<(flags.count + options.count))
            flags += Array(repeating: true, count: options.count)
            for option in options { option.appendNestedDiscreteFlags(into: &flags, oneHotBlocks: &oneHotBlocks) }
        case .uniform, .logUniform, .normal, .logNormal:
            flags.append(false)
        case .randint, .quniform, .qLogUniform, .qNormal, .qLogNormal:
            flags.append(true)
        }
    }

    private static func normalUnit(_ x: Double) -> Double {
        let eps = SearchSpaceEncoding.normalTail
        return eps + clamp01(x) * (1 - 2 * eps)
    }

    private static func normalCoordinate(z: Double) -> Double {
        let eps = SearchSpaceEncoding.normalTail
        return clamp01((normalCDF(z) - eps) / (1 - 2 * eps))
    }

    func decode(_ x: [Double], offset: inout Int) -> ParameterValue {
        switch self {
        case .choice(let options):
            if isOrdinalChoice {
                let rank = Self.binIndex(clamp01(x[offset]), count: options.count)
                offset += 1
                return options[ordinalOrder[rank]].normalizedLiteral ?? .int(0)
            }
            var best = 0
            for i in 0..<options.count where x[offset + i] > x[offset + best] { best = i }
            offset += options.count
            var chosen: ParameterValue = .int(0)
            for (i, option) in options.enumerated() {
                if i == best {
                    chosen = option.decodeNested(x, offset: &offset)
                } else {
                    offset += option.nestedEncodedDimension
                }
            }
            return chosen
        default:
            let u = clamp01(x[offset])
            offset += 1
            return decodeLeaf(u)
        }
    }

    private func decodeLeaf(_ u: Double) -> ParameterValue {
        leafValue(u) { Self.normalQuantile(Self.normalUnit($0)) }
    }

    func encode(_ value: ParameterValue, into x: inout [Double]) {
        switch self {
        case .choice(let options):
            let matched = options.firstIndex { $0.matches(value, exactly: true) }
                ?? options.firstIndex { $0.matches(value, exactly: false) }
            if isOrdinalChoice {
                guard let index = matched, let rank = ordinalOrder.firstIndex(of: index) else {
                    x.append(0.5)
                    return
                }
                x.append((Double(rank) + 0.5) / Double(options.count))
                return
            }
            for i in 0..<options.count { x.append(i == matched ? 1 : 0) }
            for (i, option) in options.enumerated() {
                option.encodeNested(i == matched ? value : nil, into: &x)
            }
        default:
            x.append(encodeLeaf(value))
        }
    }

    private func encodeLeaf(_ value: ParameterValue) -> Double {
        guard let v = value.numericValue else { return 0.5 }
        switch self {
        case .choice:
            preconditionFailure("encodeLeaf: choice is not a leaf")
        case .randint(let upper):
            let k = min(max(v.rounded(), 0), Double(upper - 1))
            return (k + 0.5) / Double(upper)
        case .uniform(let a, let b), .quniform(let a, let b, _):
            return clamp01((v - a) / (b - a))
        case .logUniform(let a, let b), .qLogUniform(let a, let b, _):
            if a == b { return 0.5 }
            return v > 0 ? clamp01((log(v) - a) / (b - a)) : 0
        case .normal(let mu, let sigma), .qNormal(let mu, let sigma, _):
            if sigma == 0 { return 0.5 }
            return Self.normalCoordinate(z: (v - mu) / sigma)
        case .logNormal(let mu, let sigma), .qLogNormal(let mu, let sigma, _):
            if sigma == 0 { return 0.5 }
            return v > 0 ? Self.normalCoordinate(z: (log(v) - mu) / sigma) : 0
        }
    }

    /// Number of encoded coordinates.
    var encodedDimension: Int {
        guard case .choice(let options) = self else { return 1 }
        if isOrdinalChoice { return 1 }
        return options.count + options.reduce(0) { $0 + $1.nestedEncodedDimension }
    }
}

extension ChoiceOption {
    /// The literal value of a literal option (after normalisation), else `nil`.
    var normalizedLiteral: ParameterValue? {
        if case .literal(let v) = normalized { return v }
        return nil
    }

    var nestedEncodedDimension: Int {
        guard case .mapping(let entries) = normalized else { return 0 }
        return entries.reduce(0) { total, entry in
            if case .expression(let e) = entry.value { return total + e.encodedDimension }
            return total
        }
    }

    func appendNestedDiscreteFlags(into flags: inout [Bool], oneHotBlocks: inout [Range<Int>]) {
        guard case .mapping(let entries) = normalized else { return }
        for entry in entries {
            if case .expression(let e) = entry.value { e.appendDiscreteFlags(into: &flags, oneHotBlocks: &oneHotBlocks) }
        }
    }

    func decodeNested(_ x: [Double], offset: inout Int) -> ParameterValue {
        resolved { $0.decode(x, offset: &offset) }
    }

    /// Writes the nested coordinates: encoded from `value` for the chosen option, ½ otherwise.
    func encodeNested(_ value: ParameterValue?, into x: inout [Double]) {
        guard case .mapping(let entries) = normalized else { return }
        var named: [ParameterValue.NamedValue] = []
        if case .mapping(let n)? = value { named = n }
        for entry in entries {
            guard case .expression(let e) = entry.value else { continue }
            if let nestedValue = named.first(where: { $0.name == entry.name })?.value {
                e.encode(nestedValue, into: &x)
            } else {
                x += Array(repeating: 0.5, count: e.encodedDimension)
            }
        }
    }

    /// True when `value` can be this option's value: equal literals (numerically equal when
    /// not `exactly`), or a mapping with the same names in order whose literal entries agree.
    func matches(_ value: ParameterValue, exactly: Bool) -> Bool {
        switch normalized {
        case .literal(let literal):
            if literal == value { return true }
            if !exactly, let a = literal.numericValue, let b = value.numericValue { return a == b }
            return false
        case .mapping(let entries):
            guard case .mapping(let named) = value, named.count == entries.count else { return false }
            for (entry, item) in zip(entries, named) {
                guard entry.name == item.name else { return false }
                if case .literal(let literal) = entry.value {
                    if literal == item.value { continue }
                    if !exactly, let a = literal.numericValue, let b = item.value.numericValue, a == b { continue }
                    return false
                }
            }
            return true
        }
    }
}
