import Foundation

// Enumerating the values of discrete, finite expressions (grid sampling, "never repeat" in
// random sampling, cardinality).
//
// For quniform(a, b, q) the reachable multiples are k = kLow…kHigh with
//     kLow  = ⌊a/q − ½⌋ + 1,    kHigh = ⌈b/q + ½⌉ − 1,
// the k whose rounding cell (k − ½, k + ½) meets the open interval (a/q, b/q) in positive
// length; an endpoint landing exactly on a half-way point has probability zero and is not
// counted. qloguniform uses (eᵃ/q, eᵇ/q) the same way (a single k when a = b).

extension ParameterExpression {
    /// Number of distinct values, `nil` when infinite or larger than `Int.max`.
    public var cardinality: Int? {
        switch self {
        case .choice(let options):
            var total = 0
            for option in options {
                guard let c = option.normalized.cardinality else { return nil }
                let (sum, overflow) = total.addingReportingOverflow(c)
                if overflow { return nil }
                total = sum
            }
            return total
        case .randint(let upper):
            return upper
        case .quniform, .qLogUniform:
            guard let (low, high) = multipleRange else { return nil }
            let (count, overflow) = high.subtractingReportingOverflow(low)
            return overflow || count == Int.max ? nil : count + 1
        case .uniform, .logUniform, .normal, .qNormal, .logNormal, .qLogNormal:
            return nil
        }
    }

    /// Every value, in a fixed order (choice: options as written, nested entries odometer-style
    /// with the last fastest; numeric: ascending), or `nil` when infinite or more than `limit`.
    public func finiteValues(limit: Int = 1_000_000) -> [ParameterValue]? {
        guard let count = cardinality, count <= limit else { return nil }
        switch self {
        case .choice(let options):
            var values: [ParameterValue] = []
            values.reserveCapacity(count)
            for option in options {
                guard let optionValues = option.normalized.finiteValues(limit: limit) else { return nil }
                values += optionValues
            }
            return values
        case .randint(let upper):
            return (0..<upper).map { .int($0) }
        case .quniform(_, _, let q), .qLogUniform(_, _, let q):
            guard let (low, high) = multipleRange else { return nil }
            let integral = isIntegralValued
            return (low...high).map { Self.quantize(Double($0) * q, q: q, integral: integral) }
        case .uniform, .logUniform, .normal, .qNormal, .logNormal, .qLogNormal:
            return nil
        }
    }

    /// kLow…kHigh for quniform / qloguniform (see the file's notation block).
    var multipleRange: (Int, Int)? {
        let lo: Double, hi: Double
        switch self {
        case .quniform(let a, let b, let q):
            lo = a / q; hi = b / q
        case .qLogUniform(let a, let b, let q):
            lo = exp(a) / q; hi = exp(b) / q
        default:
            return nil
        }
        guard lo.isFinite, hi.isFinite, abs(lo) < 0x1p62, abs(hi) < 0x1p62 else { return nil }
        if lo == hi {
            let k = Int(lo.rounded(.toNearestOrEven))
            return (k, k)
        }
        let low = Int((lo - 0.5).rounded(.down)) + 1
        let high = Int((hi + 0.5).rounded(.up)) - 1
        return low <= high ? (low, high) : nil
    }
}

extension ChoiceOption {
    /// Distinct values of this option (1 for a literal; the product over nested expressions).
    var cardinality: Int? {
        guard case .mapping(let entries) = normalized else { return 1 }
        var product = 1
        for entry in entries {
            guard case .expression(let e) = entry.value else { continue }
            guard let c = e.cardinality else { return nil }
            let (p, overflow) = product.multipliedReportingOverflow(by: c)
            if overflow { return nil }
            product = p
        }
        return product
    }

    /// Every value of this option, nested entries odometer-style (last fastest).
    func finiteValues(limit: Int) -> [ParameterValue]? {
        switch normalized {
        case .literal(let v):
            return [v]
        case .mapping(let entries):
            var partial: [[ParameterValue.NamedValue]] = [[]]
            for entry in entries {
                let choices: [ParameterValue]
                switch entry.value {
                case .literal(let v): choices = [v]
                case .expression(let e):
                    guard let values = e.finiteValues(limit: limit) else { return nil }
                    choices = values
                }
                guard partial.count * choices.count <= limit else { return nil }
                partial = partial.flatMap { prefix in
                    choices.map { prefix + [ParameterValue.NamedValue(name: entry.name, value: $0)] }
                }
            }
            return partial.map { .mapping($0) }
        }
    }
}
