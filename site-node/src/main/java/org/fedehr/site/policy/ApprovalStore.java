package org.fedehr.site.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The hospital's local record of model approvals (a JSON file next to its policy, written only by this site and by
 * {@code fedehr site approve}). A digest the policy does not list is recorded as pending — when it was first and last
 * requested, by which run, round and site, how often — until a person approves it.
 * <pre>
 * {"approved": {"DIGEST": {"approved_at": "2026-12-04T08:00:00Z"}},
 *  "pending":  {"DIGEST": {"first_requested": "...", "last_requested": "...", "run_id": "...", "round": 1,
 *                          "site_id": "cleveland", "task": "TRAIN", "requests": 3}}}
 * </pre>
 */
public final class ApprovalStore {
    private static final Object LOCK = new Object();   // sites of one simulation may share a policy file
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;
    private final Clock clock;

    public ApprovalStore(Path file) {
        this(file, Clock.systemUTC());
    }

    public ApprovalStore(Path file, Clock clock) {
        if (file == null) throw new IllegalArgumentException("approvals file must not be null");
        this.file = file;
        this.clock = clock == null ? Clock.systemUTC() : clock;
    }

    public Path file() {
        return file;
    }

    /** A digest that was requested but not approved. */
    public record Pending(String digest, String firstRequested, String lastRequested, String runId, int round, String siteId,
                          String task, long requests) {
    }

    public boolean isApproved(String digest) {
        synchronized (LOCK) {
            return read().path("approved").has(digest);
        }
    }

    /** Approves a digest (removing it from the pending list); returns false when it was already approved. */
    public boolean approve(String digest) {
        String d = digest == null ? "" : digest.trim().toLowerCase(Locale.ROOT);
        if (!SitePolicy.DIGEST.matcher(d).matches())
            throw new IllegalArgumentException("not a ModelSpec digest (64 hex digits): '" + digest + "'");
        synchronized (LOCK) {
            ObjectNode root = read();
            ObjectNode approved = root.with("approved");
            boolean fresh = !approved.has(d);
            if (fresh) approved.putObject(d).put("approved_at", clock.instant().toString());
            root.with("pending").remove(d);
            write(root);
            return fresh;
        }
    }

    /** Records that {@code digest} was requested and refused as awaiting approval. */
    public void recordPending(String digest, String runId, int round, String siteId, String task) {
        synchronized (LOCK) {
            ObjectNode root = read();
            if (root.path("approved").has(digest)) return;
            ObjectNode pending = root.with("pending");
            ObjectNode p = pending.has(digest) ? (ObjectNode) pending.get(digest) : pending.putObject(digest);
            String now = clock.instant().toString();
            if (!p.has("first_requested")) p.put("first_requested", now);
            p.put("last_requested", now).put("run_id", runId).put("round", round).put("site_id", siteId).put("task", task)
                    .put("requests", p.path("requests").asLong(0) + 1);
            write(root);
        }
    }

    /** Digests awaiting approval, in file order. */
    public List<Pending> pending() {
        synchronized (LOCK) {
            List<Pending> out = new ArrayList<>();
            read().path("pending").fields().forEachRemaining(e -> {
                JsonNode p = e.getValue();
                out.add(new Pending(e.getKey(), p.path("first_requested").asText(), p.path("last_requested").asText(),
                        p.path("run_id").asText(), p.path("round").asInt(), p.path("site_id").asText(), p.path("task").asText(),
                        p.path("requests").asLong()));
            });
            return out;
        }
    }

    private ObjectNode read() {
        if (!Files.exists(file)) return JSON.createObjectNode();
        try {
            JsonNode n = JSON.readTree(file.toFile());
            if (n == null || !n.isObject()) throw new IllegalStateException(file + ": not an approvals file (expected a JSON object)");
            return (ObjectNode) n;
        } catch (IOException e) {
            throw new IllegalStateException(file + ": cannot read approvals file: " + e.getMessage(), e);
        }
    }

    private void write(ObjectNode root) {
        StateFiles.writeAtomically(file, root);
    }
}
