internal import CBLASShim

// Notation: op(A) is A or Aᵀ; shapes are checked with `precondition` naming them.
// Every routine here is one BLAS call over column-major storage.

extension Matrix {
    /// General product `α·op(A)·op(B)` (one `dgemm`).
    ///
    /// ```
    /// C = α · op(A) · op(B)        op(A): m×k, op(B): k×n, C: m×n
    /// ```
    /// - Complexity: 2mnk flops, one BLAS-3 call.
    public static func product(_ a: Matrix, _ b: Matrix,
                               transposeA ta: Bool = false, transposeB tb: Bool = false,
                               scale alpha: Double = 1) -> Matrix {
        let m = ta ? a.columns : a.rows
        let k = ta ? a.rows : a.columns
        let kb = tb ? b.columns : b.rows
        let n = tb ? b.rows : b.columns
        precondition(k == kb, "Matrix.product: op(A) is \(m)×\(k) but op(B) is \(kb)×\(n)")
        var c = Matrix(rows: m, columns: n)
        if m == 0 || n == 0 { return c }
        if k == 0 { return c }
        a.elements.withUnsafeBufferPointer { pa in
            b.elements.withUnsafeBufferPointer { pb in
                c.elements.withUnsafeMutableBufferPointer { pc in
                    cblas_dgemm(CblasColMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
                                Int32(m), Int32(n), Int32(k), alpha,
                                pa.baseAddress, Int32(max(1, a.rows)),
                                pb.baseAddress, Int32(max(1, b.rows)),
                                0, pc.baseAddress, Int32(max(1, m)))
                }
            }
        }
        return c
    }

    /// Matrix–vector product `op(A)·x` (one `dgemv`).
    ///
    /// - Complexity: 2·rows·columns flops.
    public func times(_ x: [Double], transposed: Bool = false) -> [Double] {
        let (m, n) = transposed ? (columns, rows) : (rows, columns)
        precondition(x.count == n, "Matrix.times: op(A) is \(m)×\(n) but x has \(x.count) entries")
        var y = [Double](repeating: 0, count: m)
        if m == 0 || n == 0 { return y }
        elements.withUnsafeBufferPointer { pa in
            x.withUnsafeBufferPointer { px in
                y.withUnsafeMutableBufferPointer { py in
                    cblas_dgemv(CblasColMajor, transposed ? CblasTrans : CblasNoTrans,
                                Int32(rows), Int32(columns), 1, pa.baseAddress, Int32(max(1, rows)),
                                px.baseAddress, 1, 0, py.baseAddress, 1)
                }
            }
        }
        return y
    }

    /// `self ← self − BᵀB` on the lower triangle, for symmetric `self` (one `dsyrk`);
    /// the upper triangle is then mirrored so the result stays a full symmetric matrix.
    ///
    /// ```
    /// S = self − Bᵀ·B        B: k×n, S: n×n
    /// ```
    /// - Complexity: k·n² flops.
    public mutating func subtractGram(of b: Matrix) {
        precondition(rows == columns && b.columns == rows,
                     "Matrix.subtractGram: self is \(rows)×\(columns), B is \(b.rows)×\(b.columns)")
        let n = rows
        if n == 0 || b.rows == 0 { return }
        b.elements.withUnsafeBufferPointer { pb in
            elements.withUnsafeMutableBufferPointer { ps in
                cblas_dsyrk(CblasColMajor, CblasLower, CblasTrans, Int32(n), Int32(b.rows),
                            -1, pb.baseAddress, Int32(b.rows), 1, ps.baseAddress, Int32(n))
            }
        }
        for j in 0..<n { for i in (j + 1)..<n { elements[j + i * n] = elements[i + j * n] } }
    }
}
