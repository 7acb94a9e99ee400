package org.fedehr.simulations.inprocess;

import org.fedehr.models.LocalTrainer;
import org.fedehr.models.ModelSpec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * DL4J networks for an in-process driver's worker threads: one network per (worker thread, model spec), built on
 * first use and reused for every site that thread serves (case C17: never a network per site or per round), never
 * handed to another thread (case C19). {@link #live()} counts the networks open now, {@link #peak()} the most ever
 * open at once; with one model spec both are bounded by the number of worker threads. {@link #close()} closes them all.
 */
public final class TrainerPool implements AutoCloseable {
    /** Networks are built with this init seed, as a site node's own are (training never depends on it: it loads the given parameters). */
    static final long INIT_SEED = 1L;

    private final ThreadLocal<Map<String, LocalTrainer>> perThread = ThreadLocal.withInitial(HashMap::new);
    private final List<LocalTrainer> all = new ArrayList<>();
    private final AtomicInteger live = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();
    private boolean closed;

    /** The calling thread's network for {@code spec} (built on its first call from this thread). */
    public LocalTrainer forCurrentThread(ModelSpec spec) {
        Map<String, LocalTrainer> mine = perThread.get();
        LocalTrainer t = mine.get(spec.digest());
        if (t != null) return t;
        synchronized (this) {
            if (closed) throw new IllegalStateException("trainer pool is closed");
            t = new LocalTrainer(spec, INIT_SEED);
            all.add(t);
        }
        mine.put(spec.digest(), t);
        peak.accumulateAndGet(live.incrementAndGet(), Math::max);
        return t;
    }

    /** DL4J networks open now. */
    public int live() {
        return live.get();
    }

    /** The most DL4J networks that were open at once. */
    public int peak() {
        return peak.get();
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        for (LocalTrainer t : all) {
            t.close();
            live.decrementAndGet();
        }
        all.clear();
    }
}
