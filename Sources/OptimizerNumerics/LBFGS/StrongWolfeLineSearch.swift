// Notation (Nocedal & Wright 2006, §3.1 and §3.5):
//   φ(α)       objective along the search direction, φ(α) = f(x + α d), α ≥ 0
//   φ′(α)      its derivative, φ′(α) = ∇f(x + α d)ᵀ d;  φ′(0) < 0 (d is a descent direction)
//   c₁, c₂     Wolfe constants, 0 < c₁ < c₂ < 1
//   α_max      largest step allowed (the box boundary along d)
//   α_lo, α_hi zoom interval ends: α_lo is the best step so far satisfying sufficient
//              decrease, and φ′(α_lo)(α_hi − α_lo) < 0
//
// Strong Wolfe conditions (N&W eqs. 3.7a, 3.7b):
//   φ(α) ≤ φ(0) + c₁ α φ′(0)          sufficient decrease
//   |φ′(α)| ≤ c₂ |φ′(0)|               strong curvature

/// A one-dimensional line search for a step satisfying the strong Wolfe conditions, written
/// as a reverse-communication state machine: it proposes a step, the caller evaluates φ and
/// φ′ there and reports them with ``observe(value:slope:)``.
///
/// It is the bracketing phase and `zoom` of Nocedal & Wright 2006, Algorithms 3.5 and 3.6,
/// with trial steps from safeguarded cubic interpolation (N&W eq. 3.59) and two changes
/// for bounded problems and failed evaluations, and two in zoom (see there):
/// - Steps never exceed α_max. If α_max itself gives sufficient decrease and φ is still
///   decreasing there, α_max is accepted (the step reaches the box boundary; Moré & Thuente's
///   search, used by the original L-BFGS-B code, ends the same way).
/// - A non-finite φ(α) (reported as +∞) fails sufficient decrease, so the search shrinks
///   the step; interpolation needs finite values, so such an interval is bisected.
/// - Zoom trials are the cubic minimiser anywhere strictly inside the interval, with Moré &
///   Thuente's bisection safeguard; ties in φ are decided by φ′.
///
/// The search fails after `maxEvaluations` trials, or when the zoom interval has shrunk to
/// rounding level. Every accepted step satisfies sufficient decrease, so it never increases f.
struct StrongWolfeLineSearch: Sendable {
    /// A step that has been evaluated.
    struct Sample: Sendable, Equatable {
        var step: Double
        var value: Double
        var slope: Double
    }

    /// What the caller should do next.
    enum Decision: Sendable, Equatable {
        /// Evaluate φ and φ′ at ``StrongWolfeLineSearch/trialStep`` (already updated).
        case evaluate
        /// The last evaluated step satisfies the conditions (or is α_max, see the type doc).
        case accept
        /// No acceptable step was found; the string says why.
        case fail(String)
    }

    private enum Phase: Sendable {
        /// Algorithm 3.5: increasing steps until a bracket is found; holds the previous sample.
        case bracketing(previous: Sample)
        /// Algorithm 3.6. `widths` are |α_hi − α_lo| two updates ago and one update ago (the
        /// first is +∞ right after bracketing), for the bisection safeguard.
        case zoom(low: Sample, high: Sample, widths: (Double, Double))
    }

    let initialValue: Double
    let initialSlope: Double
    let maximumStep: Double
    let sufficientDecrease: Double
    let curvature: Double
    let maxEvaluations: Int
    /// The step the caller must evaluate next.
    private(set) var trialStep: Double
    /// Evaluations reported so far.
    private(set) var evaluations = 0
    private var phase: Phase

    /// - Parameters:
    ///   - initialValue: φ(0), finite.
    ///   - initialSlope: φ′(0), negative.
    ///   - initialStep: first trial, in (0, maximumStep].
    ///   - maximumStep: α_max > 0.
    init(
        initialValue: Double, initialSlope: Double, initialStep: Double, maximumStep: Double,
        sufficientDecrease: Double, curvature: Double, maxEvaluations: Int
    ) {
        precondition(initialSlope < 0, "StrongWolfeLineSearch: φ′(0) = \(initialSlope) must be negative")
        precondition(
            initialStep > 0 && initialStep <= maximumStep,
            "StrongWolfeLineSearch: need 0 < initialStep (\(initialStep)) ≤ maximumStep (\(maximumStep))")
        self.initialValue = initialValue
        self.initialSlope = initialSlope
        self.maximumStep = maximumStep
        self.sufficientDecrease = sufficientDecrease
        self.curvature = curvature
        self.maxEvaluations = maxEvaluations
        self.trialStep = initialStep
        self.phase = .bracketing(previous: Sample(step: 0, value: initialValue, slope: initialSlope))
    }

