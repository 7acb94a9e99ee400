package org.fedehr.protocol.secagg;

/**
 * Which of a site's two secrets a Shamir share belongs to. An honest site reveals, for any one peer, shares of at
 * most one kind: the self-mask seed of a peer whose masked input is in the sum, or the masking key of a peer that
 * dropped out before its input arrived. Revealing both would let the coordinator unmask that peer's update.
 */
public enum ShareKind { SELF_MASK_SEED, MASKING_KEY }
