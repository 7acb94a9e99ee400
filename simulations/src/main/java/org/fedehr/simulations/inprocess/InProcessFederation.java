package org.fedehr.simulations.inprocess;

import org.fedehr.coordinator.FederationRun;
import org.fedehr.coordinator.RunResult;
import org.fedehr.protocol.msg.TaskInstruction;
import org.fedehr.site.CoordinatorLink;
import org.fedehr.site.SiteListener;
import org.fedehr.site.SiteNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * Runs a federation's sites inside the coordinator's JVM without a thread per site, so that thousands of sites fit:
 * the coordinator ({@link FederationRun}) runs on the calling thread as in network mode, and a fixed pool of worker
 * threads serves the sites' instructions as they are published.
 *
 * <p>Between two instructions a site is only a slot (its id, the sequence number of its last instruction and its
 * {@link InProcessCoordinatorLink}: two byte counters and a reference to the federated statistics, one copy shared by all): when an instruction for it is published, a worker
 * <em>materialises</em> the site ({@link SiteFactory}: its rows are generated or read, its {@link SiteNode} built),
 * lets the real node serve the instruction ({@link SiteNode#serve}: policy check, harmonisation, training, reply through
 * the egress guard and the in-process link) and <em>releases</em> it again, unless the node still holds state of an
 * unfinished round ({@link SiteNode#holdsRoundState()}: a secure-aggregation session, which lives from the key stage to
 * unmasking). State a site must keep across rounds goes through a {@link SiteStateStore}. Each worker thread trains
 * with its own DL4J network from a {@link TrainerPool}, lent to whichever node it serves (cases C17, C19). So memory is
 * O(model + active sites + sites mid-round), never O(sites x model).
 *
 * <p>Results do not depend on the number of workers or on the order sites are served in: every site's training depends
 * only on the instruction (global model, seed) and its rows, and the coordinator aggregates in site-id order.
 */
public final class InProcessFederation {
    /** Builds a site's node, with its data, on demand (called on a worker thread, once per materialisation). */
    @FunctionalInterface
    public interface SiteFactory {
        SiteNode materialise(String siteId, CoordinatorLink link) throws Exception;
    }

    /**
     * What a site keeps between its materialisations, beyond what its node reads from its own files (e.g. a SCAFFOLD
     * control variate): saved from a node before it is released, restored into the next node built for the site.
     */
    public interface SiteStateStore {
        void save(String siteId, SiteNode node);

        void restore(String siteId, SiteNode node);

        /** Sites keep nothing between materialisations. */
        SiteStateStore NONE = new SiteStateStore() {
            @Override
            public void save(String siteId, SiteNode node) {
            }

            @Override
            public void restore(String siteId, SiteNode node) {
            }
        };
    }

    private final FederationRun run;
    private final List<String> siteIds;
    private final SiteFactory factory;
    private final int workers;
    private final SiteListener log;
    private SiteStateStore state = SiteStateStore.NONE;
    private BiConsumer<String, String> onSiteStopped = (site, why) -> { };
    private BiConsumer<String, TaskInstruction> observer = (site, t) -> { };
    private final TrainerPool trainers = new TrainerPool();
    private final AtomicInteger liveSites = new AtomicInteger();
    private final AtomicInteger peakSites = new AtomicInteger();
    private final AtomicLong materialisations = new AtomicLong();
    private final AtomicLong maxUpdateBytes = new AtomicLong();
    private final AtomicLong siteBytesSent = new AtomicLong();
    private final AtomicLong siteBytesReceived = new AtomicLong();
    private ExecutorService pool;
    private CountDownLatch stopped;

    /**
     * @param siteIds the sites, each registered with {@code run} before it starts
     * @param workers worker threads (and so at most this many DL4J networks per model spec and sites served at once)
     */
    public InProcessFederation(FederationRun run, List<String> siteIds, SiteFactory factory, int workers, SiteListener log) {
        if (run == null || factory == null) throw new IllegalArgumentException("run and factory must not be null");
        if (siteIds == null || siteIds.isEmpty()) throw new IllegalArgumentException("siteIds must not be empty, was " + siteIds);
        if (siteIds.stream().distinct().count() != siteIds.size()) throw new IllegalArgumentException("siteIds must be distinct");
        if (workers < 1) throw new IllegalArgumentException("workers must be >= 1, was " + workers);
        this.run = run;
        this.siteIds = List.copyOf(siteIds);
        this.factory = factory;
        this.workers = workers;
        this.log = log == null ? SiteListener.NONE : log;
    }

    /**
     * Keeps every site's node from its first instruction to the end of the run instead of releasing it after each
     * instruction: for site-side algorithms whose state lives in the node across rounds (SCAFFOLD's control variate,
     * Ditto's personal model) when no {@link SiteStateStore} carries it. Memory is then O(sites x that state): for small
     * federations. Networks are still lent per task by the workers.
     */
    public InProcessFederation keepSitesResident(boolean keep) {
        this.keepResident = keep;
        return this;
    }

    private boolean keepResident;

    /** Where sites keep state between materialisations (default: nothing). */
    public InProcessFederation siteState(SiteStateStore store) {
        this.state = store == null ? SiteStateStore.NONE : store;
        return this;
    }

    /** Called once per site when it stops: {@code "run finished"}, or why it stopped early. */
    public InProcessFederation onSiteStopped(BiConsumer<String, String> listener) {
        this.onSiteStopped = listener == null ? (s, w) -> { } : listener;
        return this;
    }

    /** Sees every instruction a site receives, as decoded at the site, before the site serves it (tests). */
    public InProcessFederation observeInstructions(BiConsumer<String, TaskInstruction> o) {
        this.observer = o == null ? (s, t) -> { } : o;
        return this;
    }

    /** One site between its instructions. Only the worker serving its current instruction touches it. */
    private static final class Slot {
        final String siteId;
        final InProcessCoordinatorLink link;
        SiteNode node;
        long after;

        Slot(String siteId, InProcessCoordinatorLink link) {
            this.siteId = siteId;
            this.link = link;
        }
    }

    /**
     * Registers every site, runs the federation on the calling thread and serves the sites on the worker pool until
     * each has received the run's FINISHED instruction (or stopped). Can be called once.
     */
    public RunResult run() throws InterruptedException {
        if (pool != null) throw new IllegalStateException("an in-process federation runs once");
        AtomicInteger n = new AtomicInteger();
        pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "inproc-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        stopped = new CountDownLatch(siteIds.size());
        Map<String, Slot> slots = new LinkedHashMap<>();
        var statisticsCopies = new java.util.concurrent.ConcurrentHashMap<org.fedehr.protocol.stats.FeatureStatistics,
                org.fedehr.protocol.stats.FeatureStatistics>();
        try {
            for (String id : siteIds) {
                Slot s = new Slot(id, new InProcessCoordinatorLink(run, id, 25_000, statisticsCopies));
                try {
                    s.link.register(id);
                } catch (CoordinatorLink.LinkException e) {
                    throw new IllegalStateException("site " + id + " could not register in process: " + e.getMessage(), e);
                }
                slots.put(id, s);
            }
            for (Slot s : slots.values()) arm(s);
            RunResult result = run.run();
            long waitMs = Math.max(60_000, 20L * siteIds.size());   // every site still hears FINISHED (its ledger records it)
            if (!stopped.await(waitMs, TimeUnit.MILLISECONDS))
                log.event("in-process", stopped.getCount() + " sites had not received the end of the run " + waitMs / 1000
                        + " s after it ended");
            return result;
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(30, TimeUnit.SECONDS);
            for (Slot s : slots.values()) if (s.node != null) release(s);
            for (Slot s : slots.values()) {
                siteBytesSent.addAndGet(s.link.bytesSent());
                siteBytesReceived.addAndGet(s.link.bytesReceived());
            }
            trainers.close();
        }
    }

    /** Waits for the site's next instruction; when it is published, a worker serves it. */
    private void arm(Slot s) {
        run.nextTask(s.siteId, s.after).thenAccept(t -> {
            try {
                pool.execute(() -> serve(s, t));
            } catch (RejectedExecutionException e) {
                // the federation is shutting down: the instruction is not served
            }
        });
    }

    private void serve(Slot s, TaskInstruction published) {
        TaskInstruction t = s.link.receive(published);
        s.after = t.taskSeq();
        observer.accept(s.siteId, t);
        boolean more;
        try {
            if (s.node == null) materialise(s);
            more = s.node.serve(t);
            maxUpdateBytes.accumulateAndGet(s.node.lastUpdateBytes(), Math::max);
        } catch (Exception | Error e) {   // the site stops, as its thread would in network mode; the coordinator times it out
            log.event(s.siteId, "site stopped: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            stop(s, "site stopped: " + e.getClass().getSimpleName());
            if (e instanceof Error err && !(e instanceof OutOfMemoryError)) throw err;
            return;
        }
        if (!more) {
            stop(s, "run finished");
            return;
        }
        if (!keepResident && !s.node.holdsRoundState()) release(s);
        arm(s);
    }

    private void materialise(Slot s) throws Exception {
        SiteNode node = factory.materialise(s.siteId, s.link);
        if (node == null) throw new IllegalStateException("site factory built no node for site " + s.siteId);
        node.borrowTrainers(trainers::forCurrentThread);
        state.restore(s.siteId, node);
        s.node = node;
        materialisations.incrementAndGet();
        peakSites.accumulateAndGet(liveSites.incrementAndGet(), Math::max);
    }

    private void release(Slot s) {
        SiteNode node = s.node;
        s.node = null;
        try {
            state.save(s.siteId, node);
        } finally {
            node.close();
            liveSites.decrementAndGet();
        }
    }

    private void stop(Slot s, String why) {
        try {
            if (s.node != null) release(s);
        } finally {
            try {
                onSiteStopped.accept(s.siteId, why);
            } finally {
                stopped.countDown();
            }
        }
    }

    /** DL4J networks open now (0 after {@link #run()} returned). */
    public int liveNetworks() {
        return trainers.live();
    }

    /** The most DL4J networks open at once during the run: at most the number of workers per model spec. */
    public int peakNetworks() {
        return trainers.peak();
    }

    /** The most sites materialised at once. */
    public int peakMaterialisedSites() {
        return peakSites.get();
    }

    /** Sites materialised now (0 after {@link #run()} returned). */
    public int materialisedSites() {
        return liveSites.get();
    }

    /** How many times a site was built for an instruction. */
    public long materialisations() {
        return materialisations.get();
    }

    /** The largest TRAIN reply a site sent (envelope and update frame), in bytes. */
    public long maxUpdateBytes() {
        return maxUpdateBytes.get();
    }

    /** Bytes all sites sent, and received, in message bodies (after {@link #run()}). */
    public long siteBytesSent() {
        return siteBytesSent.get();
    }

    public long siteBytesReceived() {
        return siteBytesReceived.get();
    }

    public int workers() {
        return workers;
    }

    /** Sites, in the order given. */
    public List<String> siteIds() {
        return new ArrayList<>(siteIds);
    }
}
