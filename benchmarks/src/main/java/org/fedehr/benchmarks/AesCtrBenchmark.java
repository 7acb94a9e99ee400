package org.fedehr.benchmarks;

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

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.util.concurrent.TimeUnit;

/**
 * The floor under mask expansion: the JCE's AES/CTR/NoPadding producing {@code streams} x 4 x {@code elements} bytes of
 * keystream (fresh key per stream, like the PRG) into a reused buffer. GB/s = bytes / (ms per op x 1e6).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class AesCtrBenchmark {

    @Param("1000000")
    public int elements;

    @Param({"1", "10"})
    public int streams;

    private byte[] zeros;
    private byte[] out;
    private byte[] zerosChunk = new byte[32 * 1024];
    private byte[] outChunk = new byte[32 * 1024];
    private Cipher cipher;
    private SecretKeySpec[] keys;
    private final IvParameterSpec iv = new IvParameterSpec(new byte[16]);

    @Setup(Level.Trial)
    public void setup() throws Exception {
        zeros = new byte[4 * elements];
        out = new byte[4 * elements];
        cipher = Cipher.getInstance("AES/CTR/NoPadding");
        keys = new SecretKeySpec[streams];
        for (int k = 0; k < streams; k++) {
            byte[] key = new byte[16];
            key[0] = (byte) k;
            key[5] = 42;
            keys[k] = new SecretKeySpec(key, "AES");
        }
    }

    /** One update call of 4 x elements bytes per stream. */
    @Benchmark
    public byte[] aesCtrOneCall() throws Exception {
        for (SecretKeySpec k : keys) {
            cipher.init(Cipher.ENCRYPT_MODE, k, iv);
            cipher.update(zeros, 0, zeros.length, out, 0);
        }
        return out;
    }

    /** 32 KiB update calls (the chunk MaskPrg uses), output stays in L1/L2. */
    @Benchmark
    public byte[] aesCtrChunked() throws Exception {
        int bytes = 4 * elements;
        for (SecretKeySpec k : keys) {
            cipher.init(Cipher.ENCRYPT_MODE, k, iv);
            for (int off = 0; off < bytes; off += outChunk.length)
                cipher.update(zerosChunk, 0, Math.min(outChunk.length, bytes - off), outChunk, 0);
        }
        return outChunk;
    }
}
