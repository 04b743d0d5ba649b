// Notation (Byrd, Lu, Nocedal & Zhu 1995, §3; Nocedal & Wright 2006, §7.2, eqs. 7.24–7.29):
//
//   n            number of variables
//   m            memory: maximum number of stored correction pairs (LBFGSBOptions.memory)
//   k            number of pairs currently stored, 0 ≤ k ≤ m (oldest first)
//   sᵢ, yᵢ       correction pairs, sᵢ = xᵢ₊₁ − xᵢ, yᵢ = gᵢ₊₁ − gᵢ, each length n
//   S, Y         n×k matrices [s₀ … sₖ₋₁], [y₀ … yₖ₋₁] (stored as k arrays of length n)
//   θ            scaling of the initial matrix B⁰ = θI, θ = yᵀy / sᵀy of the newest pair
//   D            k×k diagonal, Dᵢᵢ = sᵢᵀyᵢ
//   L            k×k strictly lower triangle of SᵀY: Lᵢⱼ = sᵢᵀyⱼ for i > j, else 0
//   W            n×2k, W = [Y  θS]; wᵢ (length 2k) is its i-th row
//   K            2k×2k middle matrix  K = [ −D  Lᵀ ;  L  θSᵀS ]  and  M = K⁻¹
//   B            the L-BFGS Hessian approximation, B = θI − W M Wᵀ   (compact form)
//   T            k×k, T = θSᵀS + L D⁻¹ Lᵀ, symmetric positive definite when D > 0 and S has
//                full column rank; its Cholesky factor is stored (row-major, lower triangle)
//
// Dense k×k and 2k×2k matrices below are stored row-major as [Double] of length k·k or 4k·k.

/// The limited-memory BFGS matrix `B = θI − W M Wᵀ` in compact form, with the few products
/// L-BFGS-B needs: rows of `W`, `Wᵀv`, `M v`, and solves with the reduced Hessian `ZᵀBZ`.
///
/// Reference: Byrd, Lu, Nocedal & Zhu 1995, §3 (compact representation of B);
/// Byrd, Nocedal & Schnabel 1994 (origin of the compact form); Nocedal & Wright 2006, §7.2,
/// Theorem 7.4 and eq. 7.24.
struct CompactLBFGSMatrix: Sendable {
    /// Number of variables n.
    let dimension: Int
    /// Maximum number of pairs m.
    let capacity: Int
    /// Stored sᵢ, oldest first.
    private(set) var s: [[Double]] = []
    /// Stored yᵢ, oldest first.
    private(set) var y: [[Double]] = []
    /// θ, the scaling of B⁰ = θI; 1 when the memory is empty.
    private(set) var theta: Double = 1
    /// SᵀS, k×k row-major.
    private var sTs: [Double] = []
    /// SᵀY, k×k row-major: entry (i, j) is sᵢᵀyⱼ.
    private var sTy: [Double] = []
    /// Cholesky factor J of T = J Jᵀ, k×k row-major lower triangle.
    private var tCholesky: [Double] = []

    init(dimension: Int, capacity: Int) {
        self.dimension = dimension
        self.capacity = capacity
    }

    /// Number k of stored pairs.
    var count: Int { s.count }

    /// Discards all pairs (B becomes the identity).
    mutating func reset() {
        s = []
        y = []
        theta = 1
        sTs = []
        sTy = []
        tCholesky = []
    }

    /// What ``update(s:y:)`` did with a pair.
    enum UpdateOutcome: Equatable {
        /// The pair was stored (the oldest dropped if k was m).
        case stored
        /// sᵀy ≤ ε·yᵀy: storing it would make B indefinite or badly conditioned.
        case skippedCurvature
        /// T's Cholesky factorisation failed (S numerically rank-deficient): memory discarded.
        case resetAfterFailedFactorization
    }

