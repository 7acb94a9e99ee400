package org.fedehr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** `fedehr privacy epsilon|noise`, in process. */
class PrivacyCommandTest extends CapturedConsole {

    private String run(int expectedExit, String... args) {
        out.reset();
        err.reset();
        assertThat(Main.execute(args)).as(String.join(" ", args) + "\n" + err).isEqualTo(expectedExit);
        return (expectedExit == 0 ? out : err).toString(StandardCharsets.UTF_8);
    }

    @Test
    void epsilonTextAndJson() throws Exception {
        String text = run(0, "privacy", "epsilon", "--sampling-rate", "1", "--noise-multiplier", "1", "--steps", "1", "--delta", "1e-5");
        assertThat(text).contains("epsilon = 4.75273 at delta = 1e-05").contains("best RDP order alpha = 5").contains("conversion: tight").contains("1 step (");
        String classic = run(0, "privacy", "epsilon", "--sampling-rate", "1", "--noise-multiplier", "1", "--steps", "1", "--delta", "1e-5",
                "--conversion", "classic");
        assertThat(classic).contains("epsilon = 5.30259").contains("order alpha = 6").contains("conversion: classic");

        JsonNode j = new ObjectMapper().readTree(run(0, "privacy", "epsilon", "--sampling-rate", "0.01", "--noise-multiplier", "1.1",
                "--steps", "10000", "--delta", "1e-5", "--json"));
        assertThat(j.get("epsilon").asDouble()).isCloseTo(5.6387499424804873, within(1e-6));
        assertThat(j.get("order").asDouble()).isEqualTo(4.5);
        assertThat(j.get("conversion").asText()).isEqualTo("tight");

        assertThat(run(0, "privacy", "epsilon", "--sampling-rate", "0", "--noise-multiplier", "1", "--steps", "10", "--delta", "1e-5"))
                .contains("epsilon = 0");
        JsonNode none = new ObjectMapper().readTree(run(0, "privacy", "epsilon", "--sampling-rate", "0.1", "--noise-multiplier", "0",
                "--steps", "10", "--delta", "1e-5", "--json"));
        assertThat(none.get("epsilon").isNull()).isTrue();
    }

    @Test
    void noiseFindsTheSmallestSigma() throws Exception {
        JsonNode j = new ObjectMapper().readTree(run(0, "privacy", "noise", "--epsilon", "3", "--sampling-rate", String.valueOf(4.0 / 199),
                "--steps", "1000", "--delta", "1e-5", "--json"));
        assertThat(j.get("epsilon").asDouble()).isLessThanOrEqualTo(3).isGreaterThan(2.999);
        assertThat(j.get("noise_multiplier").asDouble()).isBetween(0.5, 2.0);
        assertThat(run(0, "privacy", "noise", "--epsilon", "3", "--sampling-rate", "4/199", "--steps", "1000", "--delta", "1e-5"))
                .contains("noise multiplier sigma = ").contains("the smallest with epsilon <= 3 at delta = 1e-05");
        // the printed sigma (rounded up) still meets the target when copied into a training config
        for (String target : new String[]{"1", "3", "8"}) {
            String text = run(0, "privacy", "noise", "--epsilon", target, "--sampling-rate", "4/199", "--steps", "1000", "--delta", "1e-5");
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("noise multiplier sigma = ([0-9.]+)").matcher(text);
            assertThat(m.find()).isTrue();
            double printed = Double.parseDouble(m.group(1));
            assertThat(new org.fedehr.protocol.privacy.RdpAccountant().epsilon(4.0 / 199, printed, 1000, 1e-5).epsilon())
                    .isLessThanOrEqualTo(Double.parseDouble(target));
        }
    }

    @Test
    void badInputIsOneLineNamingTheOption() {
        assertOneLine(run(2, "privacy", "epsilon", "--sampling-rate", "1.5", "--noise-multiplier", "1", "--steps", "1", "--delta", "1e-5"),
                "--sampling-rate must be in [0, 1], got 1.5");
        assertOneLine(run(2, "privacy", "epsilon", "--sampling-rate", "0.1", "--noise-multiplier", "-1", "--steps", "1", "--delta", "1e-5"),
                "--noise-multiplier");
        assertOneLine(run(2, "privacy", "epsilon", "--sampling-rate", "0.1", "--noise-multiplier", "1", "--steps", "1", "--delta", "abc"),
                "--delta");
        assertOneLine(run(2, "privacy", "epsilon", "--sampling-rate", "0.1", "--noise-multiplier", "1", "--steps", "1", "--delta", "1"),
                "--delta must be in (0, 1), got 1.0");
        assertOneLine(run(2, "privacy", "epsilon", "--sampling-rate", "0.1", "--noise-multiplier", "1", "--delta", "1e-5"), "--steps");
        assertOneLine(run(2, "privacy", "epsilon", "--sampling-rate", "0.1", "--noise-multiplier", "1", "--steps", "1", "--delta", "1e-5",
                "--conversion", "loose"), "--conversion must be classic or tight, got loose");
        assertOneLine(run(2, "privacy", "noise", "--epsilon", "0", "--sampling-rate", "0.1", "--steps", "1", "--delta", "1e-5"),
                "--epsilon must be finite and > 0, got 0.0");
        assertOneLine(run(2, "privacy", "noise", "--epsilon", "0.001", "--sampling-rate", "0.1", "--steps", "1", "--delta", "1e-5"),
                "is unreachable");
        assertOneLine(run(2, "privacy", "noise", "--epsilon", "1", "--sampling-rate", "4/0", "--steps", "1", "--delta", "1e-5"),
                "--sampling-rate");
    }

    private static void assertOneLine(String stderr, String expected) {
        assertThat(stderr).startsWith("fedehr: ").contains(expected);
        assertThat(stderr.strip().lines().count()).as(stderr).isEqualTo(1);
    }
}
