import Foundation
internal import CBLASShim

// Notation: K is n×n symmetric positive definite; K = L·Lᵀ with L lower triangular, stored
// column-major in an n×n `Matrix` whose strict upper triangle is zero. B is n×m.

/// The Cholesky factor `L` of a symmetric positive definite matrix, with solves,
/// log-determinant, inverse and an incremental append.
public struct CholeskyFactor: Sendable {
    /// The lower-triangular factor (upper triangle zero).
    public private(set) var lower: Matrix

    /// The order n.
    public var order: Int { lower.rows }

    /// Factors `matrix` (only its lower triangle is read) with LAPACK `dpotrf`.
    ///
    /// ```
    /// K = L·Lᵀ
    /// ```
    /// - Throws: ``LAPACKError/notPositiveDefinite(leadingMinor:)`` when K is not numerically
    ///   positive definite; ``LAPACKError/nonFiniteInput(routine:)`` when K holds NaN/∞.
    /// - Complexity: n³/3 flops, one LAPACK call.
    /// Pass the matrix with `consume` when it is not needed afterwards: the factor then
    /// overwrites it in place instead of copying it (no second n×n matrix).
    public init(factoring matrix: consuming Matrix) throws(LAPACKError) {
        precondition(matrix.rows == matrix.columns, "CholeskyFactor: matrix is \(matrix.rows)×\(matrix.columns), not square")
        let n = matrix.rows
        var a = consume matrix
        for j in 0..<n {
            for i in j..<n where !a.elements[i + j * n].isFinite { throw .nonFiniteInput(routine: "dpotrf") }
            for i in 0..<j { a.elements[i + j * n] = 0 }
        }
        if n > 0 {
            let info = a.elements.withUnsafeMutableBufferPointer { p in
                LAPACKE_dpotrf_work(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "L")), Int32(n), p.baseAddress, Int32(n))
            }
            try LAPACKError.check(info, routine: "dpotrf")
        }
        self.lower = a
    }

    /// Wraps an existing lower-triangular factor.
    public init(lower: Matrix) {
        precondition(lower.rows == lower.columns, "CholeskyFactor: factor is \(lower.rows)×\(lower.columns)")
        self.lower = lower
    }

    /// log det K = 2 Σᵢ log Lᵢᵢ.
    ///
    /// - Complexity: n.
    public var logDeterminant: Double {
        var s = 0.0
        for i in 0..<order { s += log(lower.elements[i + i * order]) }
        return 2 * s
    }

    /// Solves K·X = B (two triangular solves, `dpotrs`).
    ///
    /// - Complexity: 2n²m flops.
    public func solve(_ b: Matrix) -> Matrix {
        precondition(b.rows == order, "CholeskyFactor.solve: K is \(order)×\(order), B is \(b.rows)×\(b.columns)")
        var x = b
        if order == 0 || b.columns == 0 { return x }
        let info = lower.elements.withUnsafeBufferPointer { pl in
            x.elements.withUnsafeMutableBufferPointer { px in
                LAPACKE_dpotrs_work(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "L")), Int32(order), Int32(b.columns),
                                    pl.baseAddress, Int32(order), px.baseAddress, Int32(order))
            }
        }
        // dpotrs only fails on illegal arguments, which the preconditions exclude.
        precondition(info == 0, "dpotrs: info \(info)")
        return x
    }

    /// Solves K·x = b for one right-hand side.
    public func solve(_ b: [Double]) -> [Double] {
        solve(Matrix(rows: b.count, columns: 1, columnMajor: b)).elements
    }

    /// L⁻¹·B (transposed: L⁻ᵀ·B), one `dtrsm` against the whole n×m block.
    ///
    /// - Complexity: n²m flops, one BLAS-3 call.
    public func solveTriangular(_ b: Matrix, transposed: Bool = false) -> Matrix {
        precondition(b.rows == order, "CholeskyFactor.solveTriangular: L is \(order)×\(order), B is \(b.rows)×\(b.columns)")
        var x = b
        if order == 0 || b.columns == 0 { return x }
        lower.elements.withUnsafeBufferPointer { pl in
            x.elements.withUnsafeMutableBufferPointer { px in
                cblas_dtrsm(CblasColMajor, CblasLeft, CblasLower, transposed ? CblasTrans : CblasNoTrans, CblasNonUnit,
                            Int32(order), Int32(b.columns), 1, pl.baseAddress, Int32(order),
                            px.baseAddress, Int32(order))
            }
        }
        return x
    }

    /// L₁₁⁻¹·B for the leading s×s block L₁₁ of L (s = B's rows ≤ n), which is the Cholesky
    /// factor of the leading s×s block of K; read in place (leading dimension n), no copy.
    ///
    /// - Complexity: s²m flops, one BLAS-3 call.
    public func solveLeadingTriangular(_ b: Matrix) -> Matrix {
        let s = b.rows
        precondition(s <= order, "CholeskyFactor.solveLeadingTriangular: L is \(order)×\(order), B is \(b.rows)×\(b.columns)")
        var x = b
        if s == 0 || b.columns == 0 { return x }
        lower.elements.withUnsafeBufferPointer { pl in
            x.elements.withUnsafeMutableBufferPointer { px in
                cblas_dtrsm(CblasColMajor, CblasLeft, CblasLower, CblasNoTrans, CblasNonUnit,
                            Int32(s), Int32(b.columns), 1, pl.baseAddress, Int32(order),
                            px.baseAddress, Int32(s))
            }
        }
        return x
    }

    /// K⁻¹ as a full symmetric matrix (`dpotri`, then mirrored).
    ///
    /// - Complexity: 2n³/3 flops.
    public func inverse() throws(LAPACKError) -> Matrix {
        var a = lower
        let n = order
        if n == 0 { return a }
        let info = a.elements.withUnsafeMutableBufferPointer { p in
            LAPACKE_dpotri_work(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "L")), Int32(n), p.baseAddress, Int32(n))
        }
        try LAPACKError.check(info, routine: "dpotri")
        for j in 0..<n { for i in (j + 1)..<n { a.elements[j + i * n] = a.elements[i + j * n] } }
        return a
    }

    /// The factor of the bordered matrix, without refactorising the leading block.
    ///
    /// ```
    /// [ K   C ]   [ L   0 ] [ Lᵀ  Bᵀ... ]        B = L⁻¹·C        (n×k, dtrsm)
    /// [ Cᵀ  D ] = [ Bᵀ  M ] [ 0   Mᵀ   ]        M = chol(D − BᵀB) (k×k, dsyrk + dpotrf)
    /// ```
    /// `cross` is C (n×k), `block` is D (k×k, lower triangle read).
    /// - Throws: ``LAPACKError/notPositiveDefinite(leadingMinor:)`` when the Schur
    ///   complement D − BᵀB is not positive definite (minor numbered within the new block).
    /// - Complexity: n²k + nk² + k³/3 flops — O(n²k), against n³/3 for a refactorisation.
    public func appending(cross: Matrix, block: Matrix) throws(LAPACKError) -> CholeskyFactor {
        let n = order
        let k = block.rows
        precondition(block.columns == k && cross.rows == n && cross.columns == k,
                     "CholeskyFactor.appending: L is \(n)×\(n), C is \(cross.rows)×\(cross.columns), D is \(block.rows)×\(block.columns)")
        let b = solveTriangular(cross)
        var schur = block
        for j in 0..<k { for i in 0..<j { schur.elements[i + j * k] = schur.elements[j + i * k] } }
        schur.subtractGram(of: b)
        let m = try CholeskyFactor(factoring: schur)
        let size = n + k
        var out = Matrix(rows: size, columns: size)
        // Column by column through raw pointers (a block copy per column of L): the same values
        // as element-wise subscripts, without their per-element checks, which cost seconds at
        // n = 20,000.
        out.elements.withUnsafeMutableBufferPointer { po in
            lower.elements.withUnsafeBufferPointer { pl in
                b.elements.withUnsafeBufferPointer { pb in
                    for j in 0..<n {
                        (po.baseAddress! + (j + j * size)).update(from: pl.baseAddress! + (j + j * n), count: n - j)
                        for i in 0..<k { po[n + i + j * size] = pb[j + i * n] }
                    }
                }
            }
            m.lower.elements.withUnsafeBufferPointer { pm in
                for j in 0..<k {
                    for i in j..<k { po[n + i + (n + j) * size] = pm[i + j * k] }
                }
            }
        }
        return CholeskyFactor(lower: out)
    }
}
