import Foundation
import Testing
@testable import OptimizerNumerics
import TestSupport

private struct GPFixture: Decodable {
    struct Case: Decodable {
        let name: String
        let n: Int, d: Int, m: Int
        let x: [[Double]], y: [Double], z: [[Double]]
        let log_length_scales: [Double]
        let log_signal_variance: Double
        let log_noise_variance: Double
        let kernel_xz: [[Double]]
        let kernel_xx: [[Double]]
        let mean: [Double]
        let variance: [Double]
        let log_marginal_likelihood: Double
        let log_marginal_likelihood_gradient: [Double]

        var hyperparameters: GaussianProcessHyperparameters {
            .init(logLengthScales: log_length_scales, logSignalVariance: log_signal_variance, logNoiseVariance: log_noise_variance)
        }
    }
    let sklearn: String
    let cases: [Case]
}

private let fixture: GPFixture = try! loadFixture("gp")

private func relativeError(_ a: Double, _ b: Double) -> Double { abs(a - b) / max(abs(b), 1e-300) }

@Suite struct GaussianProcessReferenceTests {
    /// Against scikit-learn's kernel: same closed form, so agreement is to rounding
    /// (distances via ‖a‖² + ‖b‖² − 2a·b lose ~1e-15·‖x̂‖² absolute; 1e-10 leaves margin).
    @Test(arguments: fixture.cases.map(\.name))
    func kernelMatchesScikitLearn(name: String) throws {
        let c = try #require(fixture.cases.first { $0.name == name })
        let kernel = c.hyperparameters.kernel
        let kxz = kernel.covariance(Matrix(rowVectors: c.x), Matrix(rowVectors: c.z))
        let kxx = kernel.covariance(Matrix(rowVectors: c.x))
        let noise = exp(c.log_noise_variance)
        for i in 0..<c.n {
            for j in 0..<c.m { #expect(abs(kxz[i, j] - c.kernel_xz[i][j]) < 1e-10) }
            for j in 0..<c.n { #expect(abs(kxx[i, j] + (i == j ? noise : 0) - c.kernel_xx[i][j]) < 1e-10) }
        }
    }

    /// Posterior mean and variance: both sides solve the same SPD system by Cholesky; the
    /// worst conditioning here (noise 1e-4, n = 60) gives cond(K) ≈ 1e5, so relative agreement
    /// ≈ 1e-16·1e5 — we allow 1e-8 absolute.
    @Test(arguments: fixture.cases.map(\.name))
    func posteriorMatchesScikitLearn(name: String) throws {
        let c = try #require(fixture.cases.first { $0.name == name })
        let gp = try GaussianProcess(inputs: Matrix(rowVectors: c.x), targets: c.y, hyperparameters: c.hyperparameters)
        #expect(gp.jitter == 0)
        let p = gp.predict(Matrix(rowVectors: c.z))
        for b in 0..<c.m {
            #expect(abs(p.mean[b] - c.mean[b]) < 1e-8, "mean \(b)")
            #expect(abs(p.variance[b] - c.variance[b]) < 1e-8, "variance \(b)")
        }
    }

    /// Log marginal likelihood and its gradient in every log-hyperparameter (sklearn's
    /// analytic gradient; ours is computed differently — via one dgemm — so agreement to 1e-7
    /// relative shows the algebra, not shared code).
    @Test(arguments: fixture.cases.map(\.name))
    func likelihoodMatchesScikitLearn(name: String) throws {
        let c = try #require(fixture.cases.first { $0.name == name })
        let r = try #require(GaussianProcess.logMarginalLikelihood(inputs: Matrix(rowVectors: c.x), targets: c.y, hyperparameters: c.hyperparameters))
        #expect(relativeError(r.value, c.log_marginal_likelihood) < 1e-9)
        for (g, ref) in zip(r.gradient, c.log_marginal_likelihood_gradient) {
            #expect(abs(g - ref) < 1e-7 * max(1, abs(ref)), "gradient \(g) vs \(ref)")
        }
    }
}

@Suite struct GaussianProcessPropertyTests {
    private static func randomProblem(seed: UInt64, n: Int? = nil) -> (GaussianProcess, Matrix, SeededGenerator) {
        var rng = SeededGenerator(seed: seed)
        let d = Int.random(in: 1...5, using: &rng)
        let n = n ?? Int.random(in: 2...30, using: &rng)
        let x = randomMatrix(rows: n, columns: d, using: &rng)
        let y = (0..<n).map { i in sin(5 * x[i, 0]) + Double.random(in: -0.1...0.1, using: &rng) }
        let theta = GaussianProcessHyperparameters(
            logLengthScales: (0..<d).map { _ in Double.random(in: -2.5...1, using: &rng) },
            logSignalVariance: Double.random(in: -1...1, using: &rng),
            logNoiseVariance: Double.random(in: -10 ... -1, using: &rng))
        let gp = try! GaussianProcess(inputs: x, targets: y, hyperparameters: theta)
        let z = randomMatrix(rows: 8, columns: d, using: &rng)
        return (gp, z, rng)
    }

    @Test(arguments: 0..<32)
    func varianceStaysBetweenZeroAndThePrior(seed: UInt64) {
        let (gp, z, _) = Self.randomProblem(seed: seed)
        let prior = exp(gp.hyperparameters.logSignalVariance)
        let p = gp.predict(z.appendingRows(gp.inputs))
        for v in p.variance { #expect(v >= 0 && v <= prior * (1 + 1e-12), "seed \(seed): \(v) vs prior \(prior)") }
    }

    /// ∇μ and ∇σ² against central differences with step 1e-6: truncation O(h²) ≈ 1e-12
    /// times third derivatives (≲ 1/ℓ³ ≈ 2e3 for ℓ ≥ e^-2.5), rounding ε·|f|/h ≈ 1e-10.
    @Test(arguments: 0..<32)
    func posteriorGradientsMatchCentralDifferences(seed: UInt64) {
        let (gp, z, _) = Self.randomProblem(seed: seed)
        let p = gp.predictWithGradient(z)
        let h = 1e-6
        for b in 0..<z.rows {
            for j in 0..<z.columns {
                var plus = z.rows(b..<(b + 1)), minus = plus
                plus[0, j] += h; minus[0, j] -= h
                let pp = gp.predict(plus), pm = gp.predict(minus)
                let dm = (pp.mean[0] - pm.mean[0]) / (2 * h)
                let dv = (pp.variance[0] - pm.variance[0]) / (2 * h)
                #expect(abs(p.meanGradient![b, j] - dm) < 1e-5 * max(1, abs(dm)), "seed \(seed) mean ∂\(j)")
                #expect(abs(p.varianceGradient![b, j] - dv) < 1e-5 * max(1, abs(dv)), "seed \(seed) variance ∂\(j)")
            }
        }
    }

    @Test(arguments: 0..<24)
    func likelihoodGradientMatchesCentralDifferences(seed: UInt64) throws {
        let (gp, _, _) = Self.randomProblem(seed: seed)
        let theta = gp.hyperparameters.packed
        let r = try #require(GaussianProcess.logMarginalLikelihood(inputs: gp.inputs, targets: gp.targets, hyperparameters: gp.hyperparameters))
        let h = 1e-5
        for p in theta.indices {
            var plus = theta, minus = theta
            plus[p] += h; minus[p] -= h
            let fp = try #require(GaussianProcess.logMarginalLikelihood(inputs: gp.inputs, targets: gp.targets, hyperparameters: .init(packed: plus)))
            let fm = try #require(GaussianProcess.logMarginalLikelihood(inputs: gp.inputs, targets: gp.targets, hyperparameters: .init(packed: minus)))
            let fd = (fp.value - fm.value) / (2 * h)
            // Rounding in the difference: ε·|LML|/h ≲ 1e-11·|LML|/1e-5; LML is O(n) here.
            #expect(abs(r.gradient[p] - fd) < 1e-4 * max(1, abs(fd)), "seed \(seed) θ\(p): \(r.gradient[p]) vs \(fd)")
        }
    }

    @Test(arguments: 0..<8)
    func predictionsAreInvariantToRowOrder(seed: UInt64) throws {
        var (gp, z, rng) = Self.randomProblem(seed: seed)
        let order = Array(0..<gp.count).shuffled(using: &rng)
        var x = Matrix(rows: gp.count, columns: gp.dimension)
        for (k, i) in order.enumerated() { for j in 0..<gp.dimension { x[k, j] = gp.inputs[i, j] } }
        let shuffled = try GaussianProcess(inputs: x, targets: order.map { gp.targets[$0] }, hyperparameters: gp.hyperparameters)
        let a = gp.predict(z), b = shuffled.predict(z)
        for i in 0..<z.rows {
            #expect(abs(a.mean[i] - b.mean[i]) < 1e-8)
            #expect(abs(a.variance[i] - b.variance[i]) < 1e-8)
        }
    }

    @Test(arguments: 0..<8)
    func appendingEqualsRebuilding(seed: UInt64) throws {
        let (gp, z, _) = Self.randomProblem(seed: seed, n: 20)
        let head = try GaussianProcess(inputs: gp.inputs.rows(0..<15), targets: Array(gp.targets[0..<15]), hyperparameters: gp.hyperparameters)
        let grown = try head.appending(inputs: gp.inputs.rows(15..<20), targets: Array(gp.targets[15..<20]))
        let a = grown.predict(z), b = gp.predict(z)
        for i in 0..<z.rows {
            #expect(abs(a.mean[i] - b.mean[i]) < 1e-8, "seed \(seed)")
            #expect(abs(a.variance[i] - b.variance[i]) < 1e-8, "seed \(seed)")
        }
    }
}

@Suite struct GaussianProcessBadInputTests {
    let theta = GaussianProcessHyperparameters(logLengthScales: [log(0.3), log(0.3)], logSignalVariance: 0, logNoiseVariance: log(1e-6))

    /// μ(X) = y − (σ²ₙ + jitter)·α equals the posterior mean computed through the kernel: with
    /// noise, with duplicate inputs at the noise floor of the fit's bounds (10⁻⁶), and with
    /// duplicates and no noise at all, where `dpotrf` needs jitter. Both paths lose about
    /// cond(K)·ε relative to ‖y‖: cond ≈ 25/σ²ₙ gives ~1e-14, ~1e-9 and (jitter 10⁻¹⁰) ~1e-5.
    @Test(arguments: [(log(0.05), false, 1e-11), (log(1e-6), true, 1e-7), (-800.0, true, 1e-4)])
    func meanAtInputsEqualsThePrediction(logNoise: Double, duplicates: Bool, tolerance: Double) throws {
        var rng = SplitMix64(seed: 31)
        var x = QuasiRandom.unitCube(count: 25, dimension: 3, seed: 33)
        if duplicates { for j in 0..<3 { x[1, j] = x[0, j]; x[2, j] = x[0, j] } }
        let y = (0..<25).map { _ in standardNormal(using: &rng) }
        let h = GaussianProcessHyperparameters(logLengthScales: [-1, -0.5, 0], logSignalVariance: 0, logNoiseVariance: logNoise)
        let gp = try GaussianProcess(inputs: x, targets: y, hyperparameters: h)
        #expect((logNoise < -100) == (gp.jitter > 0))
        let direct = gp.predict(x).mean
        let scale = y.map { $0 * $0 }.reduce(0, +).squareRoot()
        let error = zip(gp.meanAtInputs, direct).map { abs($0 - $1) }.max()!
        #expect(error <= tolerance * scale, "max |Δμ| = \(error), ‖y‖ = \(scale)")
    }

    @Test func noObservationsGiveThePrior() throws {
        let gp = try GaussianProcess(inputs: Matrix(rows: 0, columns: 2), targets: [], hyperparameters: theta)
        let p = gp.predictWithGradient(Matrix(rowVectors: [[0.2, 0.4], [0.9, 0.1]]))
        #expect(p.mean == [0, 0])
        #expect(p.variance == [1, 1])
        #expect(p.meanGradient!.elements.allSatisfy { $0 == 0 })
    }

    @Test func oneObservationIsInterpolated() throws {
        let gp = try GaussianProcess(inputs: Matrix(rowVectors: [[0.5, 0.5]]), targets: [2], hyperparameters: theta)
        let p = gp.predict(Matrix(rowVectors: [[0.5, 0.5], [5, 5]]))
        #expect(abs(p.mean[0] - 2) < 1e-5)      // noise 1e-6 against σ² = 1
        #expect(abs(p.mean[1]) < 1e-12)         // far away: the prior mean
        #expect(abs(p.variance[1] - 1) < 1e-12)
    }

    @Test func nonFiniteObservationsAreRejectedByIndex() {
        let x = Matrix(rowVectors: [[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]])
        #expect(throws: GaussianProcessError.nonFiniteTarget(index: 1, value: .infinity)) {
            try GaussianProcess(inputs: x, targets: [0, .infinity, 1], hyperparameters: theta)
        }
        var bad = x
        bad[2, 1] = .nan
        #expect(throws: GaussianProcessError.nonFiniteInput(index: 2)) {
            try GaussianProcess(inputs: bad, targets: [0, 1, 2], hyperparameters: theta)
        }
    }

    @Test func duplicatePointsAndConstantOutputsFit() throws {
        let noiseless = GaussianProcessHyperparameters(logLengthScales: [0, 0], logSignalVariance: 0, logNoiseVariance: -80)
        let x = Matrix(rowVectors: Array(repeating: [0.3, 0.3], count: 5) + [[0.6, 0.1]])
        let gp = try GaussianProcess(inputs: x, targets: [1, 1, 1, 1, 1, 1], hyperparameters: noiseless)
        #expect(gp.jitter > 0)   // five identical rows and no noise: the ladder had to step in
        let p = gp.predict(Matrix(rowVectors: [[0.3, 0.3]]))
        #expect(abs(p.mean[0] - 1) < 1e-3)
        #expect(p.variance[0].isFinite)
    }
}