    /// Reports φ and φ′ at ``trialStep`` and decides what comes next.
    ///
    /// - Parameters:
    ///   - value: φ(trialStep); pass +∞ if the objective was not finite there.
    ///   - slope: φ′(trialStep); ignored when `value` is +∞.
    /// - Complexity: O(1).
    mutating func observe(value rawValue: Double, slope rawSlope: Double) -> Decision {
        evaluations += 1
        let finite = rawValue.isFinite && rawSlope.isFinite
        let current = Sample(step: trialStep, value: finite ? rawValue : .infinity, slope: finite ? rawSlope : .nan)
        let armijo = current.value <= initialValue + sufficientDecrease * current.step * initialSlope
        let strongCurvature = abs(current.slope) <= -curvature * initialSlope
        var shrunkEnough = true

        switch phase {
        case .bracketing(let previous):
            // Algorithm 3.5. `previous.step > 0` is N&W's "i > 1".
            let entryWidths = (Double.infinity, abs(current.step - previous.step))
            if !armijo || (previous.step > 0 && current.value >= previous.value) {
                phase = .zoom(low: previous, high: current, widths: entryWidths)
            } else if strongCurvature {
                return .accept
            } else if current.slope >= 0 {
                phase = .zoom(low: current, high: previous, widths: entryWidths)
            } else if current.step >= maximumStep {
                // Still descending at the box boundary with sufficient decrease: take it.
                return .accept
            } else {
                guard evaluations < maxEvaluations else {
                    return .fail("no bracket after \(evaluations) evaluations (step \(current.step))")
                }
                // Extrapolate: cubic minimiser of the last two samples, kept within
                // [α + 1.1(α − α_prev), α + 4(α − α_prev)] (the extrapolation limits of
                // Moré & Thuente 1994) so steps grow geometrically, and never beyond α_max.
                let width = current.step - previous.step
                let lowerLimit = current.step + 1.1 * width
                let upperLimit = current.step + 4 * width
                var next = Self.cubicMinimizer(previous, current) ?? upperLimit
                if !(next >= lowerLimit) { next = upperLimit }
                next = min(next, upperLimit, maximumStep)
                phase = .bracketing(previous: current)
                trialStep = next
                return .evaluate
            }
        case .zoom(var low, var high, let widths):
            // Algorithm 3.6, except that a tie φ(α_j) = φ(α_lo) is decided by the derivative
            // (N&W move α_j to α_hi): near the minimiser the values agree to rounding and only
            // φ′ still tells the steps apart. α_lo stays a lowest-value step either way.
            if !armijo || current.value > low.value {
                high = current
            } else {
                if strongCurvature { return .accept }
                if current.slope * (high.step - low.step) >= 0 { high = low }
                low = current
            }
            let newWidth = abs(high.step - low.step)
            shrunkEnough = newWidth < 0.66 * widths.0
            phase = .zoom(low: low, high: high, widths: (widths.1, newWidth))
        }

        guard case .zoom(let low, let high, _) = phase else { return .fail("unreachable line-search phase") }
        guard evaluations < maxEvaluations else {
            return .fail("no strong Wolfe step after \(evaluations) evaluations (interval [\(min(low.step, high.step)), \(max(low.step, high.step))])")
        }
        let width = high.step - low.step
        // Relative interval width at rounding level: no representable progress is possible.
        guard abs(width) > 4 * Double.ulpOfOne * max(abs(low.step), abs(high.step)) else {
            return .fail("zoom interval shrank to rounding level at step \(low.step)")
        }
        // Trial: the cubic minimiser if it lies strictly inside the interval, else bisection.
        // Safeguard (Moré & Thuente 1994): bisect whenever the interval has not shrunk to
        // 2/3 of its width two zoom steps ago, so it shrinks geometrically even when the
        // interpolant keeps landing next to one end. Unlike clamping trials away from the
        // ends, this lets the cubic step land right next to α_lo, where the minimiser
        // usually is. An interval whose far end is +∞ (failed evaluation) is bisected.
        let bisection = low.step + 0.5 * width
        var next = bisection
        if shrunkEnough, let cubic = Self.cubicMinimizer(low, high),
           cubic > min(low.step, high.step), cubic < max(low.step, high.step) {
            next = cubic
        }
        trialStep = next
        return .evaluate
    }

    /// The minimiser of the cubic interpolating φ and φ′ at two steps (N&W eq. 3.59):
    /// ```
    /// d₁ = φ′₀ + φ′₁ − 3 (φ₀ − φ₁)/(α₀ − α₁)
    /// d₂ = sign(α₁ − α₀) √(d₁² − φ′₀ φ′₁)
    /// α  = α₁ − (α₁ − α₀) (φ′₁ + d₂ − d₁) / (φ′₁ − φ′₀ + 2 d₂)
    /// ```
    /// `nil` when the cubic has no local minimiser (d₁² < φ′₀φ′₁), or the data are not finite,
    /// or the result is not finite (coincident steps, zero denominator).
    static func cubicMinimizer(_ p: Sample, _ q: Sample) -> Double? {
        guard p.value.isFinite, q.value.isFinite, p.slope.isFinite, q.slope.isFinite, p.step != q.step else {
            return nil
        }
        let d1 = p.slope + q.slope - 3 * (p.value - q.value) / (p.step - q.step)
        let radicand = d1 * d1 - p.slope * q.slope
        guard radicand >= 0 else { return nil }
        let d2 = (q.step > p.step ? 1.0 : -1.0) * radicand.squareRoot()
        let denominator = q.slope - p.slope + 2 * d2
        guard denominator != 0 else { return nil }
        let step = q.step - (q.step - p.step) * (q.slope + d2 - d1) / denominator
        return step.isFinite ? step : nil
    }
}
