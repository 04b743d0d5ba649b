import Foundation
internal import CBLASShim

/// OpenBLAS build information and thread control.
///
/// Small matrices with oversubscribed BLAS threads are a known 10× slowdown (seen in Optuna's and
/// BoTorch's GP code), so hdbench sets the thread count deliberately and every benchmark prints
/// it (the measurements: `Sources/Optimizer/Optimizer.docc/DecisionLog.md`, "BLAS").
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

    /// The CPU kernel set OpenBLAS chose at load time (`openblas_get_corename`), e.g. "Haswell".
    public static var coreName: String {
        guard let c = openblas_get_corename() else { return "unknown" }
        return String(cString: c)
    }

    /// The kernel set this CPU supports when OpenBLAS fell back to an older one, else `nil`.
    ///
    /// OpenBLAS's `DYNAMIC_ARCH` build picks kernels from the CPUID family and model. Virtual
    /// machines that mask them (this project's CI machines report a generic "Intel Xeon
    /// Processor") make it fall back to Prescott (SSE3) kernels although the CPU has AVX2 and
    /// AVX-512, several times slower (measured in `Sources/Optimizer/Optimizer.docc/DecisionLog.md`,
    /// "BLAS"). The choice is read from `OPENBLAS_CORETYPE` when the library loads, so a
    /// process can only fix it by restarting itself with that variable set (the `hdbench`
    /// command does so); library users can export it themselves.
    /// - Parameter cpuFlags: the `flags` of `/proc/cpuinfo`; read from the system when `nil`.
    public static func recommendedCoreType(cpuFlags: Set<String>? = nil) -> String? {
        let flags = cpuFlags ?? Self.cpuFlags()
        let fallbacks: Set<String> = ["Prescott", "Core2", "Katmai", "Coppermine", "Northwood", "Banias", "Atom", "Nehalem", "Penryn", "Dunnington", "unknown"]
        guard fallbacks.contains(coreName) else { return nil }
        if flags.contains("avx512f") && flags.contains("avx512bw") { return "SkylakeX" }
        if flags.contains("avx2") && flags.contains("fma") { return "Haswell" }
        if flags.contains("avx") { return "SandyBridge" }
        return nil
    }

    /// The CPU feature flags of `/proc/cpuinfo` (empty where it does not exist).
    static func cpuFlags() -> Set<String> {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
              let colon = line.firstIndex(of: ":") else { return [] }
        return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
    }
}
