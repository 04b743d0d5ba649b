import Foundation
import Optimizer
public import OptimizerSweep

/// What the report's new charts should draw, computed independently of its script from the
/// documented rules (HTMLReport's contour hint).
public enum ReportChartExpectations {
    /// The contour pairs: (1st, 2nd) and (1st, 3rd) most important parameters of `importance`
    /// (by default the model's, as the report computes it).
    public static func contourPairs(_ model: ReportModel, importance: ReportModel.ImportanceSummary? = nil) throws -> [(String, String)] {
        let order = try (importance ?? model.parameterImportance(limit: HTMLReport.importanceTrialLimit)).importances.map(\.parameter)
        guard order.count >= 2 else { return [] }
        return order.count == 2 ? [(order[0], order[1])] : [(order[0], order[1]), (order[0], order[2])]
    }

    /// Non-empty cells of the contour of `x` against `y`: 20 equal-width bins over the values'
    /// range per numeric axis (log10 space for log axes; 1 bin when all values are equal), one
    /// per category; only trials with a finite value.
    public static func contourCells(_ model: ReportModel, _ x: String, _ y: String) -> Int {
        let trials = model.trials.filter { $0.value?.isFinite ?? false }
        func bins(_ name: String) -> [Int] {
            let scale = model.parameters.first { $0.name == name }?.scale ?? .linear
            let values = trials.map { $0.configuration[name] }
            if scale == .categorical || values.contains(where: { $0?.numericValue == nil }) {
                var index: [String: Int] = [:]
                return values.map { value in
                    let key = value?.plainText ?? ""
                    if let i = index[key] { return i }
                    index[key] = index.count
                    return index[key]!
                }
            }
            let numbers = values.map { $0!.numericValue! }
            let t = scale == .log && numbers.allSatisfy({ $0 > 0 }) ? numbers.map(log10) : numbers
            let (lo, hi) = (t.min() ?? 0, t.max() ?? 0)
            let n = hi > lo ? 20 : 1
            return t.map { n == 1 ? 0 : min(n - 1, max(0, Int(((($0 - lo) / (hi - lo)) * Double(n)).rounded(.down)))) }
        }
        return Set(zip(bins(x), bins(y)).map { "\($0),\($1)" }).count
    }
}
