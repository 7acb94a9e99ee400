package org.fedehr.protocol.privacy;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Special cases, the fractional-order series against the integer formula, monotonicity, the σ search, validation. */
class RdpAccountantTest {
    private final RdpAccountant accountant = new RdpAccountant();

    @Test
    void fullBatchIsThePlainGaussianMechanism() {
        for (double sigma : new double[]{0.5, 1, 3.7, 50})
            for (double alpha : RdpAccountant.DEFAULT_ORDERS)
                assertThat(RdpAccountant.rdp(1, sigma, alpha)).isEqualTo(alpha / (2 * sigma * sigma));
        // and the general formulas tend to it as q -> 1
        assertThat(RdpAccountant.rdp(1 - 1e-12, 1, 3)).isCloseTo(1.5, within(1e-9));
        assertThat(RdpAccountant.rdp(1 - 1e-12, 1, 2.5)).isCloseTo(1.25, within(1e-9));
    }

    @Test
    void edgeCases() {
        assertThat(RdpAccountant.rdp(0, 1, 2)).isZero();
        assertThat(RdpAccountant.rdp(0, 0, 2)).isZero();
        assertThat(RdpAccountant.rdp(0.01, 0, 2)).isInfinite();
        assertThat(RdpAccountant.rdp(0.01, 0, 1.5)).isInfinite();

        DpGuarantee none = accountant.epsilon(0, 1, 1000, 1e-5);
        assertThat(none.epsilon()).isZero();
        assertThat(none.order()).isNaN();
        assertThat(accountant.epsilon(0.01, 1, 0, 1e-5).epsilon()).isZero();
        DpGuarantee noNoise = accountant.epsilon(0.01, 0, 1, 1e-5);
        assertThat(noNoise.epsilon()).isInfinite();
        assertThat(noNoise.order()).isNaN();
        // huge RDP (e^{α²/σ²} territory) stays finite in log space
        // (dominated by the k = α term: log A ≈ α log q + (α² − α)/(2σ²))
        assertThat(RdpAccountant.rdp(0.5, 0.1, 1024)).isCloseTo(1024 * Math.log(0.5) / 1023 + 1024 / 0.02, within(1e-6 * 51200));
        assertThat(RdpAccountant.rdp(0.5, 0.1, 4.5)).isFinite().isGreaterThan(10);
    }

    @Test
    void fractionalSeriesAgreesWithTheIntegerFormulaAtIntegerOrders() {
        double[][] qs = {{0.01, 1.1}, {0.05, 0.5}, {4.0 / 199, 1.0}, {0.5, 2.0}, {0.99, 1.0}, {0.2, 0.7}, {1e-3, 5}};
        for (double[] c : qs)
            for (int alpha : new int[]{2, 3, 4, 7}) {
                double i = RdpAccountant.logAInteger(c[0], c[1], alpha), f = RdpAccountant.logAFractional(c[0], c[1], alpha);
                assertThat(f).as("q=%s sigma=%s alpha=%s", c[0], c[1], alpha).isCloseTo(i, within(1e-9 * i + 1e-15));
            }
        // tiny RDP: the integer formula keeps relative precision, the series is accurate to ~1e-15 absolute in log A
        double i = RdpAccountant.logAInteger(1e-4, 50, 2), f = RdpAccountant.logAFractional(1e-4, 50, 2);
        assertThat(f).isCloseTo(i, within(1e-14));
    }

    @Test
    void rdpIsMonotoneInTheOrderAcrossIntegerAndFractionalOrders() {
        double[][] qs = {{0.01, 1.1}, {0.05, 0.5}, {4.0 / 199, 1.0}, {0.5, 2.0}, {1e-4, 1.0}};
        for (double[] c : qs) {
            double prev = 0;
            for (int k = 0; k <= 80; k++) { // 1.25, 1.2875, ... 4.25: integer and fractional orders interleaved
                double alpha = 1.25 + k * 0.0375;
                double r = RdpAccountant.rdp(c[0], c[1], alpha);
                assertThat(r).as("q=%s sigma=%s alpha=%s", c[0], c[1], alpha).isGreaterThanOrEqualTo(prev);
                prev = r;
            }
            // and the fractional orders either side of 2 and 3 bracket the integer values
            for (int a : new int[]{2, 3}) {
                double at = RdpAccountant.rdp(c[0], c[1], a);
                assertThat(RdpAccountant.rdp(c[0], c[1], a - 1e-6)).isLessThanOrEqualTo(at).isCloseTo(at, within(1e-4 * at));
                assertThat(RdpAccountant.rdp(c[0], c[1], a + 1e-6)).isGreaterThanOrEqualTo(at).isCloseTo(at, within(1e-4 * at));
            }
        }
    }

