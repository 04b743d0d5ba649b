import Foundation
package import Optimizer

/// `KEY=VALUE` settings of the Bayesian sampler for `hdbench bench quality --set`, so that a
/// sampler study (a prior, the initial design, the acquisition budget) can be reproduced from
/// the command line without editing code. Each key maps onto a public option of
/// ``BayesianOptimizerOptions``, ``GaussianProcessPrior`` or ``BayesianSampler``.
package enum BayesianSetting {
    /// Every key with what it sets; the defaults quoted are read from the option types, so the
    /// help cannot drift from them.
    package static let keys: KeyValuePairs<String, String> = {
        let options = BayesianOptimizerOptions(), fit = options.fit, prior = fit.prior
        func g(_ v: Double) -> String { String(format: "%g", v).replacingOccurrences(of: "-", with: "−") }
        func choices(_ all: [String], default d: String) -> String {
            all.map { $0 == d ? "\($0) (default)" : $0 }.joined(separator: " or ")
        }
        return [
            "initial_design": "trials drawn before the surrogate is used (default \(BayesianSampler.defaultInitialDesignSize))",
            "initial_points": "\(choices(BayesianSampler.InitialDesign.allCases.map(\.rawValue), default: BayesianSampler.defaultInitialDesign.rawValue)): how the initial design is drawn",
            "incumbent_shrinkage": "s in [0, 1]: EI improves on (1 − s)·best observed + s·best posterior mean (default \(g(options.incumbentShrinkage)))",
            "length_scale_prior_loc": "mean of log ℓ (default \(g(prior.lengthScaleLocationOffset)))",
            "length_scale_prior_scale": "sd of log ℓ (default \(g(prior.lengthScaleScale)))",
            "noise_prior_loc": "mean of log σ²ₙ (default \(g(prior.logNoiseLocation)))",
            "noise_prior_scale": "sd of log σ²ₙ (default \(g(prior.logNoiseScale)))",
            "signal_prior_loc": "mean of log σ² (default \(g(prior.logSignalLocation)))",
            "signal_prior_scale": "sd of log σ² (default \(g(prior.logSignalScale)))",
            "warm_starts": "hyperparameter starts with a warm start (default \(fit.warmStarts))",
            "cold_starts": "hyperparameter starts without one (default \(fit.coldStarts))",
            "candidates": "quasi-random candidates scored per suggestion (default \(options.acquisition.candidateCount))",
            "restarts": "L-BFGS-B runs on the acquisition (default \(options.acquisition.restartCount))",
            "acquisition": choices(["log_ei", "ei"], default: options.logExpectedImprovement ? "log_ei" : "ei"),
            "output_warping": choices(["log_gap_when_heavy_tailed", "none"],
                                      default: options.outputWarping == .none ? "none" : "log_gap_when_heavy_tailed"),
            "prior_mean": "the surrogate's constant prior mean: \(choices(PriorMean.allCases.map(\.rawValue), default: options.priorMean.rawValue))",
            "trust_region": "\(choices(["on", "off"], default: options.trustRegion.isEnabled ? "on" : "off")): confine the acquisition search to a TuRBO trust region from \(options.trustRegion.threshold) observations on",
            "trust_region_threshold": "observations from which the trust region applies (default \(options.trustRegion.threshold))",
            "trust_region_local": "k or off (default \(options.trustRegion.localModelSize.map(String.init) ?? "off")): fit the GP inside the trust region to the k observations nearest its centre",
            "trust_region_restart": "\(choices(TrustRegionOptions.Restart.allCases.map(\.rawValue), default: options.trustRegion.restart.rawValue)): where a collapsed trust region restarts",
            "trust_region_prior_mean": "the trust region's local model's prior mean: \(PriorMean.allCases.map(\.rawValue).joined(separator: " or ")) (default: prior_mean's)",
            "trust_region_design": "random points drawn after a restart in a new region (default \(options.trustRegion.restartDesignSize))",
            "discrete_search": "\(choices(["on", "off"], default: Settings().searchesDiscreteCoordinates ? "on" : "off")): maximise over runnable points or the relaxation",
        ]
    }()

    /// Bayesian sampler settings: optimiser options plus the sampler's own switches.
    package struct Settings: Sendable {
        /// The optimiser's options (fit, acquisition, incumbent shrinkage, warping).
        package var options = BayesianOptimizerOptions()
        /// Trials drawn before the surrogate is used; `nil` keeps the sampler's default.
        package var initialDesignSize: Int?
        /// See ``BayesianSampler/searchesDiscreteCoordinates``.
        package var searchesDiscreteCoordinates = true
        /// How the sampler's initial design is drawn; `nil` keeps the sampler's default.
        package var initialDesign: BayesianSampler.InitialDesign?
        /// The assignments as given, in order (for labelling results).
        package var assignments: [String] = []

        package init() {}

        /// A sampler with these settings.
        package func sampler(space: SearchSpace, seed: UInt64) -> BayesianSampler {
            var s = BayesianSampler(space: space, seed: seed, initialDesignSize: initialDesignSize,
                                    initialDesign: initialDesign, options: options)
            s.searchesDiscreteCoordinates = searchesDiscreteCoordinates
            return s
        }
    }

    /// Parses `KEY=VALUE` assignments.
    ///
    /// - Throws: ``ConfigurationError`` naming every malformed assignment, unknown key or bad
    ///   value (path `--set KEY`).
    package static func parse(_ assignments: [String]) throws(ConfigurationError) -> Settings {
        var s = Settings()
        s.assignments = assignments
        var problems: [ConfigurationProblem] = []
        for a in assignments {
            guard let eq = a.firstIndex(of: "=") else {
                problems.append(.init(path: "--set", message: "'\(a)' is not KEY=VALUE"))
                continue
            }
            let key = String(a[..<eq]), value = String(a[a.index(after: eq)...])
            func number() -> Double? {
                guard let v = Double(value), v.isFinite else {
                    problems.append(.init(path: "--set \(key)", message: "'\(value)' is not a finite number"))
                    return nil
                }
                return v
            }
            func count(min lower: Int) -> Int? {
                guard let v = Int(value), v >= lower else {
                    problems.append(.init(path: "--set \(key)", message: "'\(value)' is not an integer ≥ \(lower)"))
                    return nil
                }
                return v
            }
            func positive() -> Double? {
                guard let v = number() else { return nil }
                guard v > 0 else {
                    problems.append(.init(path: "--set \(key)", message: "'\(value)' must be > 0"))
                    return nil
                }
                return v
            }
            func fraction() -> Double? {
                guard let v = number() else { return nil }
                guard (0...1).contains(v) else {
                    problems.append(.init(path: "--set \(key)", message: "'\(value)' must be between 0 and 1"))
                    return nil
                }
                return v
            }
            func oneOf(_ allowed: [String]) -> String? {
                guard allowed.contains(value) else {
                    problems.append(.init(path: "--set \(key)", message: "'\(value)' must be one of \(allowed.joined(separator: ", "))"))
                    return nil
                }
                return value
            }
            switch key {
            case "initial_design": if let v = count(min: 1) { s.initialDesignSize = v }
            case "initial_points":
                if let v = oneOf(BayesianSampler.InitialDesign.allCases.map(\.rawValue)) { s.initialDesign = .init(rawValue: v)! }
            case "incumbent_shrinkage": if let v = fraction() { s.options.incumbentShrinkage = v }
            case "length_scale_prior_loc": if let v = number() { s.options.fit.prior.lengthScaleLocationOffset = v }
            case "length_scale_prior_scale": if let v = positive() { s.options.fit.prior.lengthScaleScale = v }
            case "noise_prior_loc": if let v = number() { s.options.fit.prior.logNoiseLocation = v }
            case "noise_prior_scale": if let v = positive() { s.options.fit.prior.logNoiseScale = v }
            case "signal_prior_loc": if let v = number() { s.options.fit.prior.logSignalLocation = v }
            case "signal_prior_scale": if let v = positive() { s.options.fit.prior.logSignalScale = v }
            case "warm_starts": if let v = count(min: 1) { s.options.fit.warmStarts = v }
            case "cold_starts": if let v = count(min: 1) { s.options.fit.coldStarts = v }
            case "candidates": if let v = count(min: 1) { s.options.acquisition.candidateCount = v }
            case "restarts": if let v = count(min: 0) { s.options.acquisition.restartCount = v }
            case "acquisition": if let v = oneOf(["log_ei", "ei"]) { s.options.logExpectedImprovement = v == "log_ei" }
            case "output_warping":
                if let v = oneOf(["log_gap_when_heavy_tailed", "none"]) {
                    s.options.outputWarping = v == "none" ? .none : .logGapWhenHeavyTailed
                }
            case "prior_mean":
                if let v = oneOf(PriorMean.allCases.map(\.rawValue)) { s.options.priorMean = PriorMean(rawValue: v)! }
            case "trust_region": if let v = oneOf(["on", "off"]) { s.options.trustRegion.isEnabled = v == "on" }
            case "trust_region_threshold": if let v = count(min: 1) { s.options.trustRegion.threshold = v }
            case "trust_region_local":
                if value == "off" { s.options.trustRegion.localModelSize = nil } else if let v = count(min: 2) { s.options.trustRegion.localModelSize = v }
            case "trust_region_restart":
                if let v = oneOf(TrustRegionOptions.Restart.allCases.map(\.rawValue)) { s.options.trustRegion.restart = .init(rawValue: v)! }
            case "trust_region_prior_mean":
                if let v = oneOf(PriorMean.allCases.map(\.rawValue)) { s.options.trustRegion.localPriorMean = PriorMean(rawValue: v)! }
            case "trust_region_design": if let v = count(min: 1) { s.options.trustRegion.restartDesignSize = v }
            case "discrete_search": if let v = oneOf(["on", "off"]) { s.searchesDiscreteCoordinates = v == "on" }
            default:
                problems.append(.init(path: "--set \(key)", message: "unknown setting; known: \(keys.map(\.key).joined(separator: ", "))"))
            }
        }
        if !problems.isEmpty { throw ConfigurationError(problems) }
        return s
    }
}
