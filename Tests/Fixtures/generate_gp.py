#!/usr/bin/env python3
"""Reference values for the Gaussian process and expected-improvement tests.

Independent implementations: scikit-learn's GaussianProcessRegressor (Matern nu=2.5 with ARD
length scales, ConstantKernel for the signal variance, WhiteKernel for the noise; fixed
hyperparameters, optimizer=None), SciPy's normal distribution, and mpmath at 60 digits for
log expected improvement far in the tails.

Run:  python3 Tests/OptimizerTests/Fixtures/generate_gp.py
Writes gp.json and ei.json next to this script. Needs scikit-learn, scipy, numpy, mpmath.
"""
import json
import os

import mpmath
import numpy as np
import scipy
import sklearn
from scipy.stats import norm
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import ConstantKernel, Matern, WhiteKernel

HERE = os.path.dirname(os.path.abspath(__file__))


def gp_case(name, n, d, m, length_scales, signal, noise, seed):
    rng = np.random.default_rng(seed)
    x = rng.random((n, d))
    y = np.sin(3 * x).sum(axis=1) + 0.3 * np.cos(7 * x[:, 0]) - 0.5
    z = rng.random((m, d))
    latent = ConstantKernel(signal, "fixed") * Matern(length_scales, "fixed", nu=2.5)
    kernel = ConstantKernel(signal) * Matern(length_scales, nu=2.5) + WhiteKernel(noise)
    # alpha=0: the noise is the WhiteKernel's, so K is exactly sigma2*M + noise*I.
    gpr = GaussianProcessRegressor(kernel=kernel, optimizer=None, alpha=0.0, normalize_y=False)
    gpr.fit(x, y)
    mean, std = gpr.predict(z, return_std=True)
    # sklearn's predictive variance includes the WhiteKernel's noise; ours is the latent f.
    latent_var = std**2 - noise
    theta = gpr.kernel_.theta  # [log sigma2, log l_1..l_d, log noise]
    lml, grad = gpr.log_marginal_likelihood(theta, eval_gradient=True)
    packed_grad = list(grad[1:1 + d]) + [grad[0], grad[-1]]
    return {
        "name": name,
        "n": n, "d": d, "m": m,
        "x": x.tolist(), "y": y.tolist(), "z": z.tolist(),
        "log_length_scales": np.log(length_scales).tolist(),
        "log_signal_variance": float(np.log(signal)),
        "log_noise_variance": float(np.log(noise)),
        "kernel_xz": latent(x, z).tolist(),
        "kernel_xx": kernel(x).tolist(),
        "mean": mean.tolist(),
        "variance": latent_var.tolist(),
        "log_marginal_likelihood": float(lml),
        "log_marginal_likelihood_gradient": [float(g) for g in packed_grad],
    }


def log_h(z):
    """log(phi(z) + z*Phi(z)) to 60 significant digits.

    For z << 0 the two terms cancel to a relative 1/z^2, so the working precision grows with
    2*log10|z| digits to keep 60 after the cancellation."""
    if z < -1e4:
        # mpmath's erfc loses accuracy this far out; use the asymptotic expansion of the
        # Mills ratio (Abramowitz & Stegun 26.2.12), whose truncation error after five terms
        # is below 10395/z^10 < 1e-40 here:  h(z) = phi(z)/z^2 * (1 - 3/z^2 + 15/z^4 - 105/z^6 + 945/z^8)
        mpmath.mp.dps = 60
        z = mpmath.mpf(z)
        u = 1 / (z * z)
        series = 1 - 3 * u + 15 * u**2 - 105 * u**3 + 945 * u**4
        return float(-z * z / 2 - mpmath.log(2 * mpmath.pi) / 2 - 2 * mpmath.log(-z) + mpmath.log(series))
    mpmath.mp.dps = 60 + int(2 * mpmath.log10(abs(z) + 1))
    z = mpmath.mpf(z)
    phi = mpmath.exp(-z * z / 2) / mpmath.sqrt(2 * mpmath.pi)
    cdf = mpmath.erfc(-z / mpmath.sqrt(2)) / 2
    return float(mpmath.log(phi + z * cdf))


def main():
    cases = [
        gp_case("small-3d", 12, 3, 7, [0.3, 0.7, 1.5], 1.7, 0.05, 1),
        gp_case("medium-6d", 60, 6, 20, [0.2, 0.4, 0.6, 0.8, 1.0, 2.0], 0.8, 1e-4, 2),
        gp_case("noisy-2d", 25, 2, 10, [0.15, 0.5], 2.5, 0.3, 3),
    ]
    with open(os.path.join(HERE, "gp.json"), "w") as f:
        json.dump({"generator": "generate_gp.py", "sklearn": sklearn.__version__,
                   "scipy": scipy.__version__, "numpy": np.__version__, "cases": cases}, f, indent=1)

    ei = []
    for mean, sd, best in [(0.0, 1.0, 0.5), (1.2, 0.3, 1.0), (-0.4, 2.0, 0.1), (0.2, 0.05, 0.9), (3.0, 1.0, 0.0)]:
        z = (mean - best) / sd
        value = sd * (z * norm.cdf(z) + norm.pdf(z))
        ei.append({"mean": mean, "sd": sd, "best": best, "ei": float(value)})
    tails = []
    for z in [-1.0, -2.5, -5.0, -10.0, -20.0, -37.0, -38.5, -50.0, -1e3, -1e5, -1e8, -1e15, -1e99, 0.0, 2.0, 30.0]:
        tails.append({"z": z, "log_h": log_h(z)})
    with open(os.path.join(HERE, "ei.json"), "w") as f:
        json.dump({"generator": "generate_gp.py", "scipy": scipy.__version__, "mpmath": mpmath.__version__,
                   "ei": ei, "log_h": tails}, f, indent=1)


if __name__ == "__main__":
    main()
