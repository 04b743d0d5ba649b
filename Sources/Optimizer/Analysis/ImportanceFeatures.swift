// Notation
//   g            a parameter (a "group" of feature columns)
//   μ_g          the measure fANOVA integrates parameter g over (its prior in the search space)
//   x ∈ [0,1]    the coordinate of a non-choice parameter in ``SearchSpaceEncoding`` (linear for
//                uniform/quniform, log for the log forms, the normal CDF for the normal forms,
//                (k + ½)/n for randint): uniform x ⇔ a draw from the expression, so μ_g = U[0, 1]
//   e_1 … e_k    one-hot columns of a choice with k options; μ_g = uniform over the k options

/// The feature matrix fANOVA's forest is fitted on: one column per numeric parameter, k one-hot
/// columns per `choice` of k options, and the measure each parameter is marginalised over.
package struct ImportanceFeatures: Sendable, Hashable {
    /// How a parameter's values are distributed when fANOVA averages over it.
    package enum Measure: Sendable, Hashable {
        /// Uniform on [lower, upper] of the parameter's single column.
        case interval(lower: Double, upper: Double)
        /// Uniform over the one-hot vectors e_1 … e_k of the parameter's k columns.
        case categories(Int)
    }

    /// One parameter: its name, its columns and its measure.
    package struct Group: Sendable, Hashable {
        package var name: String
        package var columns: Range<Int>
        package var measure: Measure
    }

    package var groups: [Group]
    /// Number of columns, p.
    package var columnCount: Int
    /// n·p values, row-major.
    package var features: [Double]
    /// The objective value of each row.
    package var targets: [Double]
    /// Observations left out because a value was missing, not finite, or not an option of its choice.
    package var skipped: Int

    /// Encodes `observations` (those with a finite value and every parameter) for `space`; with
    /// no space, numeric parameters get the interval their values span and others are
    /// categorical over the values seen.
    package init(_ observations: [ImportanceObservation], space: SearchSpace?) {
        let names: [String]
        if let space {
            names = space.names
        } else {
            var seen: [String] = []
            for observation in observations {
                for name in observation.configuration.names where !seen.contains(name) { seen.append(name) }
            }
            names = seen
        }
        let usable = observations.filter { observation in
            observation.value.isFinite && names.allSatisfy { observation.configuration[$0] != nil }
        }
        // Per parameter: a function from a value to its columns (nil: not representable).
        var encoders: [(ParameterValue) -> [Double]?] = []
        var groups: [Group] = []
        var column = 0
        for name in names {
            let measure: Measure
            let encoder: (ParameterValue) -> [Double]?
            if let expression = space?[name] {
                if case .choice(let options) = expression {
                    measure = .categories(options.count)
                    encoder = { value in
                        guard let index = options.firstIndex(where: { $0.matches(value, exactly: true) })
                                ?? options.firstIndex(where: { $0.matches(value, exactly: false) }) else { return nil }
                        return (0..<options.count).map { $0 == index ? 1 : 0 }
                    }
                } else {
                    measure = .interval(lower: 0, upper: 1)
                    encoder = { value in
                        guard value.numericValue?.isFinite ?? false else { return nil }
                        var x: [Double] = []
                        expression.encode(value, into: &x)
                        return x
                    }
                }
            } else {
                let values = usable.compactMap { $0.configuration[name] }
                let numbers = values.compactMap(\.numericValue)
                if numbers.count == values.count, numbers.allSatisfy(\.isFinite) {
                    measure = .interval(lower: numbers.min() ?? 0, upper: numbers.max() ?? 0)
                    encoder = { value in value.numericValue.map { [$0] } }
                } else {
                    var categories: [String] = []
                    for value in values where !categories.contains(value.plainText) { categories.append(value.plainText) }
                    measure = .categories(categories.count)
                    encoder = { value in
                        guard let index = categories.firstIndex(of: value.plainText) else { return nil }
                        return (0..<categories.count).map { $0 == index ? 1 : 0 }
                    }
                }
            }
            let width: Int
            if case .categories(let k) = measure { width = k } else { width = 1 }
            groups.append(Group(name: name, columns: column..<(column + width), measure: measure))
            encoders.append(encoder)
            column += width
        }
        var features: [Double] = []
        var targets: [Double] = []
        for observation in usable {
            var row: [Double] = []
            row.reserveCapacity(column)
            var complete = true
            for (name, encoder) in zip(names, encoders) {
                guard let value = observation.configuration[name], let encoded = encoder(value) else { complete = false; break }
                row += encoded
            }
            guard complete else { continue }
            features += row
            targets.append(observation.value)
        }
        self.groups = groups
        self.columnCount = column
        self.features = features
        self.targets = targets
        self.skipped = observations.count - targets.count
    }
}
