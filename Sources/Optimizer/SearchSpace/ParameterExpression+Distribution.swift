import Foundation

// Notation
//   u ∈ (0, 1)   one uniform variate ("unit" coordinate) consumed by an expression
//   Φ, Φ⁻¹       standard normal CDF and quantile function
//   q            quantisation step; qround(x) = roundHalfEven(x/q)·q
//
// Every expression maps unit coordinates to a value through its inverse CDF, so random
// sampling (u from a PRNG) and Sobol sampling (u from a scrambled Sobol point) share one code
// path. The unit layout: a leaf expression consumes one coordinate; a `choice` consumes one
// coordinate for the option (equal bins) followed by the coordinates of every nested
// expression of every option, in the order written (inactive ones are skipped but still
// consumed, so positions never depend on the branch taken).

extension ParameterExpression {
    /// Number of unit coordinates the expression consumes when drawn (see the notation block).
    public var unitDimension: Int {
        switch self {
        case .choice(let options):
            return 1 + options.reduce(0) { $0 + $1.normalized.nestedUnitDimension }
        default:
            return 1
        }
    }

    /// The value for unit coordinates `units[offset...]`; advances `offset` by
    /// ``unitDimension``.
    ///
    /// ```
    /// uniform      a + u(b − a)                     logUniform  exp(a + u(b − a))
    /// normal       μ + σ Φ⁻¹(u)                     logNormal   exp(μ + σ Φ⁻¹(u))
    /// randint      ⌊u · upper⌋                      choice      option ⌊u · n⌋
    /// q-forms      qround(the unquantised value)
    /// ```
    /// Each `u` must lie in (0, 1); results are clamped into the closed range so rounding in
    /// floating point can never leave it (randint never yields `upper`).
    public func value(fromUnit units: [Double], offset: inout Int) -> ParameterValue {
        let u = units[offset]
        offset += 1
        switch self {
        case .choice(let options):
            let index = Self.binIndex(u, count: options.count)
            var chosen: ParameterValue = .int(0)
            for (i, option) in options.enumerated() {
                let normalized = option.normalized
                if i == index {
                    chosen = normalized.value(fromUnit: units, offset: &offset)
                } else {
                    offset += normalized.nestedUnitDimension
                }
            }
            return chosen
        default:
            return leafValue(u)
        }
    }

    /// The value of a non-choice expression at unit coordinate `u` (the table above);
    /// `quantile` maps `u` to a standard-normal quantile for the normal forms (the surrogate's
    /// encoding passes a tail-truncated map).
    func leafValue(_ u: Double, quantile: (Double) -> Double = ParameterExpression.normalQuantile) -> ParameterValue {
        switch self {
        case .choice:
            preconditionFailure("leafValue: choice is not a leaf")
        case .randint(let upper):
            return .int(Self.binIndex(u, count: upper))
        case .uniform(let a, let b):
            return .double(Self.uniformValue(u, a, b))
        case .quniform(let a, let b, let q):
            return Self.quantize(Self.uniformValue(u, a, b), q: q, integral: isIntegralValued)
        case .logUniform(let a, let b):
            return .double(Self.logUniformValue(u, a, b))
        case .qLogUniform(let a, let b, let q):
            return Self.quantize(Self.logUniformValue(u, a, b), q: q, integral: isIntegralValued)
        case .normal(let mu, let sigma):
            return .double(mu + sigma * quantile(u))
        case .qNormal(let mu, let sigma, let q):
            return Self.quantize(mu + sigma * quantile(u), q: q, integral: isIntegralValued)
        case .logNormal(let mu, let sigma):
            return .double(exp(mu + sigma * quantile(u)))
        case .qLogNormal(let mu, let sigma, let q):
            return Self.quantize(exp(mu + sigma * quantile(u)), q: q, integral: isIntegralValued)
        }
    }

    /// Draws one value.
    public func sample(using generator: inout some RandomNumberGenerator) -> ParameterValue {
        let units = (0..<unitDimension).map { _ in Self.openUnit(using: &generator) }
        var offset = 0
        return value(fromUnit: units, offset: &offset)
    }

