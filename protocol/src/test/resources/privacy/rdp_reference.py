#!/usr/bin/env python3
"""Reference values for RdpAccountantReferenceTest (our own code, run once by hand; it generated that test's table).

Independent of the Java implementation: high-precision (mpmath, 60 digits) evaluation of the published definitions in
Mironov, Talwar & Zhang 2019, "Renyi Differential Privacy of the Sampled Gaussian Mechanism":
  A_alpha = E_{z ~ N(0, s^2)} [ ((1 - q) + q exp((2z - 1) / (2 s^2)))^alpha ],   rdp = log(A_alpha) / (alpha - 1)
  * integer alpha: the plain binomial sum  sum_k C(alpha,k) (1-q)^(alpha-k) q^k exp((k^2-k)/(2 s^2))  (Section 3.3),
    in exact-enough arithmetic (no log-space or expm1 tricks needed at 60 digits);
  * fractional alpha: direct numerical integration of the definition (mpmath.quad) - NOT the two-series formula of
    Section 3.4 that the Java code uses, so the two are genuinely independent. The script checks quad against the
    binomial sum at integer orders before using it.
Conversions: classic eps = rdp + log(1/delta)/(alpha-1) (Mironov 2017);
             tight   eps = rdp + log((alpha-1)/alpha) - (log(delta) + log(alpha))/(alpha-1) (Balle et al. 2020 / CKS 2020),
minimised over the default order grid, clamped at 0.

Run: python3 rdp_reference.py   (needs mpmath; prints Java literals)
"""
from mpmath import mp, mpf, binomial, exp, log, quad, sqrt, pi, inf, erfc

mp.dps = 60

ORDERS = [1.25, 1.5, 1.75, 2, 2.25, 2.5, 3, 3.5, 4, 4.5] + list(range(5, 65)) + [80, 96, 128, 256, 512, 1024]


def rdp_int(q, s, a):
    q, s = mpf(q), mpf(s)
    A = sum(binomial(a, k) * (1 - q) ** (a - k) * q ** k * exp(mpf(k * k - k) / (2 * s * s)) for k in range(a + 1))
    return log(A) / (a - 1)


def rdp_quad(q, s, a):
    q, s, a = mpf(q), mpf(s), mpf(a)

    def f(z):
        return exp(-z * z / (2 * s * s)) / (s * sqrt(2 * pi)) * ((1 - q) + q * exp((2 * z - 1) / (2 * s * s))) ** a

    z0 = s * s * log(1 / q - 1) + mpf(1) / 2 if 0 < q < 1 else mpf(0)
    pts = sorted(set([-30 * s, -10 * s, -s, mpf(0), mpf(1) / 2, mpf(1), z0, a, a + 10 * s, a + 30 * s]))
    return log(quad(f, [-inf] + pts + [inf], maxdegree=10)) / (a - 1)


def rdp(q, s, a):
    if q == 0:
        return mpf(0)
    if q == 1:
        return mpf(a) / (2 * mpf(s) ** 2)
    return rdp_int(q, s, int(a)) if float(a).is_integer() else rdp_quad(q, s, a)


def eps(q, s, T, delta, conv):
    delta = mpf(delta)
    best, best_a = None, None
    for a in ORDERS:
        r = T * rdp(q, s, a)
        a_ = mpf(a)
        if conv == "classic":
            e = r + log(1 / delta) / (a_ - 1)
        else:
            e = r + log((a_ - 1) / a_) - (log(delta) + log(a_)) / (a_ - 1)
        if best is None or e < best:
            best, best_a = e, a
    return max(best, mpf(0)), best_a


def g(x):
    return mp.nstr(x, 17, strip_zeros=False, min_fixed=-5, max_fixed=5).replace("e", "E")


