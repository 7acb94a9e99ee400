package org.fedehr.simulations;

import org.fedehr.coordinator.FederationRun;
import org.fedehr.coordinator.RunListener;
import org.fedehr.coordinator.RunResult;
import org.fedehr.coordinator.RunSettings;
import org.fedehr.protocol.audit.AuditEvent;
import org.fedehr.protocol.audit.AuditLedger;
import org.fedehr.protocol.pki.SiteIdentity;
import org.fedehr.site.SecAggIdentity;
import org.fedehr.site.SiteListener;
import org.fedehr.site.SiteNode;
import org.fedehr.site.SiteRows;
import org.fedehr.site.data.SiteData;
import org.fedehr.site.policy.SitePolicy;
import org.fedehr.simulations.inprocess.InProcessFederation;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A scenario in {@code mode: in-process}: the coordinator's {@link FederationRun} and one {@link SiteNode} per site, built
 * on demand for each instruction by an {@link InProcessFederation} (a bounded worker pool, one reused DL4J network per
 * worker) and talking through {@link org.fedehr.simulations.inprocess.InProcessCoordinatorLink}. Everything else is as in
 * network mode: the same run id, settings, initial model, site policies, DP settings, secure aggregation (keys signed
 * with the run's simulation PKI, made only when secure aggregation or audit ledgers need it) and audit ledgers.
 */
final class InProcessSimulation {
    private final RunListener listener;
    private final SiteListener siteLog;
    private final Path auditDir;
    private final Map<String, org.fedehr.models.DpSgdSettings> siteDp;

    record Outcome(FederationRun run, RunResult result, long maxUpdateBytes, InProcessFederation federation,
                   Map<String, float[]> personalModels) {
    }

    InProcessSimulation(RunListener listener, SiteListener siteLog, Path auditDir, Map<String, org.fedehr.models.DpSgdSettings> siteDp) {
        this.listener = listener;
        this.siteLog = siteLog;
        this.auditDir = auditDir;
        this.siteDp = siteDp;
    }

    /** @param budgetDir where the sites' privacy-budget state lives for this run (null without a site policy) */
    Outcome run(Scenario sc, Map<String, SiteData> data, Path budgetDir) throws Exception {
        if (sc.faults() != null)
            throw new ConfigException(sc.file() + ": faults: fault injection runs in mode: network only (in-process sites are not"
                    + " served through the fault-injecting link yet); remove 'mode: in-process' or 'faults:'");
        FederationSpec fed = sc.federation();
        boolean secure = fed.secureAggregation() != null;
        SimulationPki pki = secure || auditDir != null
                ? SimulationPki.create(sc.name().replaceAll("[^A-Za-z0-9 _.-]", "_"), data.keySet()) : null;
        UUID runId = new UUID(sc.seed(), sc.name().hashCode()); // as in network mode: reproducible for a (scenario, seed)
        RunSettings settings = new RunSettings(runId, fed.policy(), fed.newStrategy(), fed.trainingPlan(), sc.seed(), true,
                fed.secureAggregation());
        FederationRun run = new FederationRun(settings, stats -> Simulation.initialModel(fed, stats, sc.seed()), listener, Clock.systemUTC());
        if (pki != null) run.verifyKeyAdvertsWith(pki.trust()::verifiedSiteKey);

        Map<String, AuditLedger> ledgers = new TreeMap<>();
        if (auditDir != null) {
            Files.createDirectories(auditDir);
            Files.writeString(auditDir.resolve("ca.crt"), pki.ca().certificatePem());
            Path cf = auditDir.resolve(AuditEvent.COORDINATOR + Simulation.LEDGER_SUFFIX);
            Files.deleteIfExists(cf);
            ledgers.put(AuditEvent.COORDINATOR, AuditLedger.createCoordinator(cf, pki.coordinator(), runId.toString(), Clock.systemUTC()));
            for (String site : data.keySet()) {
                Path f = auditDir.resolve(site + Simulation.LEDGER_SUFFIX);
                Files.deleteIfExists(f);
                ledgers.put(site, AuditLedger.create(f, pki.identity(site), runId.toString(), Clock.systemUTC()));
            }
            run.audit(ledgers.get(AuditEvent.COORDINATOR));
        }
        // SCAFFOLD's control variates and Ditto's personal models survive a site's release between instructions
        Map<String, org.fedehr.site.LocalAlgorithms.State> algorithmStates = new java.util.concurrent.ConcurrentHashMap<>();
        InProcessFederation.SiteStateStore algorithmState = new InProcessFederation.SiteStateStore() {
            @Override
            public void save(String siteId, SiteNode node) {
                var st = node.localAlgorithmState();
                if (st == null) algorithmStates.remove(siteId);
                else algorithmStates.put(siteId, st);
            }

            @Override
            public void restore(String siteId, SiteNode node) {
                node.restoreLocalAlgorithmState(algorithmStates.get(siteId));
            }
        };
        int workers = sc.workers() > 0 ? sc.workers() : Runtime.getRuntime().availableProcessors();
        List<String> ids = new ArrayList<>(data.keySet());
        InProcessFederation federation = new InProcessFederation(run, ids, (id, link) -> {
            SiteData d = data.get(id);
            SiteNode node = sc.sitePolicy() == null
                    ? new SiteNode(id, fed.dictionary(), d.train(), d.test(), link, siteLog)
                    : new SiteNode(id, fed.dictionary(), SiteRows.of(d.train(), d.test()), link, siteLog,
                    SitePolicy.load(sc.sitePolicy()).withBudgetState(budgetDir.resolve(id + ".budget.json")));
            if (pki != null) {
                SiteIdentity sid = pki.identity(id);
                node.secureAggregation(new SecAggIdentity(sid.privateKey(), sid.certificatePem(), pki.trust()::verifiedSiteKey));
            }
            AuditLedger ledger = ledgers.get(id);
            if (ledger != null) node.audit(ledger);
            if (siteDp.containsKey(id)) node.differentialPrivacy(siteDp.get(id));
            return node;
        }, workers, siteLog).siteState(algorithmState).onSiteStopped((site, why) -> {
            AuditLedger l = ledgers.get(site);
            if (l != null) sealQuietly(l, why);
        });
        RunResult result;
        try {
            result = federation.run();
        } finally {
            run.audit(null);
            for (AuditLedger l : ledgers.values()) sealQuietly(l, "run ended");
        }
        Map<String, float[]> personal = new TreeMap<>();
        algorithmStates.forEach((site, st) -> {
            if (st.personal() != null) personal.put(site, st.personal());
        });
        return new Outcome(run, result, federation.maxUpdateBytes(), federation, personal);
    }

    private static void sealQuietly(AuditLedger l, String note) {
        synchronized (l) {
            if (l.sealed()) return;
            l.seal(note);
            l.close();
        }
    }
}
