package org.fedehr.protocol.secagg;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;

/**
 * The site side of one round of dropout-tolerant secure aggregation (Bonawitz et al., "Practical Secure Aggregation
 * for Privacy-Preserving Machine Learning", CCS 2017, semi-honest-server variant with signed adverts).
 *
 * <p>Flow: {@link #advertise} (stage 0) → {@link #shareKeys} (1) → {@link #receiveShares} (2) →
 * {@link #expandMask}/{@link #mask} and upload → {@link #unmask} (3). Every message goes through the coordinator, which
 * this class never trusts to decide what to reveal: it checks every roster against what it has seen.
 *
 * <p>What others learn:
 * <ul>
 *   <li><b>The coordinator</b> sees the adverts, ciphertexts it cannot open, one masked vector per site (uniformly
 *   distributed in the ring on its own) and, at the end, t or more shares of each survivor's self-mask seed and of
 *   each dropped site's masking key — enough to remove the masks from the <em>sum</em> only. An honest site never
 *   reveals both kinds of share for one peer, so no single update can be unmasked.</li>
 *   <li><b>An eavesdropper</b> on the (TLS) links sees less: shares are AES-GCM-encrypted end-to-end between sites.</li>
 *   <li><b>A colluding minority below t</b> (sites, possibly with the coordinator) holds fewer than t shares of any
 *   secret and learns nothing beyond the sum of the honest sites' inputs.</li>
 *   <li><b>An actively malicious coordinator</b> could send <em>different</em> U3 rosters to different sites (this
 *   implementation has no consistency-check round, §4 of the paper). Each honest site still reveals one kind of share
 *   per peer and refuses a second roster, so with c colluding sites the coordinator needs
 *   (t − c) + (t − c) honest reveals of opposite kinds for one peer: choose 2t &gt; n + c (e.g. t &gt; 2n/3 for
 *   c &lt;= n/3) and no individual update can be unmasked.</li>
 * </ul>
 *
 * <p>Not thread-safe, except {@link #expandMask} (after {@link #receiveShares}) and {@link #mask}, which may run on
 * another thread while the site trains.
 */
public final class SecAggSite {

    private enum Stage { FRESH, ADVERTISED, SHARED, READY, REVEALED, FAILED }

    private final UUID runId;
    private final int round;
    private final String siteId;
    private final SecAggConfig config;
    private final PrivateKey signingKey;
    private final String certificatePem;
    private final PeerVerifier verifier;
    private final SecureRandom random;

    private Stage stage = Stage.FRESH;
    private X25519PrivateKeyParameters encryptionKey;
    private X25519PrivateKeyParameters maskingKey;
    private KeyAdvert ownAdvert;
    private final Map<String, KeyAdvert> u1 = new TreeMap<>();
    private final Map<String, Integer> shareIndex = new HashMap<>();
    private byte[] selfMaskSeed;
    /** owner -> {seed share, masking-key share} held by this site (including its own). */
    private final Map<String, byte[][]> heldShares = new HashMap<>();
    /**
     * peer -> the AES-GCM share key, derived once in {@link #shareKeys} from X25519(c_self, c_peer): the key is symmetric
     * (HKDF over the sorted pair), so it also opens the peer's shares in {@link #receiveShares}; dropped afterwards.
     */
    private final Map<String, byte[]> shareKeyOf = new HashMap<>();
    private List<String> u2;
    private volatile MaskPlan maskPlan;
    private List<String> revealedFor;
    private List<RevealedShare> revealed;
    private final Map<String, ShareKind> revealedKinds = new HashMap<>();

    /** The PRG streams of this site's total mask; immutable once published. */
    private record MaskPlan(byte[] selfKey, byte[][] pairKeys, int[] pairSigns) {
    }

    /** What {@link #mask} returns: the masked ring vector (length P+1) and how many of the P values were clipped. */
    public record MaskedInput(int[] values, int clippedValues) {
    }

