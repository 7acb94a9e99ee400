package org.fedehr.protocol.audit;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.fedehr.protocol.pki.CertifiedKey;
import org.fedehr.protocol.pki.SiteIdentity;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;

/**
 * One party's append-only, hash-chained, signed audit ledger for one run: a JSON-lines file whose first line is a
 * signed header (party, run id, the party's certificate PEM and its SHA-256 fingerprint), then one signed line per
 * {@link AuditEvent}, and — when the run ends — a signed seal line carrying the number of events. Every line
 * carries {@code prev_hash}, the SHA-256 of the previous line's bytes. Each append is written and forced to disk
 * before {@link #append} returns; appends are serialised (thread-safe). Opening an existing ledger verifies it
 * first and resumes its chain; a sealed ledger cannot be appended to.
 */
public final class AuditLedger implements AuditSink, Closeable {
    private final Path file;
    private final String party;
    private final String runId;
    private final PrivateKey key;
    private final Clock clock;
    private final FileChannel out;
    private long nextSeq;
    private long events;
    private String prevHash;
    private Instant lastTime;
    private boolean sealed;

    private AuditLedger(Path file, String party, String runId, PrivateKey key, Clock clock, FileChannel out, long nextSeq,
                        long events, String prevHash, Instant lastTime) {
        this.file = file;
        this.party = party;
        this.runId = runId;
        this.key = key;
        this.clock = clock;
        this.out = out;
        this.nextSeq = nextSeq;
        this.events = events;
        this.prevHash = prevHash;
        this.lastTime = lastTime;
    }

    /** A new ledger for site {@code identity} (refuses an existing file). */
    public static AuditLedger create(Path file, SiteIdentity identity, String runId, Clock clock) {
        return create(file, identity.siteId(), runId, identity.privateKey(), identity.certificate(), identity.certificatePem(), clock);
    }

    /** A new ledger for the coordinator, signed with its certificate's key (refuses an existing file). */
    public static AuditLedger createCoordinator(Path file, CertifiedKey coordinator, String runId, Clock clock) {
        return create(file, AuditEvent.COORDINATOR, runId, coordinator.privateKey(), coordinator.certificate(),
                coordinator.certificatePem(), clock);
    }

    /**
     * A new ledger at {@code file} (which must not exist) for {@code party} and {@code runId}, signed with {@code key},
     * whose certificate is recorded in the header.
     */
    public static AuditLedger create(Path file, String party, String runId, PrivateKey key, X509Certificate certificate,
                                     String certificatePem, Clock clock) {
        if (party == null || party.isBlank()) throw new IllegalArgumentException("party must not be blank");
        if (runId == null || runId.isBlank()) throw new IllegalArgumentException("runId must not be blank");
        if (key == null || certificate == null || certificatePem == null) throw new IllegalArgumentException("a key and its certificate are required");
        Clock c = clock == null ? Clock.systemUTC() : clock;
        FileChannel ch;
        try {
            if (file.toAbsolutePath().getParent() != null) Files.createDirectories(file.toAbsolutePath().getParent());
            ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new IllegalArgumentException("audit ledger " + file + " already exists; open it to resume its chain instead");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create audit ledger " + file, e);
        }
        Instant now = c.instant();
        ObjectNode h = JsonNodeFactory.instance.objectNode();
        h.put("type", LedgerFormat.HEADER);
        h.put("seq", 0);
        h.put("time", now.toString());
        h.put("format", LedgerFormat.FORMAT);
        h.put("party", party);
        h.put("run_id", runId);
        h.put("certificate_pem", certificatePem);
        h.put("certificate_sha256", fingerprint(certificate));
        h.put("prev_hash", LedgerFormat.GENESIS);
        AuditLedger l = new AuditLedger(file, party, runId, key, c, ch, 0, 0, LedgerFormat.GENESIS, now);
        l.write(h);
        return l;
    }

