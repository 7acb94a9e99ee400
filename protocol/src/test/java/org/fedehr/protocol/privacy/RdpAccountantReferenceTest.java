package org.fedehr.protocol.privacy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The accountant against reference values computed independently, at 60 digits, by
 * src/test/resources/privacy/rdp_reference.py (our own script, run once; it printed these literals): the binomial sum
 * of Mironov, Talwar &amp; Zhang 2019 for integer orders and numerical integration of the definition of A_α for
 * fractional ones. Agreement to 1e-6 relative.
 */
class RdpAccountantReferenceTest {
    private static final double REL = 1e-6;

    /** q, σ, α, steps, expected RDP after the steps. */
    private static final double[][] RDP = {
            {1.0, 1.0, 2.0, 1, 1.0000000000000000},
            {1.0, 1.0, 32.0, 1, 16.000000000000000},
            {1.0, 0.8, 1.5, 7, 8.2031249999999991},
            {0.01, 1.1, 2.0, 1, 0.00012851008160516180},
            {0.01, 1.1, 8.0, 1, 0.00058407033552025108},
            {0.01, 1.1, 32.0, 10000, 84694.164336759256},
            {0.01, 1.1, 1024.0, 1, 418.53082404914506},
            {1e-4, 1.0, 2.0, 1, 1.7182818136965834E-8},
            {1e-4, 1.0, 16.0, 1, 1.3798671631018145E-7},
            {1e-4, 1.0, 256.0, 1000, 1.1875354064617293E+5},
            {0.01, 50.0, 2.0, 1, 4.0008000266453290E-8},
            {0.01, 50.0, 64.0, 1, 1.2805705432745199E-6},
            {0.01, 50.0, 1024.0, 1, 2.0567474433101407E-5},
            {1e-4, 50.0, 2.0, 1, 4.0008001066693314E-12},
            {1e-4, 50.0, 1024.0, 1, 2.0484934177081669E-9},
            {0.05, 0.5, 2.0, 1, 0.12574712688706776},
            {0.05, 0.5, 4.0, 1, 4.0058493906703306},
            {0.05, 0.5, 16.0, 1, 28.804552241542410},
            {0.05, 0.5, 64.0, 1, 124.95671642051658},
            {0.05, 0.5, 1024.0, 1, 2045.0013393469020},
            {4.0 / 199, 1.0, 3.0, 1000, 1.0967199906464567},
            {4.0 / 199, 1.0, 10.0, 1000, 666.19471814733921},
            {0.5, 2.0, 5.0, 1, 0.21160515122263299},
            {0.99, 1.0, 3.0, 1, 1.4869784516463415},
            {0.01, 1.1, 1.25, 1, 7.9280055348681651E-5},
            {0.01, 1.1, 1.5, 1, 9.5545285718748299E-5},
            {0.01, 1.1, 1.75, 1, 0.00011195416491045414},
            {0.01, 1.1, 2.25, 1, 0.00014521658719480237},
            {0.01, 1.1, 2.5, 1, 0.00016207740937000371},
            {0.01, 1.1, 3.5, 1, 0.00023114550949697185},
            {0.01, 1.1, 4.5, 10000, 3.0303934941345493},
            {0.05, 0.5, 1.5, 1, 0.045471954940980454},
            {0.05, 0.5, 2.5, 1, 0.48681030544007601},
            {1e-4, 1.0, 1.5, 1, 1.2885373907673299E-8},
            {0.5, 2.0, 2.5, 1, 0.088629845524246102},
            {0.99, 1.0, 1.5, 1, 0.73822004541984885},
            {4.0 / 199, 1.0, 2.5, 1000, 0.88963607725303463},
    };

    private record Row(double q, double sigma, long steps, double delta, Conversion conversion, double epsilon, double order) {
    }

    private static Row row(double q, double sigma, long steps, double delta, Conversion c, double epsilon, double order) {
        return new Row(q, sigma, steps, delta, c, epsilon, order);
    }

