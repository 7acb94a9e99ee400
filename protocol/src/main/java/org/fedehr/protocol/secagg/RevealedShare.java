package org.fedehr.protocol.secagg;

import java.util.Arrays;
import java.util.Objects;

/**
 * Stage 3 message: the revealing site's Shamir share of {@code owner}'s secret of the given kind. The share's index
 * is implied by the revealing site's position in the round's roster. Fewer than the threshold of these shares for
 * one owner and kind tell nothing about the secret.
 */
public record RevealedShare(String owner, ShareKind kind, byte[] share) {

    public RevealedShare {
        if (owner == null || owner.isBlank()) throw new IllegalArgumentException("owner must not be blank, was '" + owner + "'");
        Objects.requireNonNull(kind, "kind");
        share = Objects.requireNonNull(share, "share").clone();
    }

    @Override public byte[] share() { return share.clone(); }

    @Override public boolean equals(Object o) {
        return o instanceof RevealedShare s && owner.equals(s.owner) && kind == s.kind && Arrays.equals(share, s.share);
    }

    @Override public int hashCode() { return Objects.hash(owner, kind, Arrays.hashCode(share)); }

    @Override public String toString() { return "RevealedShare[" + kind + " of " + owner + "]"; }
}
