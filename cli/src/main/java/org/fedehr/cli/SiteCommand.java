package org.fedehr.cli;

import org.fedehr.protocol.pki.SiteKeyRequest;
import org.fedehr.simulations.Deployment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import org.fedehr.site.policy.ApprovalStore;
import org.fedehr.site.policy.SitePolicy;

import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "site", mixinStandardHelpOptions = true,
        description = "Run a hospital's site node: outbound connections only, trains on local data, sends updates.",
        subcommands = {SiteCommand.Keygen.class, SiteCommand.Approve.class, SiteCommand.Pending.class, SiteProfileCommand.class})
final class SiteCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "site YAML, e.g. configs/sites/heart-disease/cleveland.yaml (required to run or check)")
    Path config;

    @Option(names = "--data-root", paramLabel = "DIR", description = "data folder (default: $FEDEHR_DATA, else ./data)")
    Path dataRoot;

    @Option(names = "--coordinator", paramLabel = "URL", description = "coordinator URL (overrides coordinator.url)")
    URI coordinator;

    @Option(names = "--ca", paramLabel = "FILE", description = "federation CA certificate, ca.crt (overrides coordinator.ca_certificate)")
    Path ca;

    @Option(names = "--cert", paramLabel = "FILE", description = "this site's certificate (overrides coordinator.certificate)")
    Path cert;

    @Option(names = "--key", paramLabel = "FILE", description = "this site's private key (overrides coordinator.key)")
    Path key;

    @Option(names = "--policy", paramLabel = "FILE", description = "this hospital's site policy, e.g. configs/sites/heart-disease/policy.yaml"
            + " (overrides policy: in the site config)")
    Path policy;

    @Option(names = "--audit-dir", paramLabel = "DIR", description = "where this site's signed audit ledgers go,"
            + " <site>-<first 8 characters of the run id>.audit.jsonl (overrides audit_dir: in the site config; default: audit/ next to it)")
    Path auditDir;

    @Option(names = "--check", description = "only validate the site config and data, print what was found, and exit"
            + " (no coordinator or certificate needed; nothing is sent)")
    boolean check;

    @Override
    public Integer call() throws Exception {
        if (config == null) throw new IllegalArgumentException("--config FILE is required (or use `fedehr site keygen`)");
        Deployment.runSite(config, DataRoots.resolve(dataRoot), new Deployment.SiteOptions(coordinator, ca, cert, key, check, policy, auditDir), System.out);
        return 0;
    }

    @Command(name = "approve", mixinStandardHelpOptions = true,
            description = "Approve a ModelSpec digest in the local approvals store of a policy with manual_approval: true.")
    static final class Approve implements Callable<Integer> {
        @Option(names = "--policy", required = true, paramLabel = "FILE", description = "the site policy (its approvals file is next to it)")
        Path policy;

        @Parameters(index = "0", paramLabel = "DIGEST", description = "the ModelSpec SHA-256 digest (as listed by `fedehr site pending`)")
        String digest;

        @Override
        public Integer call() {
            SitePolicy p = SitePolicy.load(policy);
            if (!p.manualApproval())
                throw new IllegalArgumentException(policy + ": manual_approval is not true; add the digest to approved_models instead");
            ApprovalStore store = p.approvals();
            boolean fresh = store.approve(digest);
            System.out.println((fresh ? "approved " : "already approved ") + digest.trim().toLowerCase(java.util.Locale.ROOT)
                    + " (" + store.file() + ")");
            return 0;
        }
    }

    @Command(name = "pending", mixinStandardHelpOptions = true,
            description = "List ModelSpec digests that were requested and refused as awaiting approval (when, by which run).")
    static final class Pending implements Callable<Integer> {
        @Option(names = "--policy", required = true, paramLabel = "FILE", description = "the site policy (its approvals file is next to it)")
        Path policy;

        @Override
        public Integer call() {
            SitePolicy p = SitePolicy.load(policy);
            if (!p.manualApproval()) {
                System.out.println(policy + ": manual_approval is not true; only the digests in approved_models are accepted");
                return 0;
            }
            var pending = p.approvals().pending();
            if (pending.isEmpty()) {
                System.out.println("no model awaiting approval (" + p.approvalsFile() + ")");
                return 0;
            }
            for (ApprovalStore.Pending x : pending)
                System.out.println(x.digest() + "  awaiting approval: requested " + x.requests() + "x, first " + x.firstRequested()
                        + ", last " + x.lastRequested() + " by run " + x.runId() + " round " + x.round() + " (" + x.task()
                        + ", site " + x.siteId() + ")");
            System.out.println("approve with: fedehr site approve --policy " + policy + " DIGEST");
            return 0;
        }
    }

    @Command(name = "keygen", mixinStandardHelpOptions = true,
            description = "Create this site's private key (ID.key, owner-only) and certificate signing request (ID.csr).")
    static final class Keygen implements Callable<Integer> {
        @Option(names = "--site", required = true, paramLabel = "ID", description = "the site id (as in site.id of the site config)")
        String site;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "folder for ID.key and ID.csr, e.g. configs/sites/heart-disease/pki")
        Path out;

        @Override
        public Integer call() {
            SiteKeyRequest req = SiteKeyRequest.generate(site);
            req.write(out);
            System.out.println("wrote " + req.keyFile(out).toAbsolutePath() + " (private key, owner-only: it never leaves this machine)");
            System.out.println("wrote " + req.csrFile(out).toAbsolutePath() + " (certificate signing request)");
            System.out.println("send ONLY " + req.csrFile(out).getFileName() + " to the federation's CA operator, who runs"
                    + " `fedehr ca sign --dir CA_DIR --csr " + req.csrFile(out).getFileName() + " --site " + site + "` and returns "
                    + site + ".crt and ca.crt; put them where coordinator.certificate and coordinator.ca_certificate point");
            return 0;
        }
    }
}
