package org.fedehr.simulations.faults;

import org.fedehr.protocol.codec.ParamFrame;
import org.fedehr.protocol.codec.ReplyEnvelope;
import org.fedehr.protocol.msg.RegisterResponse;
import org.fedehr.protocol.msg.TaskInstruction;
import org.fedehr.protocol.msg.TaskKind;
import org.fedehr.protocol.stats.FeatureStatistics;
import org.fedehr.site.CoordinatorLink;
import org.fedehr.site.SiteListener;

import java.util.Optional;

/**
 * A site's network as a {@link FaultPlan} makes it: wraps the site's real link (below its egress guard) and cuts,
 * delays, repeats or loses exchanges exactly as the plan says, for one site. Everything the site does not lose goes
 * through the real link unchanged, so the coordinator sees real transport behaviour: missing replies (timeouts),
 * late replies (refused as stale), duplicates (ignored), a site registering again.
 *
 * <p>An instruction the site cannot hear (it is down, or its connection was cut earlier in the round) is consumed
 * here and never reaches the site node; one that arrives while the site is partitioned is lost with a transport error.
 * The statistics phase (round 0) and the FINISHED instruction always pass.
 */
public final class FaultyLink implements CoordinatorLink {
    private final String siteId;
    private final CoordinatorLink inner;
    private final FaultPlan plan;
    private final SiteListener log;
    /** Instructions up to this sequence number were lost on the way (the node never saw them). */
    private long lostUpTo;
    /** The round whose remaining exchanges fail because the connection was cut in it (-1: none). */
    private int cutRound = -1;
    private boolean rejoined;

    public FaultyLink(String siteId, CoordinatorLink inner, FaultPlan plan, SiteListener log) {
        this.siteId = siteId;
        this.inner = inner;
        this.plan = plan;
        this.log = log == null ? SiteListener.NONE : log;
    }

    @Override
    public RegisterResponse register(String site) throws LinkException {
        return inner.register(site);
    }

    @Override
    public Optional<TaskInstruction> nextTask(long afterSeq) throws LinkException {
        while (true) {
            Optional<TaskInstruction> next = inner.nextTask(Math.max(afterSeq, lostUpTo));
            if (next.isEmpty()) return next;
            TaskInstruction t = next.get();
            int r = t.round();
            if (t.kind() == TaskKind.FINISHED || r < 1) return next;
            if (r == cutRound || plan.down(siteId, r)) {   // nobody is listening: the instruction is lost
                lostUpTo = t.taskSeq();
                continue;
            }
            if (plan.rejoinRound(siteId) > 0 && r >= plan.rejoinRound(siteId) && !rejoined) {
                rejoined = true;
                log.event(siteId, "fault injection: restarted after the crash, registering again for round " + r);
                inner.register(siteId);
            }
            if (plan.partitioned(siteId, r)) {
                lostUpTo = t.taskSeq();
                throw transport("network partition in round " + r + ": no route to host", new java.net.NoRouteToHostException("No route to host"));
            }
            return next;
        }
    }

    @Override
    public ParamFrame model(int version) throws LinkException {
        return inner.model(version);
    }

    @Override
    public FeatureStatistics statistics() throws LinkException {
        return inner.statistics();
    }

    @Override
    public Ack reply(ReplyEnvelope envelope) throws LinkException {
        int r = envelope.reply().round();
        TaskKind kind = envelope.reply().kind();
        if (r >= 1 && r == cutRound) throw cut(r);
        if (kind != TaskKind.TRAIN || r < 1) return inner.reply(envelope);
        if (plan.crashedAt(siteId, r) || plan.droppedOut(siteId, r)) {
            cutRound = r;
            log.event(siteId, "fault injection: " + (plan.crashedAt(siteId, r) ? "crash" : "dropout") + " in round " + r
                    + ", connection cut after the model download");
            throw cut(r);
        }
        double delay = plan.stragglerDelaySeconds(siteId, r);
        if (delay > 0) {
            try {
                Thread.sleep(Math.round(delay * 1000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LinkException("interrupted while held back as a straggler", 0, e);
            }
        }
        Ack ack = inner.reply(envelope);
        if (plan.duplicate(siteId, r)) {
            Ack again = inner.reply(envelope);
            log.event(siteId, "fault injection: TRAIN round " + r + " reply sent twice; second copy: HTTP " + again.status() + " " + again.code());
        }
        return ack;
    }

    private LinkException cut(int round) {
        return transport("connection cut in round " + round + ": connection reset", new java.net.SocketException("Connection reset"));
    }

    private static LinkException transport(String what, Exception cause) {
        return new LinkException("injected fault: " + what, 0, cause);
    }

    @Override
    public long bytesSent() {
        return inner.bytesSent();
    }

    @Override
    public long bytesReceived() {
        return inner.bytesReceived();
    }

    @Override
    public String address() {
        return inner.address();
    }

    @Override
    public void close() {
        try {
            inner.close();
        } catch (Exception e) {
            log.event(siteId, "closing the link failed: " + e.getClass().getSimpleName());
        }
    }
}