    /// Adds the correction pair (s, y) unless the curvature condition fails.
    ///
    /// ```
    /// store  iff  sᵀy > ε·yᵀy      (ε = machine epsilon)
    /// θ ← yᵀy / sᵀy
    /// ```
    /// B stays positive definite only while every stored pair has sᵀy > 0 (Nocedal & Wright
    /// 2006, §6.1, curvature condition 6.7); the relative threshold also rejects pairs whose
    /// curvature is lost to rounding. After storing, T = θSᵀS + L D⁻¹ Lᵀ is refactorised.
    ///
    /// - Complexity: O(k·n) for the new inner products plus O(k³) for T's Cholesky factor.
    mutating func update(s newS: [Double], y newY: [Double]) -> UpdateOutcome {
        precondition(
            newS.count == dimension && newY.count == dimension,
            "CompactLBFGSMatrix.update: s has \(newS.count), y has \(newY.count), expected \(dimension)")
        let sy = dot(newS, newY)
        let yy = dot(newY, newY)
        // Also rejects NaN (a comparison with NaN is false).
        guard sy > Double.ulpOfOne * yy, yy > 0 else { return .skippedCurvature }

        if s.count == capacity {
            s.removeFirst()
            y.removeFirst()
            sTs = Self.dropFirstRowAndColumn(sTs, size: capacity)
            sTy = Self.dropFirstRowAndColumn(sTy, size: capacity)
        }
        s.append(newS)
        y.append(newY)
        let k = s.count
        var newSTs = [Double](repeating: 0, count: k * k)
        var newSTy = [Double](repeating: 0, count: k * k)
        for i in 0..<(k - 1) {
            for j in 0..<(k - 1) {
                newSTs[i * k + j] = sTs[i * (k - 1) + j]
                newSTy[i * k + j] = sTy[i * (k - 1) + j]
            }
        }
        for j in 0..<k {
            let sjs = dot(s[j], newS)
            newSTs[(k - 1) * k + j] = sjs
            newSTs[j * k + (k - 1)] = sjs
            newSTy[(k - 1) * k + j] = dot(newS, y[j])
            newSTy[j * k + (k - 1)] = dot(s[j], newY)
        }
        sTs = newSTs
        sTy = newSTy
        theta = yy / sy

        guard let factor = Self.cholesky(middleSchurComplement(), size: k) else {
            reset()
            return .resetAfterFailedFactorization
        }
        tCholesky = factor
        return .stored
    }

    // MARK: - Products with W and M

    /// Row i of W = [Y θS]: `wᵢ = (y₀ᵢ, …, yₖ₋₁ᵢ, θs₀ᵢ, …, θsₖ₋₁ᵢ)`. O(k).
    func wRow(_ i: Int) -> [Double] {
        let k = count
        var row = [Double](repeating: 0, count: 2 * k)
        for j in 0..<k {
            row[j] = y[j][i]
            row[k + j] = theta * s[j][i]
        }
        return row
    }

    /// `Wᵀv = (Yᵀv, θSᵀv)`, length 2k. O(k·n).
    func wTransposeTimes(_ v: [Double]) -> [Double] {
        let k = count
        var out = [Double](repeating: 0, count: 2 * k)
        for j in 0..<k {
            out[j] = dot(y[j], v)
            out[k + j] = theta * dot(s[j], v)
        }
        return out
    }

