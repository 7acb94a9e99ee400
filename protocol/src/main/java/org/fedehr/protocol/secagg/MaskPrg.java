package org.fedehr.protocol.secagg;

import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keyed pseudo-random generator that expands a 16-byte key into a mask over the ring: the AES-128-CTR keystream
 * (zero IV — every key is derived fresh for one stream and used once) read as little-endian 32-bit ints. Keystream
 * is produced in cache-sized chunks into a reused buffer and folded into the accumulator in the same pass, so the cost
 * is that of raw AES-CTR. Thread-safe: every call uses its own {@link Cipher} and buffer.
 */
public final class MaskPrg {

    /** Bytes of keystream produced per {@code Cipher.update}: fits L1/L2 with the matching slice of the accumulator. */
    static final int CHUNK = 32 * 1024;
    private static final byte[] ZEROS = new byte[CHUNK]; // read-only input of every stream

    private MaskPrg() {
    }

    /**
     * acc[i] += sign · PRG(key16)[i] (mod 2^32) for every i of acc.
     *
     * @param key16 the 16-byte AES key of the stream
     * @param sign  +1 to add the stream, -1 to subtract it
     */
    public static void addStream(byte[] key16, int[] acc, int sign) {
        addStreams(new byte[][] {key16}, new int[] {sign}, acc);
    }

    /**
     * acc[i] += Σ_k signs[k] · PRG(keys[k])[i] (mod 2^32) for every i of acc. The same result as calling
     * {@link #addStream} once per key, but the accumulator is walked once: for each cache-sized slice of acc, every
     * stream's next keystream chunk is produced and folded in while the slice is hot, so the cost is that of the raw
     * AES-CTR keystream rather than one pass over the whole (memory-resident) accumulator per stream.
     *
     * @param keys  16-byte AES keys, one per stream
     * @param signs +1 to add the matching stream, -1 to subtract it
     */
    public static void addStreams(byte[][] keys, int[] signs, int[] acc) {
        if (keys.length != signs.length) throw new IllegalArgumentException("keys and signs differ in length: " + keys.length + " vs " + signs.length);
        Cipher[] ciphers = new Cipher[keys.length];
        for (int k = 0; k < keys.length; k++) {
            byte[] key16 = keys[k];
            if (key16 == null || key16.length != 16) throw new IllegalArgumentException("PRG key must be 16 bytes");
            if (signs[k] != 1 && signs[k] != -1) throw new IllegalArgumentException("sign must be +1 or -1, was " + signs[k]);
            try {
                ciphers[k] = Cipher.getInstance("AES/CTR/NoPadding");
                ciphers[k].init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key16, "AES"), new IvParameterSpec(new byte[16]));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES/CTR/NoPadding is not available: " + e.getMessage(), e);
            }
        }
        byte[] buf = new byte[Math.min(CHUNK, Math.max(16, acc.length * 4))];
        int ints = buf.length / 4;
        int[] words = new int[ints];
        int[] slice = new int[ints];
        IntBuffer view = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer();
        for (int start = 0; start < acc.length; start += ints) {
            int n = Math.min(ints, acc.length - start);
            // fold into a slice indexed like the keystream words: C2 vectorises a[i] += w[i], not acc[start + i] += w[i]
            // (two int[] that might be the same array at an unknown offset)
            System.arraycopy(acc, start, slice, 0, n);
            for (int k = 0; k < ciphers.length; k++) {
                try {
                    ciphers[k].update(ZEROS, 0, n * 4, buf, 0);
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException("AES-CTR keystream failed: " + e.getMessage(), e);
                }
                view.clear();
                view.get(words, 0, n); // little-endian ints, a bulk copy on little-endian hardware
                if (signs[k] > 0) add(slice, words, n);
                else subtract(slice, words, n);
            }
            System.arraycopy(slice, 0, acc, start, n);
        }
    }

    private static void add(int[] a, int[] w, int n) {
        for (int i = 0; i < n; i++) a[i] += w[i];
    }

    private static void subtract(int[] a, int[] w, int n) {
        for (int i = 0; i < n; i++) a[i] -= w[i];
    }

    /** A fresh array holding PRG(key16)[0..length). */
    public static int[] expand(byte[] key16, int length) {
        int[] out = new int[length];
        addStream(key16, out, 1);
        return out;
    }
}