    @Test
    void rdpAndEpsilonMoveTheRightWay() {
        assertThat(RdpAccountant.rdp(0.01, 2, 8)).isLessThan(RdpAccountant.rdp(0.01, 1, 8));
        assertThat(RdpAccountant.rdp(0.02, 1, 8)).isGreaterThan(RdpAccountant.rdp(0.01, 1, 8));
        for (double sigma : new double[]{0.6, 1.1, 4}) {
            DpGuarantee classic = accountant.epsilon(0.01, sigma, 1000, 1e-5, Conversion.CLASSIC);
            DpGuarantee tight = accountant.epsilon(0.01, sigma, 1000, 1e-5, Conversion.TIGHT);
            assertThat(tight.epsilon()).isLessThan(classic.epsilon());
            assertThat(accountant.epsilon(0.01, sigma, 1000, 1e-5)).isEqualTo(tight);
        }
        // composition: T steps = T x one step, curve by curve
        RdpCurve one = accountant.curve(0.01, 1.1, 1);
        assertThat(one.times(300).rdp()).isEqualTo(accountant.curve(0.01, 1.1, 300).rdp());
        RdpCurve sum = one.times(100).plus(one.times(200));
        for (int k = 0; k < sum.rdp().size(); k++)
            assertThat(sum.rdp().get(k)).isCloseTo(one.rdp().get(k) * 300, within(1e-12 * one.rdp().get(k) * 300));
    }

    @Test
    void noiseMultiplierIsTheSmallestSigmaThatMeetsTheTarget() {
        double q = 4.0 / 199, delta = 1e-5;
        long steps = 20 * 50;
        double prev = Double.POSITIVE_INFINITY;
        for (double target : new double[]{1, 3, 8}) {
            double sigma = accountant.noiseMultiplier(target, q, steps, delta);
            assertThat(accountant.epsilon(q, sigma, steps, delta).epsilon()).isLessThanOrEqualTo(target);
            assertThat(accountant.epsilon(q, sigma * (1 - 1e-6), steps, delta).epsilon()).isGreaterThan(target);
            assertThat(sigma).isLessThan(prev);
            prev = sigma;
        }
        // the classic conversion needs more noise for the same target
        assertThat(accountant.noiseMultiplier(3, q, steps, delta, Conversion.CLASSIC)).isGreaterThan(accountant.noiseMultiplier(3, q, steps, delta));
        // large targets: tiny sigma, still the smallest
        double s = accountant.noiseMultiplier(500, 1, 1, delta);
        assertThat(accountant.epsilon(1, s, 1, delta).epsilon()).isLessThanOrEqualTo(500);
        assertThat(accountant.epsilon(1, s * (1 - 1e-6), 1, delta).epsilon()).isGreaterThan(500);
        // nothing spent: no noise needed
        assertThat(accountant.noiseMultiplier(1, 0, steps, delta)).isZero();
        assertThat(accountant.noiseMultiplier(1, q, 0, delta)).isZero();
        // below the conversion's floor (~0.0035 at δ = 1e-5): unreachable, clearly
        assertThatThrownBy(() -> accountant.noiseMultiplier(0.001, q, steps, delta))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("epsilon = 0.001 is unreachable");
    }

    @Test
    void parametersAreValidatedByName() {
        assertThatThrownBy(() -> RdpAccountant.rdp(1.5, 1, 2)).hasMessage("sampling rate q must be in [0, 1], got 1.5");
        assertThatThrownBy(() -> RdpAccountant.rdp(Double.NaN, 1, 2)).hasMessageContaining("sampling rate q");
        assertThatThrownBy(() -> RdpAccountant.rdp(0.1, -1, 2)).hasMessage("noise multiplier sigma must be finite and >= 0, got -1.0");
        assertThatThrownBy(() -> RdpAccountant.rdp(0.1, 1, 1)).hasMessage("RDP order alpha must be finite and > 1, got 1.0");
        assertThatThrownBy(() -> accountant.epsilon(0.1, 1, -3, 1e-5)).hasMessage("steps must be >= 0, got -3");
        assertThatThrownBy(() -> accountant.epsilon(0.1, 1, 3, 0)).hasMessage("delta must be in (0, 1), got 0.0");
        assertThatThrownBy(() -> accountant.epsilon(0.1, 1, 3, 1)).hasMessage("delta must be in (0, 1), got 1.0");
        assertThatThrownBy(() -> accountant.noiseMultiplier(0, 0.1, 3, 1e-5)).hasMessage("epsilon must be finite and > 0, got 0.0");
        assertThatThrownBy(() -> new RdpAccountant(List.of(2.0, 1.5))).hasMessageContaining("strictly increasing");
        assertThatThrownBy(() -> Conversion.parse("loose")).hasMessage("conversion = loose: expected classic or tight");
        assertThat(Conversion.parse("TIGHT")).isEqualTo(Conversion.TIGHT);
    }
}