    /// `M v = K⁻¹ v` for v = (v₁, v₂) of length 2k, by block elimination of
    /// ```
    /// [ −D  Lᵀ   ] [a]   [v₁]        b = T⁻¹ (v₂ + L D⁻¹ v₁),   T = θSᵀS + L D⁻¹ Lᵀ
    /// [  L  θSᵀS ] [b] = [v₂]   ⇒    a = D⁻¹ (Lᵀ b − v₁)
    /// ```
    /// This is the block factorisation of the middle matrix given in Byrd et al. 1995, §3
    /// (with J Jᵀ = θSᵀS + L D⁻¹ Lᵀ), written as a solve. T is positive definite because D > 0
    /// (every stored pair passed the curvature test). Empty memory gives an empty vector.
    ///
    /// - Complexity: O(k²): two triangular solves with T's Cholesky factor.
    func middleTimes(_ v: [Double]) -> [Double] {
        let k = count
        precondition(v.count == 2 * k, "CompactLBFGSMatrix.middleTimes: v has \(v.count), expected \(2 * k)")
        if k == 0 { return [] }
        // rhs = v₂ + L D⁻¹ v₁, with (L D⁻¹ v₁)ᵢ = Σ_{l<i} (sᵢᵀy_l) v₁_l / D_ll.
        var b = [Double](repeating: 0, count: k)
        for i in 0..<k {
            var sum = v[k + i]
            for l in 0..<i { sum += sTy[i * k + l] * v[l] / sTy[l * k + l] }
            b[i] = sum
        }
        // Solve J Jᵀ b = rhs.
        for i in 0..<k {
            var sum = b[i]
            for l in 0..<i { sum -= tCholesky[i * k + l] * b[l] }
            b[i] = sum / tCholesky[i * k + i]
        }
        for i in stride(from: k - 1, through: 0, by: -1) {
            var sum = b[i]
            for l in (i + 1)..<k { sum -= tCholesky[l * k + i] * b[l] }
            b[i] = sum / tCholesky[i * k + i]
        }
        // a = D⁻¹ (Lᵀ b − v₁), with (Lᵀ b)_l = Σ_{i>l} (sᵢᵀy_l) bᵢ.
        var out = [Double](repeating: 0, count: 2 * k)
        for l in 0..<k {
            var sum = -v[l]
            for i in (l + 1)..<k { sum += sTy[i * k + l] * b[i] }
            out[l] = sum / sTy[l * k + l]
            out[k + l] = b[l]
        }
        return out
    }

    /// The middle matrix K = M⁻¹ = [ −D Lᵀ ; L θSᵀS ], 2k×2k row-major. O(k²).
    func middleInverse() -> [Double] {
        let k = count
        let size = 2 * k
        var kMatrix = [Double](repeating: 0, count: size * size)
        for i in 0..<k {
            kMatrix[i * size + i] = -sTy[i * k + i]
            for j in 0..<k {
                if i > j {
                    let lij = sTy[i * k + j]
                    kMatrix[(k + i) * size + j] = lij      // L block
                    kMatrix[j * size + (k + i)] = lij      // Lᵀ block
                }
                kMatrix[(k + i) * size + (k + j)] = theta * sTs[i * k + j]
            }
        }
        return kMatrix
    }

    /// Solves `(ZᵀBZ) u = r` for the free variables of the subspace problem, by the
    /// Sherman–Morrison–Woodbury formula on `ZᵀBZ = θI − Zw M Zwᵀ` with `Zw = ZᵀW` (t×2k):
    /// ```
    /// (ZᵀBZ)⁻¹ r = r/θ + Zw (K − ZwᵀZw/θ)⁻¹ Zwᵀ r / θ²
    /// ```
    /// (Byrd et al. 1995, §5.1, direct primal method; our form uses K = M⁻¹
    /// directly, so no inverse of M is formed). The 2k×2k capacitance matrix is indefinite
    /// in general, so it is solved by LU with partial pivoting.
    ///
    /// - Parameters:
    ///   - free: indices of the t free variables.
    ///   - r: right-hand side, length t, in the order of `free`.
    /// - Returns: u (length t), or `nil` if the capacitance matrix is numerically singular or
    ///   the result is not finite (the caller then discards the memory).
    /// - Complexity: O(t·k²) to form ZwᵀZw plus O(k³) for the LU factorisation.
    func solveReducedHessian(free: [Int], r: [Double]) -> [Double]? {
        let k = count
        let t = free.count
        precondition(r.count == t, "CompactLBFGSMatrix.solveReducedHessian: r has \(r.count), expected \(t)")
        let inverseTheta = 1 / theta
        if k == 0 { return r.map { $0 * inverseTheta } }
        let size = 2 * k
        var capacitance = middleInverse()
        var zwTr = [Double](repeating: 0, count: size)
        var rows: [[Double]] = []
        rows.reserveCapacity(t)
        for (position, i) in free.enumerated() {
            let w = wRow(i)
            rows.append(w)
            for a in 0..<size {
                zwTr[a] += w[a] * r[position]
                let wa = w[a] * inverseTheta
                for b in 0..<size { capacitance[a * size + b] -= wa * w[b] }
            }
        }
        guard let solution = Self.luSolve(capacitance, size: size, rhs: zwTr) else { return nil }
        var u = [Double](repeating: 0, count: t)
        for position in 0..<t {
            u[position] = r[position] * inverseTheta
                + dot(rows[position], solution) * inverseTheta * inverseTheta
        }
        guard u.allSatisfy({ $0.isFinite }) else { return nil }
        return u
    }

