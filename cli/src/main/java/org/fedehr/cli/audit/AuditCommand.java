package org.fedehr.cli.audit;

import org.fedehr.protocol.audit.AuditEvent;
import org.fedehr.protocol.audit.AuditVerifier;
import org.fedehr.protocol.pki.FederationTrust;
import org.fedehr.protocol.pki.Pem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Verify audit ledgers (hash chain, signatures, seal, site-coordinator cross-check) and write a report"
                + " a privacy officer can read.",
        subcommands = {AuditCommand.Verify.class, AuditCommand.Report.class})
public final class AuditCommand implements Runnable {
    @Override
    public void run() {
        picocli.CommandLine.usage(this, System.out);
    }

    /** The ledgers' verifications and the cross-checks of every site ledger against the coordinator's. */
    record Verification(List<AuditVerifier.Result> results, AuditVerifier.Result coordinator,
                        List<CrossCheck> crossChecks, boolean caChecked) {
        boolean ok() {
            return results.stream().allMatch(AuditVerifier.Result::ok) && crossChecks.stream().allMatch(CrossCheck::ok);
        }
    }

    /** One site ledger against the coordinator's; {@code skipped} says why it was not run. */
    record CrossCheck(String site, List<AuditVerifier.Mismatch> mismatches, long matched, String skipped) {
        boolean ok() {
            return skipped == null && mismatches.isEmpty();
        }

        String summary() {
            if (skipped != null) return "cross-check " + site + " <-> coordinator: SKIPPED (" + skipped + ")";
            if (mismatches.isEmpty()) return "cross-check " + site + " <-> coordinator: OK (" + matched + " exchanges on both sides)";
            return "cross-check " + site + " <-> coordinator: FAILED (" + mismatches.size() + " entries without a matching twin)";
        }
    }

    static Verification verifyAll(List<Path> logs, Path caFile) {
        X509Certificate ca = null;
        if (caFile != null) {
            try {
                ca = Pem.certificate(Pem.read(caFile, "CA certificate"), "CA certificate " + caFile);
            } catch (CertificateException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }
        List<AuditVerifier.Result> results = new ArrayList<>();
        for (Path log : logs) {
            if (!Files.isRegularFile(log)) throw new IllegalArgumentException("audit ledger not found: " + log);
            results.add(AuditVerifier.verify(log, ca));
        }
        List<AuditVerifier.Result> coords = results.stream().filter(r -> AuditEvent.COORDINATOR.equals(r.party())).toList();
        if (coords.size() > 1) throw new IllegalArgumentException("give at most one coordinator ledger, got " + coords.size());
        AuditVerifier.Result coord = coords.isEmpty() ? null : coords.get(0);
        List<CrossCheck> cross = new ArrayList<>();
        if (coord != null) {
            for (AuditVerifier.Result r : results) {
                if (r == coord || r.party() == null) continue;
                if (!r.ok() || !coord.ok()) {
                    cross.add(new CrossCheck(r.party(), List.of(), 0, (r.ok() ? "the coordinator's" : "the site's") + " ledger failed verification"));
                    continue;
                }
                List<AuditVerifier.Mismatch> m = AuditVerifier.crossCheck(r, coord);
                long exchanged = r.events().stream().filter(e -> AuditEvent.COORDINATOR.equals(e.peer())).count();
                long unmatchedSite = m.stream().filter(x -> x.party().equals(r.party())).count();
                cross.add(new CrossCheck(r.party(), m, exchanged - unmatchedSite, null));
            }
        }
        return new Verification(results, coord, cross, ca != null);
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Verify audit ledgers: canonical lines, hash chain, seq, time order, signatures by the certificate in"
                    + " each header (and, with --ca, that the federation CA issued it for the ledger's party), and the seal."
                    + " With the coordinator's ledger among them, cross-checks every site ledger against it."
                    + " Exit 0 when all is intact, 1 naming the first bad entry of each failing ledger.")
    public static final class Verify implements Callable<Integer> {
        @Parameters(arity = "1..*", paramLabel = "LOG", description = "ledger files (*.audit.jsonl)")
        List<Path> logs;

        @Option(names = "--ca", paramLabel = "ca.crt", description = "the federation CA certificate the ledgers' certificates must chain to")
        Path ca;

        @Override
        public Integer call() {
            Verification v = verifyAll(logs, ca);
            for (AuditVerifier.Result r : v.results()) {
                System.out.println(r.file() + ": " + r.summary() + (r.party() == null ? "" : " [" + r.party() + ", run " + r.runId()
                        + (r.certificate() == null ? "" : ", signed by " + FederationTrust.describe(r.certificate()))
                        + (r.caChecked() ? ", certificate issued by the CA" : v.caChecked() ? "" : ", certificate NOT checked against a CA (use --ca)")
                        + "]"));
            }
            for (CrossCheck c : v.crossChecks()) {
                System.out.println(c.summary());
                for (AuditVerifier.Mismatch m : c.mismatches()) System.out.println("  " + m);
            }
            return v.ok() ? 0 : 1;
        }
    }

    @Command(name = "report", mixinStandardHelpOptions = true,
            description = "Write DIR/index.html (and its PNG plots): per site what left it, when, to whom, how large, under which"
                    + " policy checks and filters; the privacy budget over time; bytes sent per round; refusals; and the"
                    + " verification result at the top. Exit 1 when verification failed (the report is written anyway).")
    public static final class Report implements Callable<Integer> {
        @Parameters(arity = "1..*", paramLabel = "LOG", description = "ledger files (*.audit.jsonl)")
        List<Path> logs;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "folder for index.html and the plots")
        Path out;

        @Option(names = "--ca", paramLabel = "ca.crt", description = "the federation CA certificate the ledgers' certificates must chain to")
        Path ca;

        @Override
        public Integer call() throws Exception {
            Verification v = verifyAll(logs, ca);
            Path index = new AuditReport(v).write(out);
            System.out.println("wrote " + index + " (" + (v.ok() ? "verification OK" : "verification FAILED: see the top of the report") + ")");
            return v.ok() ? 0 : 1;
        }
    }
}
