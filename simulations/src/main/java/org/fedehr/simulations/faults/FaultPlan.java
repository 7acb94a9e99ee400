package org.fedehr.simulations.faults;

import org.fedehr.site.UpdateTransform;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The faults of one seeded run, decided up front for every (site, round) so that what is injected does not depend on
 * timing: the same spec, seed and sites give the same plan. Every random choice comes from its own
 * {@code java.util.Random} seeded by {@link #streamSeed}(seed, fault kind, round, site), so adding a site or a fault
 * kind does not change the draws of the others.
 *
 * <ul>
 * <li><b>dropout</b> / <b>crash</b>: the site trains on the round's model, then its connection is cut (every send fails
 * with a transport error) for the rest of the round; a crashed site hears nothing more until its rejoin round, when it
 * registers again and continues.</li>
 * <li><b>partition</b>: every call the site makes in the partitioned rounds fails with a transport error.</li>
 * <li><b>stragglers</b>: the site's TRAIN reply leaves after the drawn delay (late if past the round's close).</li>
 * <li><b>misbehaving</b> / <b>errors</b>: what the site's trainer produces ({@link #transform}).</li>
 * <li><b>duplicates</b>: the site sends its TRAIN reply a second time.</li>
 * </ul>
 * The statistics phase (round 0) and the closing FINISHED instruction are never touched.
 */
public final class FaultPlan {
    private final FaultSpec spec;
    private final long seed;
    private final List<String> sites;
    private final int rounds;
    private final SortedMap<Integer, List<String>> injected = new TreeMap<>();

    private static final long DROPOUT = 0xD509L, STRAGGLER = 0x57A6L, RANDOM_UPDATE = 0x4A4DL;

    /**
     * @param runSeed the run's seed (used unless the spec gives its own)
     * @param sites   the scenario's site ids
     * @throws IllegalArgumentException naming the fault entry whose site is unknown or whose round lies outside the run
     */
    public FaultPlan(FaultSpec spec, long runSeed, List<String> sites, int rounds) {
        this.spec = spec;
        this.seed = spec.seed() != null ? spec.seed() : runSeed;
        this.sites = List.copyOf(sites);
        this.rounds = rounds;
        validate();
        for (int r = 1; r <= rounds; r++) injected.put(r, describe(r));
    }

    public long seed() {
        return seed;
    }

    public FaultSpec spec() {
        return spec;
    }

    private void validate() {
        Set<String> known = Set.copyOf(sites);
        String list = String.join(", ", sites);
        if (spec.dropout() != null) checkSites("dropout.sites", spec.dropout().sites(), known, list);
        if (spec.stragglers() != null) checkSites("stragglers.sites", spec.stragglers().sites(), known, list);
        for (int i = 0; i < spec.crashes().size(); i++) {
            FaultSpec.Crash c = spec.crashes().get(i);
            checkSite("crash[" + i + "].site", c.site(), known, list);
            checkRound("crash[" + i + "].at_round", c.atRound());
            for (int j = 0; j < i; j++)
                if (spec.crashes().get(j).site().equals(c.site()))
                    throw new IllegalArgumentException("crash[" + i + "].site: site " + c.site() + " already crashes in crash[" + j + "]");
        }
        for (int i = 0; i < spec.partitions().size(); i++) {
            checkSite("partition[" + i + "].site", spec.partitions().get(i).site(), known, list);
            checkRound("partition[" + i + "].from_round", spec.partitions().get(i).fromRound());
        }
        for (int i = 0; i < spec.misbehaving().size(); i++) {
            checkSite("misbehaving[" + i + "].site", spec.misbehaving().get(i).site(), known, list);
            checkRound("misbehaving[" + i + "].from_round", spec.misbehaving().get(i).fromRound());
        }
        for (int i = 0; i < spec.errors().size(); i++) {
            checkSite("errors[" + i + "].site", spec.errors().get(i).site(), known, list);
            for (int r : spec.errors().get(i).rounds()) checkRound("errors[" + i + "].rounds", r);
        }
        for (int i = 0; i < spec.duplicates().size(); i++) {
            checkSite("duplicates[" + i + "].site", spec.duplicates().get(i).site(), known, list);
            for (int r : spec.duplicates().get(i).rounds()) checkRound("duplicates[" + i + "].rounds", r);
        }
    }

