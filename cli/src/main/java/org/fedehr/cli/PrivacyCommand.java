package org.fedehr.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.fedehr.protocol.privacy.Conversion;
import org.fedehr.protocol.privacy.DpGuarantee;
import org.fedehr.protocol.privacy.RdpAccountant;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code fedehr privacy epsilon|noise}: the Rényi-DP accountant for DP-SGD (protocol.privacy.RdpAccountant). */
@Command(name = "privacy", mixinStandardHelpOptions = true,
        description = "Differential privacy of DP-SGD (Poisson-sampled Gaussian mechanism), accounted in Renyi DP.",
        subcommands = {PrivacyCommand.Epsilon.class, PrivacyCommand.Noise.class})
final class PrivacyCommand implements Runnable {
    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    /** Options both subcommands share; validated with messages naming the option. */
    abstract static class Common {
        @Spec
        CommandSpec spec;

        @Option(names = "--sampling-rate", required = true, paramLabel = "Q",
                description = "probability that a record is in a step's batch (batch size / rows), in [0, 1]")
        double samplingRate;

        @Option(names = "--steps", required = true, paramLabel = "T", description = "number of DP-SGD steps in total (rounds x local steps), >= 0")
        long steps;

        @Option(names = "--delta", required = true, paramLabel = "DELTA", description = "delta of the (epsilon, delta) guarantee, in (0, 1)")
        double delta;

        @Option(names = "--conversion", paramLabel = "classic|tight", defaultValue = "tight",
                description = "RDP -> (epsilon, delta) conversion: tight (Balle et al. 2020 / Canonne-Kamath-Steinke 2020) or classic"
                        + " (Mironov 2017) (default: ${DEFAULT-VALUE})")
        String conversionName;

        @Option(names = "--json", description = "print one JSON line instead of text")
        boolean json;

        Conversion conversion;

        void validateCommon() {
            if (!(samplingRate >= 0 && samplingRate <= 1)) throw bad("--sampling-rate must be in [0, 1], got " + samplingRate);
            if (steps < 0) throw bad("--steps must be >= 0, got " + steps);
            if (!(delta > 0 && delta < 1)) throw bad("--delta must be in (0, 1), got " + delta);
            try {
                conversion = Conversion.parse(conversionName);
            } catch (IllegalArgumentException e) {
                throw bad("--conversion must be classic or tight, got " + conversionName);
            }
        }

        ParameterException bad(String message) {
            return new ParameterException(spec.commandLine(), message);
        }

        Map<String, Object> report(double sigma, DpGuarantee g) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epsilon", Double.isFinite(g.epsilon()) ? g.epsilon() : null);
            m.put("delta", delta);
            m.put("order", Double.isNaN(g.order()) ? null : g.order());
            m.put("conversion", conversion.cliName());
            m.put("sampling_rate", samplingRate);
            m.put("noise_multiplier", sigma);
            m.put("steps", steps);
            return m;
        }

        static String json(Map<String, Object> m) throws Exception {
            return new ObjectMapper().writeValueAsString(m);
        }

        /** The text lines shared by both subcommands: the guarantee, the order, the conversion. */
        void printGuarantee(DpGuarantee g, double sigma) {
            String mech = String.format(Locale.ROOT, "  DP-SGD: sampling rate q = %s, noise multiplier sigma = %s, %d steps"
                    + " (Poisson-sampled Gaussian mechanism; RDP of Mironov, Talwar & Zhang 2019)", g(samplingRate), g(sigma), steps);
            if (g.epsilon() == 0) {
                System.out.println("epsilon = 0 at delta = " + g(delta) + ": q = 0 or no steps, the data are never used");
            } else if (Double.isInfinite(g.epsilon())) {
                System.out.println("epsilon = infinity: sigma = 0 adds no noise, so there is no privacy guarantee");
            } else {
                System.out.println("epsilon = " + g(g.epsilon()) + " at delta = " + g(delta) + "  (best RDP order alpha = " + g(g.order()) + ")");
            }
            System.out.println(mech);
            System.out.println("  conversion: " + conversion.cliName() + " -- " + conversion.formula());
            List<Double> orders = RdpAccountant.DEFAULT_ORDERS;
            if (Double.isFinite(g.epsilon()) && g.epsilon() > 0
                    && (g.order() == orders.get(0) || g.order() == orders.get(orders.size() - 1)))
                System.out.println("  note: the best order is at the edge of the order grid (" + g(orders.get(0)) + ".." + g(orders.get(orders.size() - 1))
                        + "); epsilon is valid but may be loose");
        }

        static String g(double x) {
            if (x == Math.rint(x) && Math.abs(x) < 1e9) return Long.toString((long) x);
            return String.format(Locale.ROOT, "%.6g", x).replaceAll("(\\.\\d*?)0+(e|$)", "$1$2").replace(".e", "e").replaceAll("\\.$", "");
        }
    }

    @Command(name = "epsilon", mixinStandardHelpOptions = true,
            description = "The (epsilon, delta) of T DP-SGD steps at sampling rate Q and noise multiplier SIGMA, and the RDP order that achieves it.")
    static final class Epsilon extends Common implements Callable<Integer> {
        @Option(names = "--noise-multiplier", required = true, paramLabel = "SIGMA",
                description = "noise standard deviation / clipping norm, >= 0")
        double sigma;

        @Override
        public Integer call() throws Exception {
            validateCommon();
            if (!(sigma >= 0) || Double.isInfinite(sigma)) throw bad("--noise-multiplier must be finite and >= 0, got " + sigma);
            DpGuarantee g = new RdpAccountant().epsilon(samplingRate, sigma, steps, delta, conversion);
            if (json) System.out.println(json(report(sigma, g)));
            else printGuarantee(g, sigma);
            return 0;
        }
    }

    @Command(name = "noise", mixinStandardHelpOptions = true,
            description = "The smallest noise multiplier SIGMA for which T DP-SGD steps at sampling rate Q stay within (EPSILON, delta).")
    static final class Noise extends Common implements Callable<Integer> {
        @Option(names = "--epsilon", required = true, paramLabel = "EPSILON", description = "target epsilon, > 0")
        double epsilon;

        @Override
        public Integer call() throws Exception {
            validateCommon();
            if (!(epsilon > 0) || Double.isInfinite(epsilon)) throw bad("--epsilon must be finite and > 0, got " + epsilon);
            RdpAccountant accountant = new RdpAccountant();
            double sigma;
            try {
                sigma = accountant.noiseMultiplier(epsilon, samplingRate, steps, delta, conversion);
            } catch (IllegalArgumentException e) {
                throw bad("--epsilon " + g(epsilon) + ": " + e.getMessage());
            }
            DpGuarantee g = accountant.epsilon(samplingRate, sigma, steps, delta, conversion);
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("target_epsilon", epsilon);
                m.putAll(report(sigma, g));
                System.out.println(json(m));
            } else {
                System.out.println("noise multiplier sigma = " + g(sigma) + "  (the smallest with epsilon <= " + g(epsilon) + " at delta = " + g(delta) + ")");
                printGuarantee(g, sigma);
            }
            return 0;
        }
    }

    /** One line, naming the option, exit code 2 — for bad input to `fedehr privacy ...` (other commands keep picocli's default). */
    static boolean handles(ParameterException ex) {
        return ex.getCommandLine().getCommandSpec().qualifiedName().startsWith("fedehr privacy");
    }
}