    public SecAggSite(UUID runId, int round, String siteId, SecAggConfig config, PrivateKey signingKey, String certificatePem,
                      PeerVerifier verifier, SecureRandom random) {
        this.runId = Objects.requireNonNull(runId, "runId");
        if (round < 0) throw new IllegalArgumentException("round must be >= 0, was " + round);
        this.round = round;
        if (siteId == null || siteId.isBlank()) throw new IllegalArgumentException("siteId must not be blank, was '" + siteId + "'");
        this.siteId = siteId;
        this.config = Objects.requireNonNull(config, "config");
        this.signingKey = Objects.requireNonNull(signingKey, "signingKey");
        this.certificatePem = Objects.requireNonNull(certificatePem, "certificatePem");
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.random = Objects.requireNonNull(random, "random");
        SecAggCrypto.signatureAlgorithm(signingKey); // fails early for an unsupported key type
    }

    public String siteId() {
        return siteId;
    }

    /** Stage 0: two fresh X25519 pairs (c for encrypting shares, s for masking), signed over (runId, round, siteId, both public keys). */
    public KeyAdvert advertise() {
        requireStage(Stage.FRESH, "advertise");
        encryptionKey = SecAggCrypto.newX25519(random);
        maskingKey = SecAggCrypto.newX25519(random);
        byte[] cpk = encryptionKey.generatePublicKey().getEncoded();
        byte[] spk = maskingKey.generatePublicKey().getEncoded();
        byte[] signature;
        try {
            signature = SecAggCrypto.sign(signingKey, SecAggCrypto.advertPayload(runId, round, siteId, cpk, spk));
        } catch (GeneralSecurityException e) {
            throw fail("advertise", "could not sign the key advert: " + e.getMessage(), siteId, e);
        }
        ownAdvert = new KeyAdvert(siteId, cpk, spk, certificatePem, signature);
        stage = Stage.ADVERTISED;
        return ownAdvert;
    }

    /**
     * Stage 1: checks the roster U1 (this site's own unaltered advert, at least t adverts, unique ids, every peer's
     * certificate and signature), draws the self-mask seed, splits it and the masking private key t-of-|U1| and
     * returns one encrypted share message for every other site of U1, in U1 order.
     */
    public List<EncryptedShare> shareKeys(List<KeyAdvert> roster) {
        String stageName = "share-keys";
        requireStage(Stage.ADVERTISED, stageName);
        Objects.requireNonNull(roster, "roster");
        Map<String, KeyAdvert> byId = new TreeMap<>();
        for (KeyAdvert a : roster) {
            if (a == null) throw fail(stageName, "the roster contains a null advert", null, null);
            if (byId.put(a.siteId(), a) != null)
                throw fail(stageName, "the roster lists site " + a.siteId() + " twice", null, null);
        }
        if (!ownAdvert.equals(byId.get(siteId)))
            throw fail(stageName, "the roster does not contain this site's own unaltered advert", null, null);
        if (byId.size() < config.threshold())
            throw fail(stageName, "the roster has " + byId.size() + " sites, fewer than the threshold " + config.threshold()
                    + "; the round fails closed", null, null);
        if (byId.size() > SecAggCrypto.MAX_SITES)
            throw fail(stageName, "the roster has " + byId.size() + " sites, more than " + SecAggCrypto.MAX_SITES, null, null);
        try {
            config.requireCapacity(byId.size());
        } catch (SecAggException e) {
            throw fail(stageName, e.getMessage(), null, e);
        }
        Set<String> seenKeys = new HashSet<>();
        for (KeyAdvert a : byId.values()) {
            if (!seenKeys.add(Arrays.toString(a.encryptionPublicKey())) | !seenKeys.add(Arrays.toString(a.maskingPublicKey())))
                throw fail(stageName, "site " + a.siteId() + " advertises a public key already used in this roster", a.siteId(), null);
            if (a.siteId().equals(siteId)) continue;
            String problem = SecAggCrypto.advertProblem(a, runId, round, verifier);
            if (problem != null) throw fail(stageName, "site " + a.siteId() + ": " + problem, a.siteId(), null);
        }
        u1.putAll(byId);
        int i = 1;
        for (String id : u1.keySet()) shareIndex.put(id, i++);

        selfMaskSeed = new byte[SecAggCrypto.KEY_BYTES];
        random.nextBytes(selfMaskSeed);
        byte[][] seedShares = SecAggCrypto.split(selfMaskSeed, config.threshold(), u1.size(), random);
        byte[][] keyShares = SecAggCrypto.split(maskingKey.getEncoded(), config.threshold(), u1.size(), random);

        List<EncryptedShare> out = new ArrayList<>(u1.size() - 1);
        for (KeyAdvert peer : u1.values()) {
            String to = peer.siteId();
            int idx = shareIndex.get(to);
            if (to.equals(siteId)) {
                heldShares.put(siteId, new byte[][] {seedShares[idx - 1], keyShares[idx - 1]});
                continue;
            }
            try {
                byte[] shared = SecAggCrypto.agree(encryptionKey, peer.encryptionPublicKey());
                byte[] key = SecAggCrypto.shareKey(shared, runId, round, siteId, to);
                shareKeyOf.put(to, key);
                byte[] pt = new SecAggCrypto.SharePlaintext(siteId, to, idx, seedShares[idx - 1], keyShares[idx - 1]).encode();
                out.add(new EncryptedShare(siteId, to, SecAggCrypto.sealGcm(key, SecAggCrypto.shareAad(runId, round, siteId, to), pt, random)));
            } catch (GeneralSecurityException e) {
                throw fail(stageName, "could not encrypt shares for site " + to + ": " + e.getMessage(), to, e);
            }
        }
        stage = Stage.SHARED;
        return out;
    }