    private static void checkSites(String key, List<String> named, Set<String> known, String list) {
        for (String s : named) checkSite(key, s, known, list);
    }

    private static void checkSite(String key, String site, Set<String> known, String list) {
        if (!known.contains(site))
            throw new IllegalArgumentException(key + ": '" + site + "' is not a site of this scenario (sites: " + list + ")");
    }

    private void checkRound(String key, int round) {
        if (round > rounds)
            throw new IllegalArgumentException(key + ": round " + round + " is after the last round (" + rounds + "): the fault would never happen");
    }

    // ------------------------------------------------------------------ what happens to a site in a round

    /** The site's connection is cut in this round by a random dropout (never while it is crashed or partitioned). */
    public boolean droppedOut(String site, int round) {
        FaultSpec.Dropout d = spec.dropout();
        if (d == null || round < d.fromRound() || round < 1 || round > rounds) return false;
        if (!d.sites().isEmpty() && !d.sites().contains(site)) return false;
        if (crashedAt(site, round) || down(site, round) || partitioned(site, round)) return false;
        return new Random(streamSeed(seed, DROPOUT, round, site)).nextDouble() < d.probability();
    }

    /** The site crashes in this round (after downloading the model). */
    public boolean crashedAt(String site, int round) {
        return crash(site) != null && crash(site).atRound() == round;
    }

    /** The site is down for the whole round: it crashed in an earlier round and has not rejoined yet. */
    public boolean down(String site, int round) {
        FaultSpec.Crash c = crash(site);
        return c != null && round > c.atRound() && (c.rejoinRound() == 0 || round < c.rejoinRound());
    }

    /** The round in which the crashed site registers again (0: never, or it does not crash). */
    public int rejoinRound(String site) {
        FaultSpec.Crash c = crash(site);
        return c == null ? 0 : c.rejoinRound();
    }

    private FaultSpec.Crash crash(String site) {
        for (FaultSpec.Crash c : spec.crashes()) if (c.site().equals(site)) return c;
        return null;
    }

    /** The site cannot reach the coordinator in this round. */
    public boolean partitioned(String site, int round) {
        for (FaultSpec.NetworkPartition p : spec.partitions()) if (p.site().equals(site) && p.covers(round)) return true;
        return false;
    }

    /** Seconds the site's TRAIN reply of this round is held back (0: none). */
    public double stragglerDelaySeconds(String site, int round) {
        FaultSpec.Stragglers s = spec.stragglers();
        if (s == null || round < 1 || round > rounds) return 0;
        if (!s.sites().isEmpty() && !s.sites().contains(site)) return 0;
        if (!s.rounds().isEmpty() && !s.rounds().contains(round)) return 0;
        Random rnd = new Random(streamSeed(seed, STRAGGLER, round, site));
        if (!(rnd.nextDouble() < s.probability())) return 0;
        return switch (s.distribution()) {
            case EXPONENTIAL -> -s.meanSeconds() * Math.log(1 - rnd.nextDouble());
            case UNIFORM -> s.minSeconds() + (s.maxSeconds() - s.minSeconds()) * rnd.nextDouble();
            case LOGNORMAL -> Math.exp(Math.log(s.meanSeconds()) - s.sigma() * s.sigma() / 2 + s.sigma() * rnd.nextGaussian());
            case FIXED -> s.meanSeconds();
        };
    }

    /** How the site misbehaves in this round (the last matching entry), or null. */
    public FaultSpec.Misbehaving misbehaving(String site, int round) {
        FaultSpec.Misbehaving m = null;
        for (FaultSpec.Misbehaving x : spec.misbehaving()) if (x.site().equals(site) && round >= x.fromRound()) m = x;
        return m;
    }

    public boolean trainerError(String site, int round) {
        for (FaultSpec.SiteRounds e : spec.errors()) if (e.site().equals(site) && e.rounds().contains(round)) return true;
        return false;
    }

    public boolean duplicate(String site, int round) {
        for (FaultSpec.SiteRounds e : spec.duplicates()) if (e.site().equals(site) && e.rounds().contains(round)) return true;
        return false;
    }

    /** The sites a random dropout cuts in this round, in scenario order. */
    public List<String> droppedOut(int round) {
        List<String> out = new ArrayList<>();
        for (String s : sites) if (droppedOut(s, round)) out.add(s);
        return out;
    }

