package org.fedehr.cli;

import org.fedehr.protocol.pki.FederationCa;
import org.fedehr.protocol.pki.FederationTrust;
import org.fedehr.protocol.pki.Pem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "ca", mixinStandardHelpOptions = true,
        description = "The federation's certificate authority: create it, sign site CSRs, revoke certificates.",
        subcommands = {CaCommand.Init.class, CaCommand.Sign.class, CaCommand.Revoke.class})
final class CaCommand implements Runnable {
    @Override
    public void run() {
        picocli.CommandLine.usage(this, System.out);
    }

    @Command(name = "init", mixinStandardHelpOptions = true,
            description = "Create the federation CA (ca.crt, ca.key owner-only, empty revoked.crl) and the coordinator's"
                    + " TLS certificate (coordinator.crt, coordinator.key owner-only) in DIR. Refuses to overwrite a CA.")
    static final class Init implements Callable<Integer> {
        @Option(names = "--dir", required = true, paramLabel = "DIR", description = "folder for the CA, e.g. configs/federations/heart-disease/pki")
        Path dir;

        @Option(names = "--name", paramLabel = "NAME", defaultValue = "fedehr", description = "federation name in the CA's subject (default: ${DEFAULT-VALUE})")
        String name;

        @Option(names = "--san", paramLabel = "NAME", description = "host name or IP address sites use to reach the coordinator"
                + " (repeatable; localhost and 127.0.0.1 are always included)")
        List<String> sans = new ArrayList<>();

        @Option(names = "--days", paramLabel = "N", defaultValue = "1825", description = "CA validity in days (default: ${DEFAULT-VALUE})")
        int days;

        @Option(names = "--coordinator-days", paramLabel = "N", defaultValue = "730",
                description = "coordinator certificate validity in days, capped at the CA's (default: ${DEFAULT-VALUE})")
        int coordinatorDays;

        @Override
        public Integer call() {
            if (days < 1 || coordinatorDays < 1) throw new IllegalArgumentException("--days and --coordinator-days must be >= 1");
            FederationCa ca = FederationCa.init(dir, name, sans, Duration.ofDays(days), Duration.ofDays(Math.min(days, coordinatorDays)));
            System.out.println("created the federation CA " + ca.certificate().getSubjectX500Principal().getName() + " (valid until "
                    + ca.certificate().getNotAfter().toInstant() + ") in " + dir.toAbsolutePath() + ":");
            System.out.println("  ca.crt           give a copy to every site and to the coordinator (public)");
            System.out.println("  ca.key           owner-only; signs certificates: keep it offline, never copy it to a site");
            System.out.println("  coordinator.crt  the coordinator's TLS certificate (localhost, 127.0.0.1"
                    + (sans.isEmpty() ? "" : ", " + String.join(", ", sans)) + ")");
            System.out.println("  coordinator.key  owner-only; stays on the coordinator's machine");
            System.out.println("  revoked.crl      revocation list (empty); `fedehr ca revoke` updates it, the coordinator re-reads it");
            System.out.println("next: each site runs `fedehr site keygen --site ID --out DIR` and sends its ID.csr here;"
                    + " sign it with `fedehr ca sign --dir " + dir + " --csr ID.csr --site ID`");
            return 0;
        }
    }

    @Command(name = "sign", mixinStandardHelpOptions = true,
            description = "Sign a site's certificate signing request: writes ID.crt (CN=ID, clientAuth).")
    static final class Sign implements Callable<Integer> {
        @Option(names = "--dir", required = true, paramLabel = "DIR", description = "the CA folder (from `fedehr ca init`)")
        Path dir;

        @Option(names = "--csr", required = true, paramLabel = "FILE", description = "the site's CSR (ID.csr from `fedehr site keygen`)")
        Path csr;

        @Option(names = "--site", required = true, paramLabel = "ID", description = "the site id the CSR must be for")
        String site;

        @Option(names = "--days", paramLabel = "N", defaultValue = "90", description = "validity in days (default: ${DEFAULT-VALUE})")
        int days;

        @Option(names = "--out", paramLabel = "FILE", description = "certificate file (default: ID.crt next to the CSR)")
        Path out;

        @Override
        public Integer call() {
            if (days < 1) throw new IllegalArgumentException("--days must be >= 1, was " + days);
            FederationCa ca = FederationCa.load(dir);
            String csrPem = Pem.read(csr, "certificate signing request");
            X509Certificate cert;
            try {
                cert = ca.sign(csrPem, site, Duration.ofDays(days));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(csr + ": " + e.getMessage());
            }
            Path file = out != null ? out : csr.toAbsolutePath().resolveSibling(site + ".crt");
            Pem.writePublic(file, Pem.encode(cert));
            System.out.println("signed " + FederationTrust.describe(cert) + ", valid until " + cert.getNotAfter().toInstant()
                    + ": " + file);
            System.out.println("send " + file.getFileName() + " and ca.crt back to site " + site + " (coordinator.certificate and"
                    + " coordinator.ca_certificate in its site config)");
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke a site certificate: adds it to revoked.crl, which a running coordinator re-reads (no restart).")
    static final class Revoke implements Callable<Integer> {
        @Option(names = "--dir", required = true, paramLabel = "DIR", description = "the CA folder (from `fedehr ca init`)")
        Path dir;

        @Option(names = "--cert", required = true, paramLabel = "FILE", description = "the certificate to revoke (ID.crt)")
        Path cert;

        @Option(names = "--reason", paramLabel = "TEXT", defaultValue = "unspecified",
                description = "RFC 5280 reason: unspecified, keyCompromise, affiliationChanged, superseded, cessationOfOperation,"
                        + " privilegeWithdrawn, ... (default: ${DEFAULT-VALUE})")
        String reason;

        @Override
        public Integer call() throws Exception {
            FederationCa ca = FederationCa.load(dir);
            X509Certificate c = Pem.certificate(Pem.read(cert, "certificate to revoke"), "certificate " + cert);
            ca.revoke(c, reason);
            System.out.println("revoked " + FederationTrust.describe(c) + " (" + reason + "); updated "
                    + dir.resolve(FederationCa.CRL).toAbsolutePath() + " — a running coordinator refuses it from its next request");
            return 0;
        }
    }

}