    /**
     * Stage 2, before masking: U2 = the sites whose shares were delivered (a subset of U1 that contains this site and
     * has at least t members) and the ciphertexts addressed to this site by U2 members. Every ciphertext is decrypted
     * and authenticated now; a missing, extra or bad one is a {@link SecAggException} naming the sender.
     */
    public void receiveShares(List<String> u2, List<EncryptedShare> inbox) {
        String stageName = "receive-shares";
        requireStage(Stage.SHARED, stageName);
        List<String> members = checkRoster(u2, u1.keySet(), "U1", "U2", stageName);
        Set<String> expected = new HashSet<>(members);
        expected.remove(siteId);
        Map<String, byte[][]> received = new LinkedHashMap<>();
        for (EncryptedShare s : Objects.requireNonNull(inbox, "inbox")) {
            if (!siteId.equals(s.to()))
                throw fail(stageName, "the inbox holds a share from " + s.from() + " addressed to " + s.to(), s.from(), null);
            if (!expected.contains(s.from()))
                throw fail(stageName, "the inbox holds a share from " + s.from() + ", which is not another member of U2", s.from(), null);
            if (received.containsKey(s.from()))
                throw fail(stageName, "the inbox holds two shares from site " + s.from(), s.from(), null);
            received.put(s.from(), open(s, stageName));
        }
        for (String v : expected)
            if (!received.containsKey(v)) throw fail(stageName, "no share from site " + v + ", although it is in U2", v, null);
        heldShares.putAll(received);
        shareKeyOf.clear();
        this.u2 = members;

        byte[] selfKey = SecAggCrypto.selfMaskKey(selfMaskSeed, runId, round, siteId);
        byte[][] pairKeys = new byte[expected.size()][];
        int[] signs = new int[expected.size()];
        int k = 0;
        for (String v : members) {
            if (v.equals(siteId)) continue;
            try {
                byte[] shared = SecAggCrypto.agree(maskingKey, u1.get(v).maskingPublicKey());
                pairKeys[k] = SecAggCrypto.pairMaskKey(shared, runId, round, siteId, v);
            } catch (GeneralSecurityException e) {
                throw fail(stageName, "key agreement with site " + v + " failed: " + e.getMessage(), v, e);
            }
            signs[k++] = SecAggCrypto.pairSign(siteId, v);
        }
        maskPlan = new MaskPlan(selfKey, pairKeys, signs);
        stage = Stage.READY;
    }

