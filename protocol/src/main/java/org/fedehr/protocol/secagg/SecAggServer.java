package org.fedehr.protocol.secagg;

import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;

/**
 * The coordinator side of one round of dropout-tolerant secure aggregation (Bonawitz et al., CCS 2017): it relays
 * adverts and encrypted shares, collects masked inputs and reveals, and computes the sum of the survivors' inputs.
 *
 * <p>What it learns: the adverts (public keys and certificates), the sizes of the encrypted shares, one masked vector
 * per surviving site — each uniformly distributed in the ring on its own — and, at the end, the self-mask seeds of the
 * survivors (U3) and the masking keys of the sites that dropped after sharing (U2\U3). Together these remove the
 * masks from the <em>sum</em> of U3's inputs and from nothing else, as honest sites never reveal both secrets of one
 * peer. It never holds an individual unmasked update; {@link #heldVectors()} lets a test check that.
 *
 * <p>An eavesdropper learns no more than the coordinator (less, as the share ciphertexts are end-to-end); the
 * coordinator together with fewer than t sites learns nothing beyond the sum of the honest survivors' inputs.
 *
 * <p>Each stage closes with at least t participants or fails closed with a {@link SecAggException}: no partial sum is
 * ever produced. Every method is synchronized, so the server may be fed from any one (or several) collector threads.
 */
public final class SecAggServer {

    private enum Stage { ADVERTISING, SHARING, MASKING, UNMASKING, DONE, FAILED }

    private final UUID runId;
    private final int round;
    private final SecAggConfig config;
    private final Set<String> selected;
    private final PeerVerifier verifier;

    private Stage stage = Stage.ADVERTISING;
    private final Map<String, KeyAdvert> adverts = new TreeMap<>();
    private List<String> u1;
    private final Map<String, List<EncryptedShare>> sharesFrom = new TreeMap<>();
    private List<String> u2;
    private int expectedLength = -1;
    private final Map<String, int[]> masked = new TreeMap<>();
    private List<String> u3;
    private final Map<String, List<RevealedShare>> reveals = new TreeMap<>();
    private Result result;

    /**
     * The sum of the survivors' inputs: {@code weightedSum[i] = Σ_{u in U3} round(clip(x_u[i])·w_u·scale)/scale},
     * {@code totalWeight = Σ w_u}, {@code contributors} = U3 in site-id order.
     */
    public record Result(double[] weightedSum, double totalWeight, List<String> contributors) {

        public Result {
            weightedSum = Objects.requireNonNull(weightedSum, "weightedSum").clone();
            contributors = List.copyOf(contributors);
        }

        @Override public double[] weightedSum() { return weightedSum.clone(); }

        /** weightedSum / totalWeight: the weighted mean of the contributors' clipped updates. */
        public double[] mean() {
            if (!(totalWeight > 0)) throw new IllegalStateException("total weight is " + totalWeight + ": no mean to take");
            double[] m = new double[weightedSum.length];
            for (int i = 0; i < m.length; i++) m[i] = weightedSum[i] / totalWeight;
            return m;
        }

        @Override public boolean equals(Object o) {
            return o instanceof Result r && Arrays.equals(weightedSum, r.weightedSum) && totalWeight == r.totalWeight
                    && contributors.equals(r.contributors);
        }

        @Override public int hashCode() { return Objects.hash(Arrays.hashCode(weightedSum), totalWeight, contributors); }

        @Override public String toString() {
            return "Result[" + weightedSum.length + " values, totalWeight=" + totalWeight + ", contributors=" + contributors + "]";
        }
    }

    /** A server that does not check advert signatures itself (each site checks every peer's). */
    public SecAggServer(UUID runId, int round, SecAggConfig config, Collection<String> selected) {
        this(runId, round, config, selected, null);
    }

    /** A server that also checks every advert's certificate and signature with {@code verifier} as it arrives. */
    public SecAggServer(UUID runId, int round, SecAggConfig config, Collection<String> selected, PeerVerifier verifier) {
        this.runId = Objects.requireNonNull(runId, "runId");
        if (round < 0) throw new IllegalArgumentException("round must be >= 0, was " + round);
        this.round = round;
        this.config = Objects.requireNonNull(config, "config");
        Objects.requireNonNull(selected, "selected");
        this.selected = new TreeSet<>();
        for (String s : selected) {
            if (s == null || s.isBlank()) throw new IllegalArgumentException("selected site ids must not be blank, was '" + s + "'");
            if (!this.selected.add(s)) throw new IllegalArgumentException("selected lists site " + s + " twice");
        }
        if (this.selected.size() < config.threshold())
            throw new IllegalArgumentException("only " + this.selected.size() + " sites selected, fewer than the threshold " + config.threshold());
        if (this.selected.size() > SecAggCrypto.MAX_SITES)
            throw new IllegalArgumentException(this.selected.size() + " sites selected, more than " + SecAggCrypto.MAX_SITES);
        config.requireCapacity(this.selected.size());
        this.verifier = verifier;
    }

