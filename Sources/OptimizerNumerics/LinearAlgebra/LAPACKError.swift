/// A LAPACK routine's non-zero `info`, as a typed error (one choke point, like swift-system's `Errno`).
public enum LAPACKError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `dpotrf`: the leading minor of this order (1-based) is not positive definite.
    case notPositiveDefinite(leadingMinor: Int)
    /// `dpotri`/`dtrtri`: the factor has an exactly zero diagonal element at this position (1-based).
    case singular(position: Int)
    /// A routine rejected argument number `position` (a programmer error surfaced as a value).
    case illegalArgument(routine: String, position: Int)
    /// The input holds NaN or ±∞ (checked before calling LAPACK, which would not diagnose it).
    case nonFiniteInput(routine: String)

    public var description: String {
        switch self {
        case .notPositiveDefinite(let k): return "matrix is not positive definite (leading minor \(k))"
        case .singular(let p): return "matrix is singular (zero pivot at \(p))"
        case .illegalArgument(let r, let p): return "\(r): illegal value in argument \(p)"
        case .nonFiniteInput(let r): return "\(r): input contains NaN or infinity"
        }
    }

    /// Maps a potrf-style `info` to a result; 0 is success.
    static func check(_ info: Int32, routine: String) throws(LAPACKError) {
        if info == 0 { return }
        if info < 0 { throw .illegalArgument(routine: routine, position: Int(-info)) }
        switch routine {
        case "dpotrf": throw .notPositiveDefinite(leadingMinor: Int(info))
        default: throw .singular(position: Int(info))
        }
    }
}
