package org.fedehr.site.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.fedehr.models.DpSgdSettings;
import org.fedehr.protocol.msg.TaskInstruction;
import org.fedehr.protocol.msg.TaskKind;
import org.fedehr.protocol.msg.TrainingPlan;
import org.fedehr.protocol.privacy.Conversion;
import org.fedehr.protocol.privacy.RdpAccountant;
import org.fedehr.protocol.privacy.RdpCurve;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a DP-SGD round costs this site, by Rényi-DP accounting (Poisson-subsampled Gaussian mechanism, Mironov, Talwar
 * and Zhang 2019; tight conversion of Balle et al. 2020 at the budget's δ). The project's cumulative RDP curve is kept
 * in a state file next to the budget's ({@code <budget state>.rdp.json}), so that it carries over from one run of the
 * project to the next. A round's cost is the increase of the composed ε, {@code ε(cumulative + round) − ε(cumulative)}:
 * the budget store's running sum of these is exactly the RDP-composed ε, far tighter than adding up per-round ε. The
 * whole δ is charged with the first round. The round's steps and sampling rate are those the trainer will use:
 * {@code q = batch / training rows}, {@code epochs · ceil(rows / batch)} steps (or the plan's steps).
 */
public final class RdpPrivacyAccountant implements PrivacyAccountant {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Object LOCK = new Object();
    private final RdpAccountant rdp = new RdpAccountant();
    private final java.util.function.Supplier<DpSgdSettings> dp;
    private final int trainRows;
    private final SitePolicy.Budget budget;
    private final String siteId;
    private final Path curveFile;

    /** @param dp the site's DP-SGD settings as they stand when a round is charged (its σ may be chosen at the first round) */
    public RdpPrivacyAccountant(java.util.function.Supplier<DpSgdSettings> dp, int trainRows, SitePolicy.Budget budget, String siteId) {
        if (dp == null || budget == null || siteId == null) throw new IllegalArgumentException("dp, budget and siteId are required");
        if (!(budget.delta() > 0)) throw new IllegalArgumentException("a DP budget needs delta > 0, was " + budget.delta());
        this.dp = dp;
        this.trainRows = trainRows;
        this.budget = budget;
        this.siteId = siteId;
        this.curveFile = budget.stateFile().resolveSibling(budget.stateFile().getFileName() + ".rdp.json");
    }

    /** The RDP of one TRAIN round as the trainer will run it (zero without training rows). */
    public RdpCurve roundCurve(TaskInstruction t) {
        TrainingPlan p = t.training();
        if (t.kind() != TaskKind.TRAIN || p == null || trainRows < 1) return RdpCurve.zero(RdpAccountant.DEFAULT_ORDERS);
        DpSgdSettings s = dp.get();
        if (s == null) throw new IllegalStateException("DP-SGD settings are not fixed yet; a round cannot be charged");
        if (!DpSgdSettings.POISSON.equals(s.sampling()))
            throw new IllegalStateException("the RDP accountant covers Poisson sampling only, was " + s.sampling());
        long steps = p.steps() > 0 ? p.steps() : (long) p.epochs() * ((trainRows + p.batchSize() - 1) / p.batchSize());
        return rdp.curve(DpSgdSettings.samplingRate(p.batchSize(), trainRows), s.noiseMultiplier(), steps);
    }

    /** ε spent by the project at this site so far (composed over all recorded rounds, at the budget's δ). */
    public double epsilonSpent() {
        return epsilon(cumulative());
    }

    @Override
    public Cost roundCost(TaskInstruction t) {
        RdpCurve round = roundCurve(t);
        if (round.isZero()) return Cost.ZERO;
        RdpCurve cum = cumulative();
        double before = epsilon(cum), after = epsilon(cum.plus(round));
        return new Cost(Math.max(0, after - before), cum.isZero() ? budget.delta() : 0);
    }

    @Override
    public void spent(TaskInstruction t) {
        RdpCurve round = roundCurve(t);
        if (round.isZero()) return;
        synchronized (LOCK) {
            write(cumulative().plus(round));
        }
    }

    private double epsilon(RdpCurve c) {
        return c.isZero() ? 0 : RdpAccountant.epsilon(c, budget.delta(), Conversion.TIGHT).epsilon();
    }

    private RdpCurve cumulative() {
        synchronized (LOCK) {
            JsonNode me = read().path(budget.project()).path(siteId);
            if (!me.isObject()) return RdpCurve.zero(RdpAccountant.DEFAULT_ORDERS);
            List<Double> orders = new ArrayList<>(), values = new ArrayList<>();
            me.path("orders").forEach(n -> orders.add(n.asDouble()));
            me.path("rdp").forEach(n -> values.add(n.asDouble()));
            RdpCurve c = new RdpCurve(orders, values);
            if (!c.orders().equals(RdpAccountant.DEFAULT_ORDERS))
                throw new IllegalStateException(curveFile + ": recorded RDP orders differ from this version's; keep the file and ask"
                        + " for a conversion rather than losing the spent budget");
            return c;
        }
    }

    private ObjectNode read() {
        if (!Files.exists(curveFile)) return JSON.createObjectNode();
        try {
            JsonNode n = JSON.readTree(curveFile.toFile());
            if (!(n instanceof ObjectNode o)) throw new IllegalStateException(curveFile + ": not a JSON object");
            return o;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the privacy state " + curveFile + " (the budget fails closed)", e);
        }
    }

    private void write(RdpCurve c) {
        ObjectNode root = read();
        ObjectNode me = root.with(budget.project()).putObject(siteId);
        ArrayNode o = me.putArray("orders"), r = me.putArray("rdp");
        c.orders().forEach(o::add);
        c.rdp().forEach(r::add);
        StateFiles.writeAtomically(curveFile, root);
    }
}
