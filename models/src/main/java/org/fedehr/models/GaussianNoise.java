package org.fedehr.models;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * Source of independent standard normal values for DP-SGD's noise. Package-private so that tests can
 * substitute a deliberately broken source and check that the noise checks catch it.
 */
interface GaussianNoise {

    /** Fills {@code out} with independent N(0, 1) values. */
    void fill(double[] out);

    /**
     * N(0, 1) from a {@link SecureRandom} ({@code DRBG}, seeded by the platform's entropy source; never
     * {@code java.util.Random}): bulk random bytes, 53-bit uniforms, Box–Muller. Not deterministic and
     * not reproducible by design. (Floating-point Gaussian sampling is subject to the least-significant-bit
     * attacks of Mironov 2012; a discrete or snapping mechanism would close that gap.)
     */
    static GaussianNoise secure() {
        SecureRandom random;
        try {
            random = SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            random = new SecureRandom();
        }
        SecureRandom r = random;
        return out -> {
            int pairs = (out.length + 1) / 2;
            byte[] bytes = new byte[pairs * 16];
            r.nextBytes(bytes);
            int k = 0;
            for (int p = 0; p < pairs; p++) {
                long a = 0;
                long b = 0;
                for (int i = 0; i < 8; i++) {
                    a = (a << 8) | (bytes[k++] & 0xFF);
                }
                for (int i = 0; i < 8; i++) {
                    b = (b << 8) | (bytes[k++] & 0xFF);
                }
                double u1 = ((a >>> 11) + 1) * 0x1.0p-53; // (0, 1]
                double u2 = (b >>> 11) * 0x1.0p-53;       // [0, 1)
                double radius = Math.sqrt(-2 * Math.log(u1));
                double angle = 2 * Math.PI * u2;
                out[2 * p] = radius * Math.cos(angle);
                if (2 * p + 1 < out.length) {
                    out[2 * p + 1] = radius * Math.sin(angle);
                }
            }
        };
    }
}