    /// True when a q-expression yields integers: `q` integral and, for the bounded forms, the
    /// bounds integral (<doc:HyperDriveSemantics#Search-space>). `randint` is always integral;
    /// the others never are.
    ///
    /// For `qLogUniform` the bounds also count as integral when the ends of the value range,
    /// exp(min) and exp(max), are integers (to a relative 1e-9): a sweep's `logbase` rewrites
    /// base-B exponents to natural logs (`qloguniform(0, 7, 1)` in base 2 becomes
    /// `qLogUniform(0, 7·ln 2, q: 1)`, the range 1…128), and its integers must stay integers.
    public var isIntegralValued: Bool {
        switch self {
        case .randint: return true
        case .quniform(let a, let b, let q):
            return Self.isIntegral(q) && Self.isIntegral(a) && Self.isIntegral(b)
        case .qLogUniform(let a, let b, let q):
            return Self.isIntegral(q)
                && ((Self.isIntegral(a) && Self.isIntegral(b)) || (Self.isNearlyIntegral(exp(a)) && Self.isNearlyIntegral(exp(b))))
        case .qNormal(_, _, let q), .qLogNormal(_, _, let q):
            return Self.isIntegral(q)
        case .choice, .uniform, .logUniform, .normal, .logNormal:
            return false
        }
    }

    // MARK: - Building blocks

    /// A uniform variate in the open interval (0, 1): `(k + ½)·2⁻⁵³` for a random 53-bit `k`,
    /// so neither 0 nor 1 (whose normal quantiles are infinite) can occur.
    public static func openUnit(using generator: inout some RandomNumberGenerator) -> Double {
        (Double(generator.next() >> 11) + 0.5) * 0x1p-53
    }

    static func isIntegral(_ x: Double) -> Bool { x.isFinite && x == x.rounded() }

    /// Integral to a relative 1e-9 (a power of the log base computed through exp and log).
    static func isNearlyIntegral(_ x: Double) -> Bool {
        x.isFinite && x >= 1 && abs(x - x.rounded()) <= 1e-9 * x
    }

    /// ⌊u·count⌋ clamped to 0…count−1: equal bins on (0, 1).
    static func binIndex(_ u: Double, count: Int) -> Int {
        precondition(count > 0, "binIndex: count must be positive")
        let raw = (u * Double(count)).rounded(.down)
        if !(raw >= 0) { return 0 }
        if raw >= Double(count) { return count - 1 }
        return Int(raw)
    }

    static func uniformValue(_ u: Double, _ a: Double, _ b: Double) -> Double {
        min(max(a + u * (b - a), a), b)
    }

    static func logUniformValue(_ u: Double, _ a: Double, _ b: Double) -> Double {
        min(max(exp(a + u * (b - a)), exp(a)), exp(b))
    }

    /// roundHalfEven(x/q)·q, typed ``ParameterValue/int(_:)`` when `integral`.
    ///
    /// When q has a short decimal form (q·10ᵈ integral for some d ≤ 15, e.g. 0.1, 0.25, 1e-5)
    /// the result is computed as (k·q·10ᵈ)/10ᵈ, the double nearest the decimal k·q, so
    /// q = 0.1 gives 0.3 rather than 0.30000000000000004. Negative zero becomes zero.
    public static func quantize(_ x: Double, q: Double, integral: Bool) -> ParameterValue {
        let k = (x / q).rounded(.toNearestOrEven)
        var v = k * q
        if !integral, v.isFinite, let (scaledQ, power) = decimalScale(q), abs(k * scaledQ) < 0x1p53 {
            v = (k * scaledQ) / power
        }
        v += 0.0
        if integral, let i = Int(exactly: v) { return .int(i) }
        return .double(v)
    }

    /// (q·10ᵈ, 10ᵈ) for the smallest d ≤ 15 with q·10ᵈ integral and (q·10ᵈ)/10ᵈ == q.
    package static func decimalScale(_ q: Double) -> (Double, Double)? {
        var power = 1.0
        for _ in 0...15 {
            let scaled = (q * power).rounded()
            if scaled != 0, scaled / power == q { return (scaled, power) }
            power *= 10
        }
        return nil
    }

    /// Standard normal CDF Φ(z) = ½·erfc(−z/√2).
    public static func normalCDF(_ z: Double) -> Double {
        0.5 * erfc(-z / 2.0.squareRoot())
    }