    /** Sets the length (P+1) every masked input must have; otherwise the first upload's length is used. */
    public synchronized void expectLength(int length) {
        if (length < 2) throw new IllegalArgumentException("length must be >= 2 (P values and the weight), was " + length);
        if (expectedLength != -1 && expectedLength != length)
            throw fail("masking", "length already fixed at " + expectedLength + ", not " + length, null);
        expectedLength = length;
    }

    public synchronized void acceptAdvert(String from, KeyAdvert advert) {
        String st = "advertising";
        requireStage(Stage.ADVERTISING, st);
        Objects.requireNonNull(advert, "advert");
        if (!advert.siteId().equals(from))
            throw fail(st, "site " + from + " sent an advert for site " + advert.siteId(), from);
        if (!selected.contains(from)) throw fail(st, "site " + from + " is not selected for this round", from);
        if (adverts.containsKey(from)) throw fail(st, "site " + from + " advertised twice", from);
        if (advert.encryptionPublicKey().length != SecAggCrypto.KEY_BYTES || advert.maskingPublicKey().length != SecAggCrypto.KEY_BYTES)
            throw fail(st, "site " + from + ": its advert's public keys are not 32-byte X25519 keys", from);
        if (verifier != null) {
            String problem = SecAggCrypto.advertProblem(advert, runId, round, verifier);
            if (problem != null) throw fail(st, "site " + from + ": " + problem, from);
        }
        adverts.put(from, advert);
    }

    /** Closes stage 0: U1 = the sites that advertised, in site-id order. Fewer than t: the round fails closed. */
    public synchronized List<KeyAdvert> closeAdvertising() {
        requireStage(Stage.ADVERTISING, "advertising");
        u1 = List.copyOf(adverts.keySet());
        requireQuorum(u1.size(), "advertising", "sites advertised keys");
        stage = Stage.SHARING;
        return List.copyOf(adverts.values());
    }

    public synchronized void acceptShares(String from, List<EncryptedShare> shares) {
        String st = "sharing";
        requireStage(Stage.SHARING, st);
        if (!u1.contains(from)) throw fail(st, "site " + from + " is not in U1", from);
        if (sharesFrom.containsKey(from)) throw fail(st, "site " + from + " sent its shares twice", from);
        Objects.requireNonNull(shares, "shares");
        Set<String> to = new HashSet<>();
        for (EncryptedShare s : shares) {
            if (!from.equals(s.from())) throw fail(st, "site " + from + " sent a share claiming to be from " + s.from(), from);
            if (s.to().equals(from) || !u1.contains(s.to()))
                throw fail(st, "site " + from + " sent a share addressed to " + s.to() + ", not another member of U1", from);
            if (!to.add(s.to())) throw fail(st, "site " + from + " sent two shares for " + s.to(), from);
        }
        if (to.size() != u1.size() - 1)
            throw fail(st, "site " + from + " sent " + to.size() + " shares, not one for each of the " + (u1.size() - 1) + " other sites", from);
        sharesFrom.put(from, List.copyOf(shares));
    }

    /** Closes stage 1: U2 = the sites whose shares arrived. Fewer than t: the round fails closed. */
    public synchronized List<String> closeSharing() {
        requireStage(Stage.SHARING, "sharing");
        u2 = List.copyOf(sharesFrom.keySet());
        requireQuorum(u2.size(), "sharing", "sites delivered their shares");
        stage = Stage.MASKING;
        return u2;
    }

    /** The ciphertexts addressed to {@code site} by U2 members (site must be in U2), in sender order. */
    public synchronized List<EncryptedShare> inboxOf(String site) {
        if (u2 == null) throw fail("sharing", "inboxOf(" + site + ") before closeSharing", null);
        if (!u2.contains(site)) throw fail("sharing", "site " + site + " is not in U2", site);
        List<EncryptedShare> inbox = new ArrayList<>(u2.size() - 1);
        for (String v : u2) {
            if (v.equals(site)) continue;
            for (EncryptedShare s : sharesFrom.get(v)) if (s.to().equals(site)) inbox.add(s);
        }
        return inbox;
    }

