// Notation: a Matrix is r×c, stored column-major in `elements`: element (i, j) is at
// index i + j·r. This matches BLAS/LAPACK's column-major layout, so every call passes the
// storage directly with leading dimension r (no transposing copies; LAPACKE's row-major path
// was measured 1.3–1.7× slower, see DecisionLog.md, "BLAS", in Optimizer.docc).

/// A dense real matrix stored column-major, as a value type.
///
/// `Matrix` is deliberately small: storage, shape and element access. BLAS-backed products
/// live in `Matrix+BLAS.swift`, factorisations in ``CholeskyFactor``.
public struct Matrix: Sendable, Hashable {
    /// Number of rows.
    public let rows: Int
    /// Number of columns.
    public let columns: Int
    /// Column-major storage, `rows × columns` values.
    public var elements: [Double]

    /// A matrix filled with `value`.
    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && columns >= 0, "Matrix: negative shape \(rows)×\(columns)")
        self.rows = rows
        self.columns = columns
        self.elements = Array(repeating: value, count: rows * columns)
    }

    /// A matrix over existing column-major storage.
    public init(rows: Int, columns: Int, columnMajor elements: [Double]) {
        precondition(elements.count == rows * columns,
                     "Matrix: \(elements.count) elements for shape \(rows)×\(columns)")
        self.rows = rows
        self.columns = columns
        self.elements = elements
    }

    /// A matrix from row vectors (each of equal length); convenient for tests and small inputs.
    public init(rowVectors: [[Double]]) {
        let r = rowVectors.count
        let c = rowVectors.first?.count ?? 0
        var storage = [Double](repeating: 0, count: r * c)
        for (i, row) in rowVectors.enumerated() {
            precondition(row.count == c, "Matrix: row \(i) has \(row.count) values, expected \(c)")
            for j in 0..<c { storage[i + j * r] = row[j] }
        }
        self.init(rows: r, columns: c, columnMajor: storage)
    }

    /// The n×n identity.
    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, columns: n)
        for i in 0..<n { m.elements[i + i * n] = 1 }
        return m
    }

    /// Element (i, j).
    @inlinable
    public subscript(i: Int, j: Int) -> Double {
        get { elements[i + j * rows] }
        set { elements[i + j * rows] = newValue }
    }

    /// Row `i` as an array (a strided copy).
    public func row(_ i: Int) -> [Double] {
        (0..<columns).map { elements[i + $0 * rows] }
    }

    /// Column `j` as an array (a contiguous copy).
    public func column(_ j: Int) -> [Double] {
        Array(elements[(j * rows)..<((j + 1) * rows)])
    }

    /// The transpose (a copy).
    public var transposed: Matrix {
        var t = Matrix(rows: columns, columns: rows)
        for j in 0..<columns {
            for i in 0..<rows { t.elements[j + i * columns] = elements[i + j * rows] }
        }
        return t
    }

    /// The main diagonal (of the leading square block).
    public var diagonal: [Double] {
        (0..<min(rows, columns)).map { elements[$0 + $0 * rows] }
    }

    /// The rows `range` as a new matrix.
    public func rows(_ range: Range<Int>) -> Matrix {
        precondition(range.lowerBound >= 0 && range.upperBound <= rows, "Matrix.rows: \(range) outside 0..<\(rows)")
        var out = Matrix(rows: range.count, columns: columns)
        for j in 0..<columns {
            for (k, i) in range.enumerated() { out.elements[k + j * range.count] = elements[i + j * rows] }
        }
        return out
    }

    /// The rows at `indices`, in that order.
    public func gathering(rows indices: [Int]) -> Matrix {
        var out = Matrix(rows: indices.count, columns: columns)
        for j in 0..<columns {
            for (k, i) in indices.enumerated() {
                precondition(i >= 0 && i < rows, "Matrix.gathering: row \(i) outside 0..<\(rows)")
                out.elements[k + j * indices.count] = elements[i + j * rows]
            }
        }
        return out
    }

    /// This matrix with the rows of `other` appended below (same column count).
    public func appendingRows(_ other: Matrix) -> Matrix {
        precondition(other.columns == columns || rows == 0,
                     "Matrix.appendingRows: \(rows)×\(columns) and \(other.rows)×\(other.columns)")
        let c = rows == 0 ? other.columns : columns
        let r = rows + other.rows
        var out = Matrix(rows: r, columns: c)
        for j in 0..<c {
            for i in 0..<rows { out.elements[i + j * r] = elements[i + j * rows] }
            for i in 0..<other.rows { out.elements[rows + i + j * r] = other.elements[i + j * other.rows] }
        }
        return out
    }
}
