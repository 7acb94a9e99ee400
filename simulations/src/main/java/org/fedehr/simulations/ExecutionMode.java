package org.fedehr.simulations;

import java.util.Locale;

/**
 * How a simulation runs its sites ({@code mode:} in a scenario). {@code network}: every site a real HTTPS client with
 * its own thread, on loopback with mutual TLS, as in a deployment. {@code in-process}: the same site-node and
 * coordinator code behind an in-process link that passes the same encoded messages, sites materialised on demand and
 * served by a bounded worker pool, for federations of thousands of sites. Same seed, same final model in both.
 */
public enum ExecutionMode {
    NETWORK("network"),
    IN_PROCESS("in-process");

    private final String yamlName;

    ExecutionMode(String yamlName) {
        this.yamlName = yamlName;
    }

    public String yamlName() {
        return yamlName;
    }

    /** {@code network} or {@code in-process} (also {@code in_process}, {@code inprocess}), case-insensitive. */
    public static ExecutionMode parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        if (t.equals("network")) return NETWORK;
        if (t.equals("in-process") || t.equals("inprocess")) return IN_PROCESS;
        throw new IllegalArgumentException("mode must be network or in-process, was '" + text + "'");
    }
}