    private byte[][] open(EncryptedShare s, String stageName) {
        String from = s.from();
        try {
            byte[] key = shareKeyOf.get(from); // derived in shareKeys: no second X25519 agreement
            if (key == null) key = SecAggCrypto.shareKey(SecAggCrypto.agree(encryptionKey, u1.get(from).encryptionPublicKey()), runId, round, from, siteId);
            byte[] pt = SecAggCrypto.openGcm(key, SecAggCrypto.shareAad(runId, round, from, siteId), s.ciphertext());
            SecAggCrypto.SharePlaintext p = SecAggCrypto.SharePlaintext.decode(pt);
            if (!p.from().equals(from) || !p.to().equals(siteId) || p.index() != shareIndex.get(siteId)
                    || p.seedShare().length != SecAggCrypto.KEY_BYTES || p.keyShare().length != SecAggCrypto.KEY_BYTES)
                throw fail(stageName, "the share from site " + from + " is malformed (wrong ids, index or length)", from, null);
            return new byte[][] {p.seedShare(), p.keyShare()};
        } catch (GeneralSecurityException | IOException e) {
            throw fail(stageName, "the share from site " + from + " does not decrypt and authenticate: " + e.getMessage(), from, e);
        }
    }

    /**
     * The total mask for a vector of {@code length} ring elements: PRG(b) + Σ over v in U2\{this} of ±PRG(s_uv) (+ when
     * this site's id sorts before v's, − otherwise). It depends only on the round's keys, not on the update, so it may
     * be computed on another thread while the site trains: <b>thread-safe after {@link #receiveShares}</b>.
     */
    public int[] expandMask(int length) {
        MaskPlan plan = maskPlan;
        if (plan == null) throw fail("mask", "expandMask called before receiveShares", null, null);
        if (length < 1) throw new IllegalArgumentException("length must be >= 1, was " + length);
        int[] mask = new int[length];
        int streams = plan.pairKeys().length + 1;
        byte[][] keys = new byte[streams][];
        int[] signs = new int[streams];
        keys[0] = plan.selfKey();
        signs[0] = 1;
        System.arraycopy(plan.pairKeys(), 0, keys, 1, streams - 1);
        System.arraycopy(plan.pairSigns(), 0, signs, 1, streams - 1);
        MaskPrg.addStreams(keys, signs, mask);
        return mask;
    }

    /**
     * Encodes and masks an update: element i &lt; P is {@code rint(clamp(delta[i], ±clipRange) · weight · scale)} (nearest
     * integer, ties to even: at most half a unit from the exact value, the bound {@link SecAggConfig#maxMeanError} assumes),
     * element P is {@code weight}; then adds {@code mask} (length P+1, from {@link #expandMask}) into a new array;
     * {@code mask} is not modified. Thread-safe.
     *
     * @throws SecAggException for a non-finite delta, a weight outside [0, weightCap] or a mask of the wrong length
     */
    public MaskedInput mask(float[] delta, int weight, int[] mask) {
        checkMaskArgs(delta, weight, mask);
        return encodeAndAdd(delta, weight, mask, new int[mask.length]);
    }

    /**
     * As {@link #mask(float[], int, int[])}, but adds the encoded update into {@code mask} itself and returns it as the
     * masked vector: no second 4(P+1)-byte array and no extra pass. The caller hands {@code mask} over (typically the
     * fresh result of {@link #expandMask}) and must not use it as a mask again. On a {@link SecAggException} for a
     * non-finite element, {@code mask} is left partly overwritten and must be discarded. Thread-safe.
     */
    public MaskedInput maskInPlace(float[] delta, int weight, int[] mask) {
        checkMaskArgs(delta, weight, mask);
        return encodeAndAdd(delta, weight, mask, mask);
    }

    private void checkMaskArgs(float[] delta, int weight, int[] mask) {
        Objects.requireNonNull(delta, "delta");
        Objects.requireNonNull(mask, "mask");
        if (mask.length != delta.length + 1)
            throw fail("mask", "the mask has " + mask.length + " elements, the update needs " + (delta.length + 1), null, null);
        if (weight < 0 || weight > config.weightCap())
            throw fail("mask", "weight " + weight + " is outside [0, weightCap " + config.weightCap() + "]", null, null);
    }

