import Foundation

// Notation: φ(z) = exp(−z²/2)/√(2π), Φ(z) = ½ erfc(−z/√2), h(z) = φ(z) + z·Φ(z)
// (the standardised expected improvement: EI = σ·h((μ − f*)/σ)), erfcx(x) = exp(x²)·erfc(x).

/// The standard normal distribution and the expected-improvement kernel h(z), with log forms
/// that stay finite and accurate far into the tails.
public enum StandardNormal {
    static let logSqrt2Pi = 0.5 * log(2 * Double.pi)
    static let sqrt2 = 2.0.squareRoot()

    /// φ(z).
    public static func pdf(_ z: Double) -> Double { exp(-0.5 * z * z - logSqrt2Pi) }

    /// Φ(z) = ½ erfc(−z/√2) (erfc keeps relative accuracy in the lower tail, 1 + erf would not).
    public static func cdf(_ z: Double) -> Double { 0.5 * erfc(-z / sqrt2) }

    /// log Φ(z), finite for every finite z.
    ///
    /// For z < −5, Φ(z) = ½ erfcx(−z/√2)·exp(−z²/2), so log Φ = log(½ erfcx(u)) − u² with
    /// u = −z/√2; this avoids erfc's underflow below z ≈ −38.
    public static func logCDF(_ z: Double) -> Double {
        if z > -5 { return log(cdf(z)) }
        let u = -z / sqrt2
        return log(0.5 * erfcx(u)) - u * u
    }

    /// The scaled complementary error function erfcx(x) = exp(x²)·erfc(x), for x ≥ 0.
    ///
    /// For x < 26, exp(x²)·erfc(x) directly (glibc's erfc is relatively accurate there and
    /// exp(x²) < 1e294 does not overflow; x² is rounded, costing ≈ x²·ε relative ≤ 2e-13).
    /// For x ≥ 26, the asymptotic series erfcx(x) = 1/(x√π)·Σₖ (−1)ᵏ (2k−1)!!/(2x²)ᵏ
    /// (Abramowitz & Stegun 7.1.23), six terms, truncation error < 10395/(2x²)⁶ < 1e-18.
    public static func erfcx(_ x: Double) -> Double {
        precondition(x >= 0 || x.isNaN, "erfcx: only x ≥ 0 is needed here, got \(x)")
        if x < 26 { return exp(x * x) * erfc(x) }
        let t = 1 / (2 * x * x)
        let series = 1 - t * (1 - 3 * t * (1 - 5 * t * (1 - 7 * t * (1 - 9 * t))))
        return series / (x * Double.pi.squareRoot())
    }

    /// h(z) = φ(z) + z·Φ(z) ≥ 0, the expected improvement of a standard normal over −z.
    public static func expectedImprovementKernel(_ z: Double) -> Double {
        max(pdf(z) + z * cdf(z), 0)
    }

    /// log h(z), finite and accurate for every finite z (Ament et al. 2023, "Unexpected
    /// Improvements to Expected Improvement for Bayesian Optimization", NeurIPS, eq. 9).
    ///
    /// ```
    /// z > −1:          log(φ(z) + zΦ(z))                                (no cancellation)
    /// −40 < z ≤ −1:    −z²/2 − log√(2π) + log(1 − √(π/2)·|z|·erfcx(|z|/√2))
    /// z ≤ −40:         −z²/2 − log√(2π) − 2 log|z| + log(1 − 3/z² + 15/z⁴ − 105/z⁶ + 945/z⁸)
    /// ```
    /// The middle branch is Ament et al.'s; in it the bracket is ≥ 6e-4, so `log1p` keeps full
    /// relative accuracy. Ament et al. continue it to |z| = 1/√ε, but there the bracket tends to
    /// 1/z² and computing it loses log₁₀(z²) digits; we switch instead to the asymptotic
    /// expansion of the Mills ratio (Abramowitz & Stegun 26.2.12), whose truncation error is
    /// < 10395/z¹⁰ < 1e-13 for |z| ≥ 40. −z²/2 is formed as −(z/2)·z, finite for |z| < 1.8e154,
    /// which covers the |z| ≤ 1e99 the tests demand.
    public static func logExpectedImprovementKernel(_ z: Double) -> Double {
        if z > -1 { return log(pdf(z) + z * cdf(z)) }
        if z > -40 { return -0.5 * z * z - logSqrt2Pi + log1p(-millsBracket(z)) }
        let u = 1 / (z * z)
        return -(z * 0.5) * z - logSqrt2Pi - 2 * log(-z) + log(tailSeries(u))
    }

    /// d log h / dz = Φ(z)/h(z) > 0, in closed forms whose exponentials cancel analytically,
    /// so it stays accurate in the lower tail where it tends to |z|.
    ///
    /// ```
    /// z > −1:          Φ(z) / h(z)
    /// −40 < z ≤ −1:    √(π/2)·erfcx(|z|/√2) / (1 − √(π/2)·|z|·erfcx(|z|/√2))
    /// z ≤ −40:         |z|·(1 − u + 3u² − 15u³ + 105u⁴) / (1 − 3u + 15u² − 105u³ + 945u⁴),  u = 1/z²
    /// ```
    public static func logExpectedImprovementKernelDerivative(_ z: Double) -> Double {
        if z > -1 { return cdf(z) / (pdf(z) + z * cdf(z)) }
        if z > -40 {
            return (Double.pi / 2).squareRoot() * erfcx(-z / sqrt2) / (1 - millsBracket(z))
        }
        let u = 1 / (z * z)
        let cdfSeries = 1 - u * (1 - u * (3 - u * (15 - 105 * u)))
        return -z * cdfSeries / tailSeries(u)
    }

    /// √(π/2)·|z|·erfcx(|z|/√2) = |z|·Φ(z)/φ(z), which tends to 1 from below as z → −∞.
    private static func millsBracket(_ z: Double) -> Double {
        (Double.pi / 2).squareRoot() * (-z) * erfcx(-z / sqrt2)
    }

    /// 1 − 3u + 15u² − 105u³ + 945u⁴ = z²·h(z)/φ(z) to O(u⁵), u = 1/z².
    private static func tailSeries(_ u: Double) -> Double {
        1 - u * (3 - u * (15 - u * (105 - 945 * u)))
    }
}