if __name__ == "__main__":
    # self-check: quadrature against the binomial sum at integer orders
    for q, s, a in [(0.01, 1.1, 2), (0.01, 1.1, 3), (0.05, 0.5, 4), (1e-4, 1.0, 2), (0.5, 2.0, 5), (0.99, 1.0, 3)]:
        i, qd = rdp_int(q, s, a), rdp_quad(q, s, a)
        assert abs(i - qd) <= mpf("1e-25") * abs(i), (q, s, a, i, qd)

    Q = "4.0 / 199"
    rdp_rows = [  # (q literal, q, sigma, alpha, steps)
        ("1.0", 1.0, 1.0, 2, 1), ("1.0", 1.0, 1.0, 32, 1), ("1.0", 1.0, 0.8, 1.5, 7),
        ("0.01", 0.01, 1.1, 2, 1), ("0.01", 0.01, 1.1, 8, 1), ("0.01", 0.01, 1.1, 32, 10000), ("0.01", 0.01, 1.1, 1024, 1),
        ("1e-4", 1e-4, 1.0, 2, 1), ("1e-4", 1e-4, 1.0, 16, 1), ("1e-4", 1e-4, 1.0, 256, 1000),
        ("0.01", 0.01, 50.0, 2, 1), ("0.01", 0.01, 50.0, 64, 1), ("0.01", 0.01, 50.0, 1024, 1),
        ("1e-4", 1e-4, 50.0, 2, 1), ("1e-4", 1e-4, 50.0, 1024, 1),
        ("0.05", 0.05, 0.5, 2, 1), ("0.05", 0.05, 0.5, 4, 1), ("0.05", 0.05, 0.5, 16, 1), ("0.05", 0.05, 0.5, 64, 1),
        ("0.05", 0.05, 0.5, 1024, 1),
        (Q, 4.0 / 199, 1.0, 3, 1000), (Q, 4.0 / 199, 1.0, 10, 1000),
        ("0.5", 0.5, 2.0, 5, 1), ("0.99", 0.99, 1.0, 3, 1),
        # fractional orders (quadrature)
        ("0.01", 0.01, 1.1, 1.25, 1), ("0.01", 0.01, 1.1, 1.5, 1), ("0.01", 0.01, 1.1, 1.75, 1),
        ("0.01", 0.01, 1.1, 2.25, 1), ("0.01", 0.01, 1.1, 2.5, 1), ("0.01", 0.01, 1.1, 3.5, 1), ("0.01", 0.01, 1.1, 4.5, 10000),
        ("0.05", 0.05, 0.5, 1.5, 1), ("0.05", 0.05, 0.5, 2.5, 1), ("1e-4", 1e-4, 1.0, 1.5, 1),
        ("0.5", 0.5, 2.0, 2.5, 1), ("0.99", 0.99, 1.0, 1.5, 1), (Q, 4.0 / 199, 1.0, 2.5, 1000),
    ]
    print("    // q, sigma, alpha, steps, expected RDP (steps x per-step)")
    for ql, q, s, a, T in rdp_rows:
        print(f"            {{{ql}, {s!r}, {float(a)!r}, {T}, {g(T * rdp(q, s, a))}}},")

    eps_rows = [  # (q literal, q, sigma, steps, delta)
        ("0.01", 0.01, 1.1, 10000, 1e-5), ("1.0", 1.0, 1.0, 1, 1e-5), (Q, 4.0 / 199, 1.0, 1000, 1e-5),
        ("0.01", 0.01, 4.0, 10000, 1e-5), ("1e-4", 1e-4, 50.0, 1, 1e-5), ("0.05", 0.05, 0.5, 100, 1e-5),
        ("0.01", 0.01, 1.1, 10000, 1e-3),
    ]
    print("    // q, sigma, steps, delta, conversion, expected epsilon, expected order")
    for ql, q, s, T, d in eps_rows:
        for conv in ("classic", "tight"):
            e, a = eps(q, s, T, d, conv)
            print(f'            row({ql}, {s!r}, {T}, {d!r}, Conversion.{conv.upper()}, {g(e)}, {float(a)!r}),')

    print("    // log(erfc(x))")
    for x in [-40.0, -5.0, -2.5, -2.4999, -1.0, 0.0, 0.3, 1.0, 2.4999, 2.5, 3.0, 6.0, 27.0, 100.0, 1e4]:
        print(f"            {{{x!r}, {g(log(erfc(mpf(x))))}}},")
