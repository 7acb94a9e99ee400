package org.fedehr.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The scenario {@code fedehr simulate} runs without an argument: {@value #RELATIVE}, looked up in the current
 * directory, then in the checkout that holds the running jar ({@code cli/target/fedehr.jar} → two levels up).
 */
final class DefaultScenario {
    static final String RELATIVE = "configs/simulations/synthea-default.yaml";

    private DefaultScenario() {
    }

    static Path locate() {
        Path here = Path.of(RELATIVE);
        if (Files.isRegularFile(here)) return here;
        try {
            var src = DefaultScenario.class.getProtectionDomain().getCodeSource();
            if (src != null) {
                for (Path p = Path.of(src.getLocation().toURI()).toAbsolutePath().getParent(); p != null; p = p.getParent()) {
                    Path c = p.resolve(RELATIVE);
                    if (Files.isRegularFile(c)) return c;
                }
            }
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("no scenario given and the default " + RELATIVE + " was not found in "
                + Path.of("").toAbsolutePath() + " or above the fedehr jar: run from the project root or name a scenario file");
    }
}