    /**
     * Opens an existing, unsealed ledger to append to it: verifies it entirely (refusing one that fails), checks
     * that {@code key} belongs to the certificate in its header, and resumes its chain after its last line.
     */
    public static AuditLedger open(Path file, PrivateKey key, Clock clock) {
        AuditVerifier.Result r = AuditVerifier.verify(file, (X509Certificate) null);
        if (r.sealed()) throw new IllegalArgumentException("audit ledger " + file + " is sealed; start a new ledger for a new run");
        if (r.problem() != null && !r.problem().unsealed())
            throw new IllegalArgumentException("audit ledger " + file + " fails verification, refusing to extend it: " + r.problem());
        String probe = LedgerFormat.sign(new byte[]{1, 2, 3}, key);
        if (!LedgerFormat.verify(new byte[]{1, 2, 3}, probe, r.certificate().getPublicKey()))
            throw new IllegalArgumentException("the key does not belong to the certificate recorded in " + file);
        try {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            return new AuditLedger(file, r.party(), r.runId(), key, clock == null ? Clock.systemUTC() : clock, ch,
                    r.lastSeq() + 1, r.entries(), r.lastHash(), r.lastTime());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open audit ledger " + file, e);
        }
    }

    /**
     * Appends {@code event}, stamped with the next seq and the clock's time (never earlier than the previous line's),
     * and returns it as written. The event's party must be this ledger's and its run id this ledger's run.
     */
    public synchronized AuditEvent append(AuditEvent event) {
        if (sealed) throw new IllegalStateException("audit ledger " + file + " is sealed");
        if (!party.equals(event.party()))
            throw new IllegalArgumentException("event of party " + event.party() + " cannot go into the ledger of " + party);
        if (!runId.equals(event.runId()))
            throw new IllegalArgumentException("event of run " + event.runId() + " cannot go into the ledger of run " + runId);
        AuditEvent stamped = event.withSeqAndTime(nextSeq, now());
        ObjectNode n = LedgerFormat.eventNode(stamped);
        n.put("prev_hash", prevHash);
        write(n);
        events++;
        return stamped;
    }

    /** {@link #append}, for use as a sink. */
    @Override
    public void record(AuditEvent event) {
        append(event);
    }

    /**
     * Writes the signed seal: the run is over and the ledger holds exactly {@link #entries()} events. A ledger
     * whose last line is not its seal was truncated (or is still open). Idempotent.
     */
    public synchronized void seal(String note) {
        if (sealed) return;
        ObjectNode s = JsonNodeFactory.instance.objectNode();
        s.put("type", LedgerFormat.SEAL);
        s.put("seq", nextSeq);
        s.put("time", now().toString());
        s.put("party", party);
        s.put("run_id", runId);
        s.put("entries", events);
        if (note != null) s.put("note", note);
        s.put("prev_hash", prevHash);
        write(s);
        sealed = true;
    }

    private Instant now() {
        Instant t = clock.instant();
        if (lastTime != null && t.isBefore(lastTime)) t = lastTime;
        lastTime = t;
        return t;
    }

    private void write(ObjectNode unsigned) {
        String line = LedgerFormat.signedLine(unsigned, key);
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) out.write(b);
            out.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write audit ledger " + file, e);
        }
        prevHash = LedgerFormat.hash(line);
        nextSeq++;
    }

    public Path file() {
        return file;
    }

    public String party() {
        return party;
    }

    public String runId() {
        return runId;
    }

    /** Events recorded so far (header and seal not counted). */
    public synchronized long entries() {
        return events;
    }

    /** SHA-256 of the last line written: what a counterpart can record to pin this ledger's state. */
    public synchronized String lastHash() {
        return prevHash;
    }

    public synchronized boolean sealed() {
        return sealed;
    }

    /** Closes the file without sealing (see {@link #seal}). */
    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String fingerprint(X509Certificate cert) {
        try {
            return AuditEvent.sha256Hex(cert.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

}