    /**
     * Accepts site {@code from}'s masked vector (length P+1). <b>Takes ownership of {@code maskedInput}</b> without
     * copying it (4(P+1) bytes per site): the caller must not modify the array afterwards (the coordinator passes the
     * array it has just decoded from the upload). The server itself only reads it.
     */
    public synchronized void acceptMaskedInput(String from, int[] maskedInput) {
        String st = "masking";
        requireStage(Stage.MASKING, st);
        if (!u2.contains(from)) throw fail(st, "site " + from + " is not in U2", from);
        if (masked.containsKey(from)) throw fail(st, "site " + from + " uploaded twice", from);
        Objects.requireNonNull(maskedInput, "masked");
        if (expectedLength == -1) {
            if (maskedInput.length < 2) throw fail(st, "site " + from + " uploaded " + maskedInput.length + " elements, fewer than 2", from);
            expectedLength = maskedInput.length;
        } else if (maskedInput.length != expectedLength) {
            throw fail(st, "site " + from + " uploaded " + maskedInput.length + " elements, expected " + expectedLength, from);
        }
        masked.put(from, maskedInput); // owned, see above: no 4 MB copy
    }

    /** Closes stage 2: U3 = the sites whose masked inputs arrived. Fewer than t: the round fails closed. */
    public synchronized List<String> closeMasking() {
        requireStage(Stage.MASKING, "masking");
        u3 = List.copyOf(masked.keySet());
        requireQuorum(u3.size(), "masking", "sites uploaded masked inputs");
        stage = Stage.UNMASKING;
        return u3;
    }

    public synchronized void acceptReveals(String from, List<RevealedShare> shares) {
        String st = "unmasking";
        requireStage(Stage.UNMASKING, st);
        if (!u3.contains(from)) throw fail(st, "site " + from + " is not in U3", from);
        if (reveals.containsKey(from)) throw fail(st, "site " + from + " revealed twice", from);
        Objects.requireNonNull(shares, "shares");
        Set<String> owners = new HashSet<>();
        for (RevealedShare r : shares) {
            if (!u2.contains(r.owner())) throw fail(st, "site " + from + " revealed a share of " + r.owner() + ", not in U2", from);
            ShareKind expected = u3.contains(r.owner()) ? ShareKind.SELF_MASK_SEED : ShareKind.MASKING_KEY;
            if (r.kind() != expected)
                throw fail(st, "site " + from + " revealed a " + r.kind() + " share of " + r.owner() + ", expected " + expected, from);
            if (!owners.add(r.owner())) throw fail(st, "site " + from + " revealed two shares of " + r.owner(), from);
            if (r.share().length != SecAggCrypto.KEY_BYTES)
                throw fail(st, "site " + from + " revealed a malformed share of " + r.owner(), from);
        }
        reveals.put(from, List.copyOf(shares));
    }

    /**
     * Needs reveals from at least t sites of U3. Reconstructs the self-mask seed of every u in U3 and the masking key of
     * every u in U2\U3, removes the self-masks and the dropped sites' pairwise masks from the sum of U3's masked inputs
     * and returns it. Below t — or when a secret cannot be reconstructed consistently — the round fails closed and no
     * sum is produced.
     */
    public synchronized Result closeUnmasking() {
        String st = "unmasking";
        requireStage(Stage.UNMASKING, st);
        requireQuorum(reveals.size(), st, "sites revealed their shares");
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < u1.size(); i++) index.put(u1.get(i), i + 1);
        Map<String, Map<Integer, byte[]>> sharesOf = new LinkedHashMap<>();
        for (Map.Entry<String, List<RevealedShare>> e : reveals.entrySet())
            for (RevealedShare r : e.getValue())
                sharesOf.computeIfAbsent(r.owner(), k -> new TreeMap<>()).put(index.get(e.getKey()), r.share());