    /** (ε, δ) over the default orders: q, σ, steps, δ, conversion, expected ε, order that achieves it. */
    private static final Row[] EPSILON = {
            row(0.01, 1.1, 10000, 1e-05, Conversion.CLASSIC, 6.2798110295722238, 5.0),
            row(0.01, 1.1, 10000, 1e-05, Conversion.TIGHT, 5.6387499424804873, 4.5),
            row(1.0, 1.0, 1, 1e-05, Conversion.CLASSIC, 5.3025850929940457, 6.0),
            row(1.0, 1.0, 1, 1e-05, Conversion.TIGHT, 4.7527283368198222, 5.0),
            row(4.0 / 199, 1.0, 1000, 1e-05, Conversion.CLASSIC, 4.9730610446399328, 5.0),
            row(4.0 / 199, 1.0, 1000, 1e-05, Conversion.TIGHT, 4.3475580152171979, 5.0),
            row(0.01, 4.0, 10000, 1e-05, Conversion.CLASSIC, 1.2585747412527875, 20.0),
            row(0.01, 4.0, 10000, 1e-05, Conversion.TIGHT, 1.0354900660362967, 17.0),
            row(1e-4, 50.0, 1, 1e-05, Conversion.CLASSIC, 0.011254083636929614, 1024.0),
            row(1e-4, 50.0, 1, 1e-05, Conversion.TIGHT, 0.0035014117255649234, 1024.0),
            row(0.05, 0.5, 100, 1e-05, Conversion.CLASSIC, 22.630864112255215, 1.75),
            row(0.05, 0.5, 100, 1e-05, Conversion.TIGHT, 21.037411867954115, 1.75),
            row(0.01, 1.1, 10000, 0.001, Conversion.CLASSIC, 4.9697682392646599, 4.0),
            row(0.01, 1.1, 10000, 0.001, Conversion.TIGHT, 4.2199880464395821, 4.0),
    };

    /** x, log(erfc(x)). */
    private static final double[][] LOG_ERFC = {
            {-40.0, 0.69314718055994531},
            {-5.0, 0.69314718055917658},
            {-2.5, 0.69294368384717120},
            {-2.4999, 0.69294357488354954},
            {-1.0, 0.61123231767807049},
            {0.0, 0.0},
            {0.3, -0.39843005144008527},
            {1.0, -1.8496055099332482},
            {2.4999, -7.8062800140910911},
            {2.5, -7.8068152727272644},
            {3.0, -10.720363041981113},
            {6.0, -38.377561173223388},
            {27.0, -732.86888650789741},
            {100.0, -10005.177585122664},
            {10000.0, -1.0000000978270532E+8},
    };

    @Test
    void rdpMatchesTheReferenceTable() {
        RdpAccountant accountant = new RdpAccountant();
        for (double[] r : RDP) {
            double q = r[0], sigma = r[1], alpha = r[2], expected = r[4];
            long steps = (long) r[3];
            double actual = RdpAccountant.rdp(q, sigma, alpha) * steps;
            assertThat(actual).as("q=%s sigma=%s alpha=%s steps=%s", q, sigma, alpha, steps).isCloseTo(expected, within(REL * expected));
            // the same number through a curve over a one-order grid (composition = multiplication by steps)
            double viaCurve = new RdpAccountant(java.util.List.of(alpha)).curve(q, sigma, steps).rdp().get(0);
            assertThat(viaCurve).isCloseTo(expected, within(REL * expected));
        }
        assertThat(accountant.orders()).hasSize(76);
    }

    @Test
    void epsilonMatchesTheReferenceTable() {
        RdpAccountant accountant = new RdpAccountant();
        for (Row r : EPSILON) {
            DpGuarantee g = accountant.epsilon(r.q(), r.sigma(), r.steps(), r.delta(), r.conversion());
            assertThat(g.epsilon()).as("%s", r).isCloseTo(r.epsilon(), within(REL * r.epsilon()));
            assertThat(g.order()).as("%s", r).isEqualTo(r.order());
            assertThat(g.conversion()).isEqualTo(r.conversion());
            assertThat(g.delta()).isEqualTo(r.delta());
        }
    }

    @Test
    void logErfcMatchesTheReferenceTable() {
        for (double[] r : LOG_ERFC) {
            double expected = r[1];
            assertThat(LogMath.logErfc(r[0])).as("x=%s", r[0]).isCloseTo(expected, within(Math.max(1e-15, 1e-12 * Math.abs(expected))));
        }
    }
}
