import Foundation
import Testing
@testable import OptimizerNumerics
import TestSupport

/// A random symmetric positive definite matrix A = BᵀB + n·I.
private func randomSPD(_ n: Int, using rng: inout SeededGenerator) -> Matrix {
    let b = randomMatrix(rows: n, columns: n, using: &rng)
    var a = Matrix.product(b, b, transposeA: true)
    for i in 0..<n { a[i, i] += Double(n) }
    return a
}

private func maxAbsDifference(_ a: Matrix, _ b: Matrix) -> Double {
    zip(a.elements, b.elements).map { abs($0 - $1) }.max() ?? 0
}

@Suite struct CholeskyFactorTests {
    @Test func reconstructsTheMatrix() throws {
        var rng = SeededGenerator(seed: 1)
        let a = randomSPD(40, using: &rng)
        let f = try CholeskyFactor(factoring: a)
        let llt = Matrix.product(f.lower, f.lower, transposeB: true)
        // Backward-stable: ‖LLᵀ − A‖ ≲ n·ε·‖A‖; entries of A are ≲ 60 here.
        #expect(maxAbsDifference(llt, a) < 1e-11)
        for j in 0..<40 { for i in 0..<j { #expect(f.lower[i, j] == 0) } }
    }

    @Test func solveAndLogDeterminantAgreeWithInverse() throws {
        var rng = SeededGenerator(seed: 2)
        let a = randomSPD(25, using: &rng)
        let f = try CholeskyFactor(factoring: a)
        let b = randomMatrix(rows: 25, columns: 3, using: &rng)
        let x = f.solve(b)
        #expect(maxAbsDifference(Matrix.product(a, x), b) < 1e-12)
        let inv = try f.inverse()
        #expect(maxAbsDifference(Matrix.product(a, inv), Matrix.identity(25)) < 1e-12)
        // log det of a diagonal matrix is exact to rounding.
        var diag = Matrix(rows: 3, columns: 3)
        diag[0, 0] = 2; diag[1, 1] = 3; diag[2, 2] = 5
        #expect(abs(try CholeskyFactor(factoring: diag).logDeterminant - log(30)) < 1e-14)
    }

    @Test func triangularSolvesInvertTheFactor() throws {
        var rng = SeededGenerator(seed: 3)
        let a = randomSPD(30, using: &rng)
        let f = try CholeskyFactor(factoring: a)
        let b = randomMatrix(rows: 30, columns: 5, using: &rng)
        #expect(maxAbsDifference(Matrix.product(f.lower, f.solveTriangular(b)), b) < 1e-12)
        #expect(maxAbsDifference(Matrix.product(f.lower, f.solveTriangular(b, transposed: true), transposeA: true), b) < 1e-12)
    }

    @Test func indefiniteMatrixIsATypedError() {
        let a = Matrix(rowVectors: [[1, 2, 0], [2, 1, 0], [0, 0, 1]])
        #expect(throws: LAPACKError.notPositiveDefinite(leadingMinor: 2)) { try CholeskyFactor(factoring: a) }
        var nan = Matrix.identity(2)
        nan[1, 0] = .nan
        #expect(throws: LAPACKError.nonFiniteInput(routine: "dpotrf")) { try CholeskyFactor(factoring: nan) }
    }

    /// Metamorphic: appending k rows/columns equals factorising the bordered matrix afresh.
    @Test(arguments: 0..<16)
    func incrementalAppendEqualsRefactorisation(seed: UInt64) throws {
        var rng = SeededGenerator(seed: 100 + seed)
        let n = Int.random(in: 1...40, using: &rng)
        let k = Int.random(in: 1...8, using: &rng)
        let full = randomSPD(n + k, using: &rng)
        var lead = Matrix(rows: n, columns: n), cross = Matrix(rows: n, columns: k), block = Matrix(rows: k, columns: k)
        for j in 0..<(n + k) {
            for i in 0..<(n + k) {
                if i < n && j < n { lead[i, j] = full[i, j] }
                if i < n && j >= n { cross[i, j - n] = full[i, j] }
                if i >= n && j >= n { block[i - n, j - n] = full[i, j] }
            }
        }
        let grown = try CholeskyFactor(factoring: lead).appending(cross: cross, block: block)
        let fresh = try CholeskyFactor(factoring: full)
        // Both are backward stable factorisations of the same well-conditioned matrix
        // (condition number ≲ 10 by construction), so the factors agree to ~1e-13 relative.
        #expect(maxAbsDifference(grown.lower, fresh.lower) < 1e-11, "seed \(seed), n \(n), k \(k)")
    }

    @Test func appendingADuplicateRowFailsAsAValue() throws {
        let a = Matrix(rowVectors: [[1, 0.5], [0.5, 1]])
        let f = try CholeskyFactor(factoring: a)
        // The new row duplicates row 0: the Schur complement is exactly 0.
        let cross = Matrix(rows: 2, columns: 1, columnMajor: [1, 0.5])
        let block = Matrix(rows: 1, columns: 1, columnMajor: [1])
        #expect(throws: LAPACKError.self) { try f.appending(cross: cross, block: block) }
    }
}
