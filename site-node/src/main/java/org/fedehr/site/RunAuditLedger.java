package org.fedehr.site;

import org.fedehr.protocol.audit.AuditEvent;
import org.fedehr.protocol.audit.AuditLedger;
import org.fedehr.protocol.audit.AuditSink;
import org.fedehr.protocol.pki.SiteIdentity;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * A deployed site's audit ledger, whose run id is only known once the coordinator has sent the first instruction:
 * the signed ledger {@code <dir>/<site>-<first 8 characters of the run id>.audit.jsonl} is created on the first event
 * (every event carries its run id). An unsealed ledger of the same run left by an earlier process of this site is
 * resumed; a sealed one is kept and a new file {@code ...-2.audit.jsonl} started. Should the run id change (a new
 * run of a restarted coordinator), the current ledger is sealed and one for the new run started. {@link #seal} when
 * the node stops. Thread-safe.
 */
public final class RunAuditLedger implements AuditSink {
    public static final String SUFFIX = ".audit.jsonl";
    private final Path dir;
    private final SiteIdentity identity;
    private final Clock clock;
    private AuditLedger current;
    private Path lastFile;

    public RunAuditLedger(Path dir, SiteIdentity identity, Clock clock) {
        this.dir = dir;
        this.identity = identity;
        this.clock = clock == null ? Clock.systemUTC() : clock;
    }

    @Override
    public synchronized void record(AuditEvent event) {
        if (current != null && !current.runId().equals(event.runId())) seal("run " + event.runId() + " started");
        if (current == null) {
            current = ledgerFor(event.runId());
            lastFile = current.file();
        }
        current.append(event);
    }

    private AuditLedger ledgerFor(String runId) {
        String base = identity.siteId() + "-" + runId.substring(0, Math.min(8, runId.length()));
        for (int i = 1; ; i++) {
            Path f = dir.resolve(base + (i == 1 ? "" : "-" + i) + SUFFIX);
            if (!Files.exists(f)) return AuditLedger.create(f, identity, runId, clock);
            try {
                AuditLedger l = AuditLedger.open(f, identity.privateKey(), clock);
                if (l.runId().equals(runId) && l.party().equals(identity.siteId())) return l;
                l.close();
            } catch (IllegalArgumentException sealedOrForeign) {
                // sealed, of another key, or damaged: kept as it is, try the next name
            }
        }
    }

    /** The file of the current (or last) ledger; null before the first event. */
    public synchronized Path file() {
        return lastFile;
    }

    /** Seals and closes the current ledger, if any (idempotent). */
    public synchronized void seal(String note) {
        if (current == null) return;
        try {
            current.seal(note);
        } finally {
            current.close();
            current = null;
        }
    }
}
