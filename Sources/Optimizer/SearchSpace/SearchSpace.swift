/// A validated search space: named parameter expressions, in the order written
/// (<doc:HyperDriveSemantics#Search-space>).
///
/// ```swift
/// let space = try SearchSpace([
///     "lr": .logUniform(-6, -1),
///     "layers": .choice([1, 2, 3]),
/// ])
/// var rng = SplitMix64(seed: 42)
/// let configuration = space.sample(using: &rng)
/// ```
///
/// Order matters: configurations list parameters in this order, grid sampling changes the
/// last parameter fastest, and the unit-cube encoding lays dimensions out in this order.
public struct SearchSpace: Sendable, Hashable {
    /// One named parameter.
    public struct Parameter: Sendable, Hashable {
        /// Matches `^[A-Za-z_][A-Za-z0-9_]*$`.
        public var name: String
        /// The distribution the parameter is drawn from.
        public var expression: ParameterExpression

        /// A parameter named `name` drawn from `expression`.
        public init(name: String, expression: ParameterExpression) {
            self.name = name
            self.expression = expression
        }
    }

    /// The parameters, in the order written.
    public let parameters: [Parameter]

    /// The empty space (no parameters; every sample is the empty configuration).
    public init() {
        self.parameters = []
    }

    /// A space from ordered name–expression pairs; throws every validation problem at once.
    public init(_ pairs: KeyValuePairs<String, ParameterExpression>) throws(ConfigurationError) {
        try self.init(parameters: pairs.map { Parameter(name: $0.key, expression: $0.value) })
    }

    /// A space from parameters; problems are reported under `pathPrefix` (`search_space`).
    public init(parameters: [Parameter], pathPrefix: String = "search_space") throws(ConfigurationError) {
        let problems = Self.problems(in: parameters, pathPrefix: pathPrefix)
        if !problems.isEmpty { throw ConfigurationError(problems) }
        self.parameters = parameters
    }

    /// Every problem of `parameters` (empty when valid).
    public static func problems(in parameters: [Parameter], pathPrefix: String = "search_space") -> [ConfigurationProblem] {
        var problems: [ConfigurationProblem] = []
        var seen = Set<String>()
        for parameter in parameters {
            let path = pathPrefix.isEmpty ? parameter.name : "\(pathPrefix).\(parameter.name)"
            if !isValidParameterName(parameter.name) {
                problems.append(.init(path: path, message: "'\(parameter.name)' is not a valid parameter name; use letters, digits and underscores, not starting with a digit (^[A-Za-z_][A-Za-z0-9_]*$)"))
            }
            if !seen.insert(parameter.name).inserted {
                problems.append(.init(path: path, message: "is defined twice; keep one definition"))
            }
            parameter.expression.validate(path: path, into: &problems)
        }
        return problems
    }

    /// True when `name` matches `^[A-Za-z_][A-Za-z0-9_]*$`.
    public static func isValidParameterName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first else { return false }
        func isLetter(_ c: Unicode.Scalar) -> Bool { ("a"..."z").contains(c) || ("A"..."Z").contains(c) || c == "_" }
        return isLetter(first) && name.unicodeScalars.allSatisfy { isLetter($0) || ("0"..."9").contains($0) }
    }

    /// Parameter names, in order.
    public var names: [String] { parameters.map(\.name) }

    /// The expression of `name`, if present.
    public subscript(name: String) -> ParameterExpression? {
        parameters.first { $0.name == name }?.expression
    }

    /// True when every parameter takes finitely many values (choice, randint, quniform,
    /// qloguniform, at every depth).
    public var isFinite: Bool { parameters.allSatisfy { $0.expression.isFinite } }

    /// True when every parameter is a `choice` holding only literals and further choices:
    /// the spaces grid sampling accepts.
    public var isChoiceOnly: Bool { parameters.allSatisfy { $0.expression.isChoiceOnly } }

    /// Number of distinct configurations; `nil` when the space is infinite or the count
    /// exceeds `Int.max`. The empty space has one (empty) configuration.
    public var cardinality: Int? {
        var product = 1
        for parameter in parameters {
            guard let c = parameter.expression.cardinality else { return nil }
            let (p, overflow) = product.multipliedReportingOverflow(by: c)
            if overflow { return nil }
            product = p
        }
        return product
    }

    /// Unit coordinates consumed by one draw: the Sobol dimension of this space.
    public var unitDimension: Int { parameters.reduce(0) { $0 + $1.expression.unitDimension } }

    /// The configuration for unit coordinates `units` (count ``unitDimension``, each in (0, 1)):
    /// each expression's inverse CDF, choices by equal bins.
    public func configuration(fromUnit units: [Double]) -> Configuration {
        precondition(units.count == unitDimension, "SearchSpace.configuration(fromUnit:): \(units.count) coordinates for dimension \(unitDimension)")
        var offset = 0
        let values = parameters.map { $0.expression.value(fromUnit: units, offset: &offset) }
        return Configuration(names: names, values: values)
    }

    /// Draws one configuration, each parameter independently from its distribution.
    public func sample(using generator: inout some RandomNumberGenerator) -> Configuration {
        let units = (0..<unitDimension).map { _ in ParameterExpression.openUnit(using: &generator) }
        return configuration(fromUnit: units)
    }

    /// Every configuration in grid (odometer) order — parameters in the order written, the
    /// last changing fastest — or `nil` when infinite or more than `limit`.
    public func allConfigurations(limit: Int = 1_000_000) -> [Configuration]? {
        guard let count = cardinality, count <= limit else { return nil }
        var lists: [[ParameterValue]] = []
        for parameter in parameters {
            guard let values = parameter.expression.finiteValues(limit: limit) else { return nil }
            lists.append(values)
        }
        return (0..<count).map { Self.odometer(index: $0, lists: lists, names: names) }
    }

    /// The `index`-th combination of `lists` with the last list changing fastest.
    static func odometer(index: Int, lists: [[ParameterValue]], names: [String]) -> Configuration {
        var remainder = index
        var values = [ParameterValue](repeating: .int(0), count: lists.count)
        for i in stride(from: lists.count - 1, through: 0, by: -1) {
            let radix = lists[i].count
            values[i] = lists[i][remainder % radix]
            remainder /= radix
        }
        return Configuration(names: names, values: values)
    }
}