    /**
     * What the site's trainer sends instead of its delta, or null when it is honest in every round: a trainer error
     * throws {@link InjectedTrainerFailure}; misbehaviour as {@link FaultSpec.Misbehaving} says.
     */
    public UpdateTransform transform(String site) {
        boolean any = spec.misbehaving().stream().anyMatch(m -> m.site().equals(site))
                || spec.errors().stream().anyMatch(e -> e.site().equals(site));
        if (!any) return null;
        return (round, delta) -> {
            if (trainerError(site, round)) throw new InjectedTrainerFailure("injected trainer failure in round " + round);
            FaultSpec.Misbehaving m = misbehaving(site, round);
            if (m == null) return delta;
            float[] out = new float[delta.length];
            switch (m.mode()) {
                case SIGN_FLIP -> {
                    for (int i = 0; i < out.length; i++) out[i] = m.factor() == 1 ? -delta[i] : (float) (-m.factor() * delta[i]);
                }
                case SCALE -> {
                    for (int i = 0; i < out.length; i++) out[i] = (float) (m.factor() * delta[i]);
                }
                case RANDOM -> {
                    Random rnd = new Random(streamSeed(seed, RANDOM_UPDATE, round, site));
                    for (int i = 0; i < out.length; i++) out[i] = (float) (m.factor() * rnd.nextGaussian());
                }
            }
            return out;
        };
    }

    // ------------------------------------------------------------------ the record of what was injected

    /** Round → what was injected in it, one line per site and fault ("C: dropout (…)"), in scenario site order. */
    public SortedMap<Integer, List<String>> injected() {
        return Collections.unmodifiableSortedMap(injected);
    }

    public List<String> injected(int round) {
        return injected.getOrDefault(round, List.of());
    }

    private List<String> describe(int r) {
        List<String> out = new ArrayList<>();
        for (String s : sites) {
            if (crashedAt(s, r)) {
                int back = rejoinRound(s);
                out.add(s + ": crash (connection cut after the model download; " + (back == 0 ? "does not rejoin)" : "down until round " + back + ")"));
            }
            if (down(s, r)) out.add(s + ": down (crashed in round " + crash(s).atRound() + ")");
            if (rejoinRound(s) == r) out.add(s + ": rejoins (registers again)");
            for (FaultSpec.NetworkPartition p : spec.partitions())
                if (p.site().equals(s) && p.covers(r))
                    out.add(s + ": network partition (round " + (r - p.fromRound() + 1) + " of " + p.rounds() + ", transport errors)");
            if (droppedOut(s, r)) out.add(s + ": dropout (connection cut after the model download)");
            if (crashedAt(s, r) || down(s, r) || partitioned(s, r) || droppedOut(s, r)) continue;   // nothing else reaches the coordinator
            double delay = stragglerDelaySeconds(s, r);
            if (delay > 0) out.add(String.format(Locale.ROOT, "%s: straggler (TRAIN reply held back %.2f s)", s, delay));
            if (trainerError(s, r)) out.add(s + ": trainer throws (injected)");
            FaultSpec.Misbehaving m = misbehaving(s, r);
            if (m != null && !trainerError(s, r)) out.add(s + ": " + switch (m.mode()) {
                case SIGN_FLIP -> m.factor() == 1 ? "sign-flipped update (-delta)" : "sign-flipped update (-" + m.factor() + " x delta)";
                case SCALE -> "scaled update (" + m.factor() + " x delta)";
                case RANDOM -> "random update (N(0, " + m.factor() + "^2) values)";
            });
            if (duplicate(s, r)) out.add(s + ": TRAIN reply sent twice");
        }
        return List.copyOf(out);
    }

    /** SplitMix64 finaliser of (seed, fault kind, round, site id's String hash): one independent stream per draw. */
    public static long streamSeed(long seed, long kind, int round, String site) {
        long h = fmix(seed * 0x9E3779B97F4A7C15L + kind);
        h = fmix(h ^ round);
        return fmix(h ^ site.hashCode());
    }

    private static long fmix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Thrown inside a site's trainer by an injected fault; the coordinator records it with this class name. */
    public static final class InjectedTrainerFailure extends RuntimeException {
        public InjectedTrainerFailure(String message) {
            super(message);
        }
    }
}