    /**
     * out[i] = rint(clamp(delta[i]) · factor) + mask[i]; out may be mask. Math.rint is a single SSE4.1/AVX instruction
     * on HotSpot (Math.round(double) is not intrinsified on JDK 17 and costs several times more per element); the cast
     * of the rounded value is exact because the config keeps |clip · weight · scale| &lt;= 2^31 - 1.
     */
    private MaskedInput encodeAndAdd(float[] delta, int weight, int[] mask, int[] out) {
        final double clip = config.clipRange();
        final double factor = (double) weight * config.scale();
        final int p = delta.length;
        int clipped = 0;
        for (int i = 0; i < p; i++) {
            double x = delta[i];
            if (!(x >= -clip && x <= clip)) { // rare: out of range or NaN (NaN fails both comparisons)
                if (!Double.isFinite(x)) throw fail("mask", "update element " + i + " is not finite", null, null);
                x = x > clip ? clip : -clip;
                clipped++;
            }
            out[i] = (int) Math.rint(x * factor) + mask[i];
        }
        out[p] = weight + mask[p];
        return new MaskedInput(out, clipped);
    }

    /** Convenience: {@link #maskInPlace} on a fresh {@code expandMask(delta.length + 1)}. */
    public MaskedInput mask(float[] delta, int weight) {
        return maskInPlace(delta, weight, expandMask(delta.length + 1));
    }

    /**
     * Stage 3: U3 = the sites whose masked inputs the coordinator holds (a subset of U2 with at least t members, which
     * must include this site: a site asked to reveal is alive and has uploaded). Returns this site's shares: the
     * SELF_MASK_SEED share of every u in U3 (itself included) and the MASKING_KEY share of every u in U2\U3. Calling again
     * with the same U3 returns the same shares; a different U3, or anything that would reveal both kinds of share for
     * one peer, is refused.
     */
    public List<RevealedShare> unmask(List<String> u3) {
        String stageName = "unmask";
        if (stage == Stage.REVEALED) {
            List<String> again = checkRoster(u3, new HashSet<>(u2), "U2", "U3", stageName);
            if (!again.equals(revealedFor))
                throw fail(stageName, "refusing a second, different U3 after this site already revealed its shares", null, null);
            return revealed;
        }
        requireStage(Stage.READY, stageName);
        List<String> members = checkRoster(u3, new HashSet<>(u2), "U2", "U3", stageName);
        Set<String> inU3 = new HashSet<>(members);
        List<RevealedShare> out = new ArrayList<>(u2.size());
        for (String owner : u2) {
            ShareKind kind = inU3.contains(owner) ? ShareKind.SELF_MASK_SEED : ShareKind.MASKING_KEY;
            ShareKind before = revealedKinds.putIfAbsent(owner, kind);
            if (before != null && before != kind)
                throw fail(stageName, "refusing to reveal both kinds of share for site " + owner, null, null);
            byte[][] held = heldShares.get(owner);
            out.add(new RevealedShare(owner, kind, kind == ShareKind.SELF_MASK_SEED ? held[0] : held[1]));
        }
        revealedFor = members;
        revealed = List.copyOf(out);
        stage = Stage.REVEALED;
        return revealed;
    }

    /** Checks a roster: no nulls or duplicates, a subset of {@code outer}, contains this site, at least t members. Sorted copy. */
    private List<String> checkRoster(List<String> roster, Set<String> outer, String outerName, String name, String stageName) {
        Objects.requireNonNull(roster, name);
        Set<String> seen = new HashSet<>();
        for (String id : roster) {
            if (id == null) throw fail(stageName, name + " contains a null site id", null, null);
            if (!seen.add(id)) throw fail(stageName, name + " lists site " + id + " twice", null, null);
            if (!outer.contains(id))
                throw fail(stageName, name + " contains site " + id + ", which is not in " + outerName, null, null);
        }
        if (!seen.contains(siteId)) throw fail(stageName, name + " does not contain this site", null, null);
        if (seen.size() < config.threshold())
            throw fail(stageName, name + " has " + seen.size() + " sites, fewer than the threshold " + config.threshold()
                    + "; the round fails closed", null, null);
        return seen.stream().sorted().toList();
    }

    private void requireStage(Stage expected, String stageName) {
        if (stage != expected)
            throw fail(stageName, "called in state " + stage + ", expected " + expected, null, null);
    }

    private SecAggException fail(String stageName, String message, String culprit, Throwable cause) {
        if (!stageName.equals("mask")) stage = Stage.FAILED;
        return new SecAggException("secure aggregation: run " + runId + ", round " + round + ", site " + siteId + ", stage "
                + stageName + ": " + message, culprit, cause);
    }
}
