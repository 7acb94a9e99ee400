package org.fedehr.protocol.msg;

import org.fedehr.protocol.stats.FeatureStatistics;

import java.util.UUID;

/**
 * A site's answer to one instruction. Built from the instruction ({@link #to}) so run, round, task and
 * kind cannot drift from what was asked.
 */
public record SiteReply(UUID runId, long taskSeq, int round, TaskKind kind, String siteId, ReplyStatus status,
                        String errorClass, String message, TrainSummary train, EvalMetrics eval,
                        FeatureStatistics statistics, SecAggReply secagg) {

    public SiteReply(UUID runId, long taskSeq, int round, TaskKind kind, String siteId, ReplyStatus status,
                     String errorClass, String message, TrainSummary train, EvalMetrics eval, FeatureStatistics statistics) {
        this(runId, taskSeq, round, kind, siteId, status, errorClass, message, train, eval, statistics, null);
    }

    public SiteReply {
        if (runId == null || kind == null || siteId == null || status == null)
            throw new IllegalArgumentException("runId, kind, siteId and status are required");
        if (status == ReplyStatus.OK) {
            if (kind == TaskKind.TRAIN && train == null) throw new IllegalArgumentException("OK TRAIN reply needs train summary");
            if (kind == TaskKind.EVALUATE && eval == null) throw new IllegalArgumentException("OK EVALUATE reply needs eval metrics");
            if (kind == TaskKind.STATISTICS && statistics == null)
                throw new IllegalArgumentException("OK STATISTICS reply needs statistics");
            if ((kind == TaskKind.SECAGG_KEYS || kind == TaskKind.SECAGG_SHARES || kind == TaskKind.SECAGG_UNMASK) && secagg == null)
                throw new IllegalArgumentException("OK " + kind + " reply needs its secure-aggregation payload");
        }
    }

    /** Starts a reply to the given instruction. */
    public static Builder to(TaskInstruction instruction, String siteId) {
        return new Builder(instruction, siteId);
    }

    public static final class Builder {
        private final TaskInstruction in;
        private final String site;

        private Builder(TaskInstruction in, String site) {
            this.in = in;
            this.site = site;
        }

        private SiteReply make(ReplyStatus s, String errorClass, String message, TrainSummary t, EvalMetrics e, FeatureStatistics st) {
            return new SiteReply(in.runId(), in.taskSeq(), in.round(), in.kind(), site, s, errorClass, message, t, e, st, null);
        }

        /** An OK reply to a secure-aggregation stage. */
        public SiteReply secagg(SecAggReply payload) {
            return new SiteReply(in.runId(), in.taskSeq(), in.round(), in.kind(), site, ReplyStatus.OK, null, null, null, null,
                    null, payload);
        }

        public SiteReply trained(TrainSummary t) {
            return make(ReplyStatus.OK, null, null, t, null, null);
        }

        public SiteReply evaluated(EvalMetrics e) {
            return make(ReplyStatus.OK, null, null, null, e, null);
        }

        public SiteReply statistics(FeatureStatistics s) {
            return make(ReplyStatus.OK, null, null, null, null, s);
        }

        public SiteReply noData(String why) {
            return make(ReplyStatus.NO_DATA, null, why, new TrainSummary(0, null, 0), null, null);
        }

        public SiteReply failed(Throwable t) {
            return make(ReplyStatus.FAILED, t.getClass().getName(), String.valueOf(t.getMessage()), null, null, null);
        }

        public SiteReply refused(String reasonCode) {
            return make(ReplyStatus.REFUSED, null, reasonCode, null, null, null);
        }
    }
}