    // MARK: - Private helpers

    /// T = θSᵀS + L D⁻¹ Lᵀ, k×k row-major: Tᵢⱼ = θ sᵢᵀsⱼ + Σ_{l<min(i,j)} Lᵢₗ Lⱼₗ / Dₗₗ.
    private func middleSchurComplement() -> [Double] {
        let k = count
        var t = [Double](repeating: 0, count: k * k)
        for i in 0..<k {
            for j in 0...i {
                var sum = theta * sTs[i * k + j]
                for l in 0..<min(i, j) { sum += sTy[i * k + l] * sTy[j * k + l] / sTy[l * k + l] }
                t[i * k + j] = sum
                t[j * k + i] = sum
            }
        }
        return t
    }

    private static func dropFirstRowAndColumn(_ a: [Double], size: Int) -> [Double] {
        var out: [Double] = []
        out.reserveCapacity((size - 1) * (size - 1))
        for i in 1..<size {
            for j in 1..<size { out.append(a[i * size + j]) }
        }
        return out
    }

    /// Lower Cholesky factor of a symmetric positive definite size×size row-major matrix, or
    /// `nil` if a pivot is not positive and finite. O(size³/3).
    private static func cholesky(_ a: [Double], size: Int) -> [Double]? {
        var l = [Double](repeating: 0, count: size * size)
        for j in 0..<size {
            var diagonal = a[j * size + j]
            for p in 0..<j { diagonal -= l[j * size + p] * l[j * size + p] }
            guard diagonal > 0, diagonal.isFinite else { return nil }
            let pivot = diagonal.squareRoot()
            l[j * size + j] = pivot
            for i in (j + 1)..<size {
                var sum = a[i * size + j]
                for p in 0..<j { sum -= l[i * size + p] * l[j * size + p] }
                l[i * size + j] = sum / pivot
            }
        }
        return l
    }

    /// Solves A x = b for a general size×size row-major A by Gaussian elimination with partial
    /// pivoting; `nil` if a pivot is zero or not finite. O(2·size³/3).
    private static func luSolve(_ matrix: [Double], size: Int, rhs: [Double]) -> [Double]? {
        var a = matrix
        var b = rhs
        for column in 0..<size {
            var pivotRow = column
            var pivotMagnitude = abs(a[column * size + column])
            for row in (column + 1)..<size where abs(a[row * size + column]) > pivotMagnitude {
                pivotRow = row
                pivotMagnitude = abs(a[row * size + column])
            }
            guard pivotMagnitude > 0, pivotMagnitude.isFinite else { return nil }
            if pivotRow != column {
                for j in 0..<size { a.swapAt(column * size + j, pivotRow * size + j) }
                b.swapAt(column, pivotRow)
            }
            let pivot = a[column * size + column]
            for row in (column + 1)..<size {
                let factor = a[row * size + column] / pivot
                if factor == 0 { continue }
                for j in column..<size { a[row * size + j] -= factor * a[column * size + j] }
                b[row] -= factor * b[column]
            }
        }
        for row in stride(from: size - 1, through: 0, by: -1) {
            var sum = b[row]
            for j in (row + 1)..<size { sum -= a[row * size + j] * b[j] }
            b[row] = sum / a[row * size + row]
        }
        return b
    }
}

/// Inner product of two equal-length vectors. O(n).
@inline(__always)
private func dot(_ a: [Double], _ b: [Double]) -> Double {
    LBFGSBKernels.dot(a, b)
}
