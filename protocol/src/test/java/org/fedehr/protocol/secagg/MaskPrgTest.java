package org.fedehr.protocol.secagg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

/** The mask PRG is exactly the AES-128-CTR keystream read as little-endian ints, across chunk boundaries. */
class MaskPrgTest {

    static int[] reference(byte[] key, int length) throws Exception {
        Cipher c = Cipher.getInstance("AES/CTR/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(new byte[16]));
        ByteBuffer b = ByteBuffer.wrap(c.doFinal(new byte[length * 4])).order(ByteOrder.LITTLE_ENDIAN);
        int[] out = new int[length];
        b.asIntBuffer().get(out);
        return out;
    }

    @Test
    void expandIsTheAesCtrKeystreamAcrossChunkBoundaries() throws Exception {
        byte[] key = new byte[16];
        for (int i = 0; i < 16; i++) key[i] = (byte) (i * 17 + 3);
        int chunkInts = MaskPrg.CHUNK / 4;
        for (int length : new int[] {1, 3, 4, 5, chunkInts - 1, chunkInts, chunkInts + 1, 3 * chunkInts + 7, 100_003})
            assertThat(MaskPrg.expand(key, length)).as("length %d", length).isEqualTo(reference(key, length));
    }

    @Test
    void addingThenSubtractingAStreamCancelsModulo2To32() {
        byte[] key = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int[] acc = {Integer.MAX_VALUE, Integer.MIN_VALUE, 0, -1, 42};
        int[] before = acc.clone();
        MaskPrg.addStream(key, acc, 1);
        assertThat(acc).isNotEqualTo(before);
        MaskPrg.addStream(key, acc, -1);
        assertThat(acc).isEqualTo(before);
    }

    @Test
    void addStreamsEqualsTheStreamsAddedOneByOne() {
        byte[][] keys = new byte[5][16];
        int[] signs = {1, -1, -1, 1, -1};
        for (int k = 0; k < keys.length; k++) keys[k][k] = (byte) (k + 1);
        for (int length : new int[] {1, 7, MaskPrg.CHUNK / 4 + 3, 50_001}) {
            int[] one = new int[length];
            for (int k = 0; k < keys.length; k++) MaskPrg.addStream(keys[k], one, signs[k]);
            int[] all = new int[length];
            MaskPrg.addStreams(keys, signs, all);
            assertThat(all).as("length %d", length).isEqualTo(one);
        }
        assertThatThrownBy(() -> MaskPrg.addStreams(keys, new int[2], new int[1])).hasMessageContaining("differ in length");
    }

    @Test
    void rejectsBadKeysAndSigns() {
        assertThatThrownBy(() -> MaskPrg.addStream(new byte[15], new int[1], 1)).hasMessageContaining("16 bytes");
        assertThatThrownBy(() -> MaskPrg.addStream(new byte[16], new int[1], 2)).hasMessageContaining("sign must be +1 or -1, was 2");
    }

    @Test
    void ringSumWrapsAround() {
        int[] acc = {Integer.MAX_VALUE, Integer.MIN_VALUE, 5};
        RingSum.add(acc, new int[] {1, -1, -7});
        assertThat(acc).containsExactly(Integer.MIN_VALUE, Integer.MAX_VALUE, -2);
        RingSum.subtract(acc, new int[] {1, -1, -7});
        assertThat(acc).containsExactly(Integer.MAX_VALUE, Integer.MIN_VALUE, 5);
        assertThatThrownBy(() -> RingSum.add(acc, new int[2])).hasMessageContaining("length mismatch: 3 vs 2");
    }
}
