package org.fedehr.protocol.secagg;

import java.util.Arrays;
import java.util.Objects;

/**
 * Stage 1 message from site {@code from} to site {@code to}, relayed by the coordinator: {@code from}'s Shamir shares
 * of its self-mask seed and of its masking key meant for {@code to}, AES-GCM-encrypted under a key only the two sites
 * can derive (12-byte nonce followed by ciphertext and tag). The coordinator and eavesdroppers learn nothing from it
 * except its length; any change is detected by {@code to}.
 */
public record EncryptedShare(String from, String to, byte[] ciphertext) {

    public EncryptedShare {
        if (from == null || from.isBlank()) throw new IllegalArgumentException("from must not be blank, was '" + from + "'");
        if (to == null || to.isBlank()) throw new IllegalArgumentException("to must not be blank, was '" + to + "'");
        ciphertext = Objects.requireNonNull(ciphertext, "ciphertext").clone();
    }

    @Override public byte[] ciphertext() { return ciphertext.clone(); }

    @Override public boolean equals(Object o) {
        return o instanceof EncryptedShare s && from.equals(s.from) && to.equals(s.to) && Arrays.equals(ciphertext, s.ciphertext);
    }

    @Override public int hashCode() { return Objects.hash(from, to, Arrays.hashCode(ciphertext)); }

    @Override public String toString() { return "EncryptedShare[" + from + " -> " + to + ", " + ciphertext.length + " bytes]"; }
}
