internal import CBLASShim

/// OpenBLAS build information and thread control.
///
/// Small matrices with oversubscribed BLAS threads are a known 10× slowdown (TOOLCHAIN.md,
/// STYLE.md), so hdbench sets the thread count deliberately and every benchmark prints it.
public enum BLAS {
    /// OpenBLAS's build configuration string (`openblas_get_config`), e.g.
    /// "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64".
    public static var configuration: String {
        guard let c = openblas_get_config() else { return "unknown" }
        return String(cString: c)
    }

    /// The number of threads OpenBLAS uses for its next calls.
    public static var threadCount: Int { Int(openblas_get_num_threads()) }

    /// Sets the number of OpenBLAS threads (process-wide).
    public static func setThreadCount(_ n: Int) {
        precondition(n >= 1, "BLAS.setThreadCount: \(n) < 1")
        openblas_set_num_threads(Int32(n))
    }
}
