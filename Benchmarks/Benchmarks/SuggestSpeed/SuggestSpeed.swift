// One cold Bayesian suggestion (hyperparameter fit + acquisition maximisation) on n
// quasi-random observations of Hartmann-6, for n = 100, 500, 1000, 2000 — plus LAPACK dpotrf
// alone at the same n, the machine's limit, so results can be read as ratios.
// Every run prints the BLAS build and thread count.
import Benchmark
import Optimizer
import OptimizerBenchmarks

let benchmarks: @Sendable () -> Void = {
    BLAS.setThreadCount(1)
    print("BLAS: \(BLAS.configuration), threads: \(BLAS.threadCount)")
    if let core = BLAS.recommendedCoreType() {
        print("warning: OpenBLAS fell back to \(BLAS.coreName) kernels on this CPU; rerun with OPENBLAS_CORETYPE=\(core)")
    }
    let sizes = [100, 500, 1000, 2000]
    for n in sizes {
        Benchmark("suggest cold n=\(n) d=6",
                  configuration: .init(metrics: [.wallClock, .cpuTotal, .peakMemoryResident, .mallocCountTotal],
                                       maxDuration: .seconds(20), maxIterations: n >= 1000 ? 3 : 10)) { benchmark in
            let f = TestFunction.hartmann6
            let x = QuasiRandom.unitCube(count: n, dimension: 6, seed: 0)
            let y = (0..<n).map { -f.evaluate(unitCube: x.row($0)) }
            let candidates = QuasiRandom.unitCube(count: 2048, dimension: 6, seed: 1)
            benchmark.startMeasurement()
            for i in benchmark.scaledIterations {
                var optimizer = BayesianOptimizer()
                var rng = SplitMix64(seed: UInt64(i))
                blackHole(try optimizer.suggest(observed: x, values: y, candidates: candidates, warm: false, using: &rng).point)
            }
        }
        Benchmark("dpotrf n=\(n)",
                  configuration: .init(metrics: [.wallClock, .cpuTotal], maxDuration: .seconds(5))) { benchmark in
            let x = QuasiRandom.unitCube(count: n, dimension: 6, seed: 0)
            let kernel = MaternKernel(logLengthScales: Array(repeating: -1, count: 6), logSignalVariance: 0)
            var k = kernel.covariance(x)
            for i in 0..<n { k[i, i] += 1e-3 }
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                blackHole(try CholeskyFactor(factoring: k).logDeterminant)
            }
        }
    }
}
