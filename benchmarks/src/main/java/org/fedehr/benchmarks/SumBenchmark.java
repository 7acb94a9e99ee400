package org.fedehr.benchmarks;

import org.fedehr.protocol.secagg.RingSum;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Aggregation sums over {@code elements} values: the secure ring sum (RingSum.add, int wrap-around) against a plain
 * float sum and the plain FedAvg accumulation (double += weight x float). Bytes processed per op = 4 x elements
 * (the incoming vector). GB/s = bytes / (ms per op x 1e6).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class SumBenchmark {

    @Param("1000000")
    public int elements;

    private int[] ringAcc;
    private int[] ringV;
    private float[] floatAcc;
    private float[] floatV;
    private double[] doubleAcc;

    @Setup(Level.Trial)
    public void setup() {
        SplittableRandom r = new SplittableRandom(2);
        ringAcc = new int[elements];
        ringV = new int[elements];
        floatAcc = new float[elements];
        floatV = new float[elements];
        doubleAcc = new double[elements];
        for (int i = 0; i < elements; i++) {
            ringV[i] = r.nextInt();
            floatV[i] = (float) r.nextDouble();
        }
    }

    @Benchmark
    public int[] ringSumAdd() {
        RingSum.add(ringAcc, ringV);
        return ringAcc;
    }

    @Benchmark
    public float[] floatSum() {
        float[] a = floatAcc, v = floatV;
        for (int i = 0; i < a.length; i++) a[i] += v[i];
        return a;
    }

    /** What the plain FedAvg baseline does per update: double accumulation of weight x value. */
    @Benchmark
    public double[] weightedDoubleSum() {
        double[] a = doubleAcc;
        float[] v = floatV;
        double w = 37;
        for (int i = 0; i < a.length; i++) a[i] += w * v[i];
        return a;
    }
}