        int[] acc = new int[expectedLength];
        for (String u : u3) RingSum.add(acc, masked.get(u));
        List<byte[]> keys = new ArrayList<>();
        List<Integer> signs = new ArrayList<>();
        for (String u : u3) {
            byte[] seed = reconstruct(u, sharesOf.get(u), ShareKind.SELF_MASK_SEED);
            keys.add(SecAggCrypto.selfMaskKey(seed, runId, round, u));
            signs.add(-1);
        }
        for (String u : u2) {
            if (u3.contains(u)) continue;
            byte[] raw = reconstruct(u, sharesOf.get(u), ShareKind.MASKING_KEY);
            X25519PrivateKeyParameters sk = new X25519PrivateKeyParameters(raw, 0);
            if (!Arrays.equals(sk.generatePublicKey().getEncoded(), adverts.get(u).maskingPublicKey()))
                throw fail(st, "the masking key of site " + u + " reconstructed from the reveals does not match its advert", null);
            for (String v : u3) {
                byte[] key;
                try {
                    key = SecAggCrypto.pairMaskKey(SecAggCrypto.agree(sk, adverts.get(v).maskingPublicKey()), runId, round, u, v);
                } catch (GeneralSecurityException e) {
                    throw fail(st, "key agreement between sites " + u + " and " + v + " failed", null);
                }
                // v added pairSign(v, u) · PRG(s_uv) for the absent u: take it out again
                keys.add(key);
                signs.add(-SecAggCrypto.pairSign(v, u));
            }
        }
        MaskPrg.addStreams(keys.toArray(new byte[0][]), signs.stream().mapToInt(Integer::intValue).toArray(), acc);
        int p = expectedLength - 1;
        long totalWeight = acc[p];
        if (totalWeight < 0 || totalWeight > (long) u3.size() * config.weightCap())
            throw fail(st, "the unmasked total weight is out of range: a masked input or a reveal is corrupt", null);
        double[] sum = new double[p];
        for (int i = 0; i < p; i++) sum[i] = acc[i] / config.scale();
        result = new Result(sum, totalWeight, u3);
        stage = Stage.DONE;
        return result;
    }

    private byte[] reconstruct(String owner, Map<Integer, byte[]> shares, ShareKind kind) {
        int have = shares == null ? 0 : shares.size();
        if (have < config.threshold())
            throw fail("unmasking", "only " + have + " " + kind + " shares of site " + owner + " were revealed, fewer than the threshold "
                    + config.threshold() + "; the round fails closed", null);
        List<Integer> idx = new ArrayList<>(shares.keySet());
        int t = config.threshold();
        byte[] first = SecAggCrypto.combine(subset(shares, idx.subList(0, t)));
        if (have > t) { // the shares must agree: reconstruct from the last t as well
            byte[] last = SecAggCrypto.combine(subset(shares, idx.subList(have - t, have)));
            if (!Arrays.equals(first, last))
                throw fail("unmasking", "the revealed " + kind + " shares of site " + owner + " are inconsistent", null);
        }
        return first;
    }

    private static Map<Integer, byte[]> subset(Map<Integer, byte[]> shares, List<Integer> keys) {
        Map<Integer, byte[]> m = new TreeMap<>();
        for (Integer k : keys) m.put(k, shares.get(k));
        return m;
    }

    /** Instrumentation for tests and audits: copies of every vector this server holds (the masked inputs, by site). */
    public synchronized Map<String, int[]> heldVectors() {
        Map<String, int[]> copy = new TreeMap<>();
        masked.forEach((k, v) -> copy.put(k, v.clone()));
        return copy;
    }

    public synchronized List<String> u1() { return u1 == null ? List.of() : u1; }

    public synchronized List<String> u2() { return u2 == null ? List.of() : u2; }

    public synchronized List<String> u3() { return u3 == null ? List.of() : u3; }

    private void requireQuorum(int have, String st, String what) {
        if (have < config.threshold())
            throw fail(st, "only " + have + " " + what + ", fewer than the threshold " + config.threshold() + "; the round fails closed", null);
    }

    private void requireStage(Stage expected, String st) {
        if (stage != expected) throw new SecAggException(prefix(st) + "called in state " + stage + ", expected " + expected);
    }

    /** A culprit's protocol violation leaves the round open (the message is dropped); any other failure closes it. */
    private SecAggException fail(String st, String message, String culprit) {
        if (culprit == null) {
            stage = Stage.FAILED;
            masked.clear();
        }
        return new SecAggException(prefix(st) + message, culprit, null);
    }

    private String prefix(String st) {
        return "secure aggregation: run " + runId + ", round " + round + ", coordinator, stage " + st + ": ";
    }
}