    /// Standard normal quantile Φ⁻¹(p) for p ∈ (0, 1); ±∞ at 0 and 1.
    ///
    /// Wichura 1988, Algorithm AS 241 (PPND16), relative accuracy about 1e-16 — checked against
    /// `scipy.special.ndtri` in the tests.
    /// - Complexity: O(1): one rational function of degree 7 (plus a log and a square root in the tails).
    public static func normalQuantile(_ p: Double) -> Double {
        if p <= 0 { return -.infinity }
        if p >= 1 { return .infinity }
        let q = p - 0.5
        if abs(q) <= 0.425 {
            let r = 0.180625 - q * q
            return q * horner(as241A, r) / horner(as241B, r)
        }
        var r = q < 0 ? p : 1 - p
        r = (-log(r)).squareRoot()
        let value: Double
        if r <= 5 {
            r -= 1.6
            value = horner(as241C, r) / horner(as241D, r)
        } else {
            r -= 5
            value = horner(as241E, r) / horner(as241F, r)
        }
        return q < 0 ? -value : value
    }

    private static func horner(_ coefficients: [Double], _ x: Double) -> Double {
        var sum = 0.0
        for c in coefficients.reversed() { sum = sum * x + c }
        return sum
    }

    // AS 241 coefficients, lowest degree first.
    private static let as241A: [Double] = [
        3.3871328727963666080e0, 1.3314166789178437745e+2, 1.9715909503065514427e+3,
        1.3731693765509461125e+4, 4.5921953931549871457e+4, 6.7265770927008700853e+4,
        3.3430575583588128105e+4, 2.5090809287301226727e+3,
    ]
    private static let as241B: [Double] = [
        1.0, 4.2313330701600911252e+1, 6.8718700749205790830e+2, 5.3941960214247511077e+3,
        2.1213794301586595867e+4, 3.9307895800092710610e+4, 2.8729085735721942674e+4,
        5.2264952788528545610e+3,
    ]
    private static let as241C: [Double] = [
        1.42343711074968357734e0, 4.63033784615654529590e0, 5.76949722146069140550e0,
        3.64784832476320460504e0, 1.27045825245236838258e0, 2.41780725177450611770e-1,
        2.27238449892691845833e-2, 7.74545014278341407640e-4,
    ]
    private static let as241D: [Double] = [
        1.0, 2.05319162663775882187e0, 1.67638483018380384940e0, 6.89767334985100004550e-1,
        1.48103976427480074590e-1, 1.51986665636164571966e-2, 5.47593808499534494600e-4,
        1.05075007164441684324e-9,
    ]
    private static let as241E: [Double] = [
        6.65790464350110377720e0, 5.46378491116411436990e0, 1.78482653991729133580e0,
        2.96560571828504891230e-1, 2.65321895265761230930e-2, 1.24266094738807843860e-3,
        2.71155556874348757815e-5, 2.01033439929228813265e-7,
    ]
    private static let as241F: [Double] = [
        1.0, 5.99832206555887937690e-1, 1.36929880922735805310e-1, 1.48753612908506148525e-2,
        7.86869131145613259100e-4, 1.84631831751005468180e-5, 1.42151175831644588870e-7,
        2.04426310338993978564e-15,
    ]
}

extension ChoiceOption {
    /// Unit coordinates consumed by this option's nested expressions.
    var nestedUnitDimension: Int {
        guard case .mapping(let entries) = normalized else { return 0 }
        return entries.reduce(0) { total, entry in
            if case .expression(let e) = entry.value { return total + e.unitDimension }
            return total
        }
    }

    /// The option's value, drawing its nested expressions from `units[offset...]`.
    func value(fromUnit units: [Double], offset: inout Int) -> ParameterValue {
        resolved { $0.value(fromUnit: units, offset: &offset) }
    }

    /// The option's value with each nested expression (in the order written) replaced by
    /// `value(expression)`: literals as they are, mappings entry by entry.
    func resolved(_ value: (ParameterExpression) -> ParameterValue) -> ParameterValue {
        switch normalized {
        case .literal(let v):
            return v
        case .mapping(let entries):
            return .mapping(entries.map { entry in
                switch entry.value {
                case .literal(let v): return .init(name: entry.name, value: v)
                case .expression(let e): return .init(name: entry.name, value: value(e))
                }
            })
        }
    }
}
