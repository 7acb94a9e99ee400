package org.fedehr.protocol.secagg;

import org.junit.jupiter.api.Test;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class MaskPrgTest {

    /** The PRG by definition: the whole AES-128-CTR keystream (zero IV) in one call, read as little-endian ints. */
    private static int[] reference(byte[] key, int length) throws Exception {
        Cipher c = Cipher.getInstance("AES/CTR/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(new byte[16]));
        byte[] ks = c.doFinal(new byte[4 * length]);
        int[] out = new int[length];
        ByteBuffer.wrap(ks).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(out);
        return out;
    }

    @Test
    void addStreamsEqualsTheSignedSumOfTheReferenceStreams() throws Exception {
        SplittableRandom r = new SplittableRandom(3);
        for (int length : new int[] {1, 3, 4, 8191, 8192, 8193, 3 * 8192 + 5}) {
            byte[][] keys = new byte[4][16];
            int[] signs = {1, -1, -1, 1};
            for (byte[] k : keys) r.nextBytes(k);
            int[] acc = new int[length];
            int[] expected = new int[length];
            for (int i = 0; i < length; i++) acc[i] = expected[i] = r.nextInt();
            for (int k = 0; k < keys.length; k++) {
                int[] s = reference(keys[k], length);
                for (int i = 0; i < length; i++) expected[i] += signs[k] * s[i];
            }
            MaskPrg.addStreams(keys, signs, acc);
            assertThat(acc).as("length %d", length).isEqualTo(expected);
            assertThat(MaskPrg.expand(keys[0], length)).isEqualTo(reference(keys[0], length));
        }
    }
}
