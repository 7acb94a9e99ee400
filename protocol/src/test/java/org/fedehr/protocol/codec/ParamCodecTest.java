package org.fedehr.protocol.codec;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ParamCodecTest {
    static final UUID RUN = new UUID(0x0102030405060708L, 0x090a0b0c0d0e0f10L);
    static final String DIGEST = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

    static ParamFrame golden() {
        return new ParamFrame(ParamFrame.Kind.UPDATE, RUN, 3, 2.0, DIGEST, new float[]{1.0f, -2.0f});
    }

    /** Hand-assembled from the documented layout; the CRC32C of 0000803f000000c0 is 0xaa36f2c9 (computed independently). */
    static final String GOLDEN_HEX = "46454850" + "01" + "01" + "02" + "00"      // magic, version, float32, UPDATE, reserved
            + "03000000"                                                          // round 3
            + "0000000000000040"                                                  // weight 2.0 (float64 LE)
            + "0807060504030201" + "100f0e0d0c0b0a09"                             // run id msb, lsb
            + DIGEST
            + "02000000"                                                          // n = 2
            + "c9f236aa"                                                          // CRC32C of the payload
            + "0000803f" + "000000c0";                                            // 1.0f, -2.0f

    @Test
    void goldenEncodingIsPinnedAndRoundTrips() {
        byte[] bytes = ParamCodec.encode(golden());
        assertThat(bytes).hasSize(76 + 4 * 2);
        assertThat(ParamCodec.encodedSize(2)).isEqualTo(84);
        assertThat(HexFormat.of().formatHex(bytes)).isEqualTo(GOLDEN_HEX);
        ParamFrame back = ParamCodec.decode(HexFormat.of().parseHex(GOLDEN_HEX));
        assertThat(back).isEqualTo(golden());
        assertThat(back.values()).containsExactly(1.0f, -2.0f);
        assertThat(back.weight()).isEqualTo(2.0);
        assertThat(back.round()).isEqualTo(3);
        assertThat(back.runId()).isEqualTo(RUN);
        assertThat(back.modelDigest()).isEqualTo(DIGEST);
    }

    @Test
    void sizeIs76Plus4nForEveryLength() {
        for (int n : new int[]{0, 1, 54, 1000}) {
            float[] v = new float[n];
            for (int i = 0; i < n; i++) v[i] = i * 0.5f - 3;
            ParamFrame f = new ParamFrame(ParamFrame.Kind.MODEL, RUN, 0, 0, DIGEST, v);
            byte[] b = ParamCodec.encode(f);
            assertThat(b).hasSize(76 + 4 * n);
            assertThat(ParamCodec.decode(b)).isEqualTo(f);
        }
    }

    @Test
    void decodesAFrameInsideALargerBuffer() {
        byte[] frame = ParamCodec.encode(golden());
        byte[] padded = new byte[frame.length + 10];
        System.arraycopy(frame, 0, padded, 7, frame.length);
        assertThat(ParamCodec.decode(padded, 7, frame.length)).isEqualTo(golden());
    }

    @Test
    void corruptChecksumIsRefused() {
        byte[] b = ParamCodec.encode(golden());
        b[b.length - 1] ^= 0x01; // flip a payload bit
        assertThatThrownBy(() -> ParamCodec.decode(b)).isInstanceOf(FrameFormatException.class)
                .hasMessageContaining("checksum");
    }

    @Test
    void truncatedFrameIsRefused() {
        byte[] b = ParamCodec.encode(golden());
        byte[] cut = java.util.Arrays.copyOf(b, b.length - 4);
        assertThatThrownBy(() -> ParamCodec.decode(cut)).isInstanceOf(FrameFormatException.class)
                .hasMessageContaining("announces 2 float32 values (84 bytes)").hasMessageContaining("carries 80 bytes");
        byte[] headerOnly = java.util.Arrays.copyOf(b, 40);
        assertThatThrownBy(() -> ParamCodec.decode(headerOnly)).isInstanceOf(FrameFormatException.class)
                .hasMessageContaining("too short: 40 bytes");
    }

    @Test
    void float64DtypeIsRefusedNotConverted() {
        byte[] b = ParamCodec.encode(golden());
        b[5] = (byte) ParamCodec.DTYPE_FLOAT64;
        assertThatThrownBy(() -> ParamCodec.decode(b)).isInstanceOf(FrameFormatException.class)
                .hasMessageContaining("float64").hasMessageContaining("float32");
        b[5] = 9;
        assertThatThrownBy(() -> ParamCodec.decode(b)).isInstanceOf(FrameFormatException.class)
                .hasMessageContaining("unknown dtype code 9");
    }

    @Test
    void badMagicVersionAndKindAreRefused() {
        byte[] b = ParamCodec.encode(golden());
        byte[] magic = b.clone();
        magic[0] = 'X';
        assertThatThrownBy(() -> ParamCodec.decode(magic)).isInstanceOf(FrameFormatException.class)
                .hasMessageContaining("bad magic");
        byte[] version = b.clone();
        version[4] = 7;
        assertThatThrownBy(() -> ParamCodec.decode(version)).isInstanceOf(FrameFormatException.class)
                .hasMessageContaining("unsupported frame version 7");
        byte[] kind = b.clone();
        kind[6] = 5;
        assertThatThrownBy(() -> ParamCodec.decode(kind)).isInstanceOf(FrameFormatException.class)
                .hasMessageContaining("unknown frame kind 5");
    }

    @Test
    void nonFiniteValuesRoundTripAndAreLocated() {
        float[] v = new float[10];
        v[7] = Float.NaN;
        v[9] = Float.POSITIVE_INFINITY;
        ParamFrame f = new ParamFrame(ParamFrame.Kind.UPDATE, RUN, 1, 5, DIGEST, v);
        ParamFrame back = ParamCodec.decode(ParamCodec.encode(f));
        assertThat(back.firstNonFinite()).isEqualTo(7);
        assertThat(golden().firstNonFinite()).isEqualTo(-1);
    }

    @Test
    void frameConstructorRefusesBadFields() {
        assertThatThrownBy(() -> new ParamFrame(ParamFrame.Kind.UPDATE, RUN, 1, Double.NaN, DIGEST, new float[1]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("weight");
        assertThatThrownBy(() -> new ParamFrame(ParamFrame.Kind.UPDATE, RUN, 1, 1, "abc", new float[1]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("modelDigest");
        assertThatThrownBy(() -> new ParamFrame(ParamFrame.Kind.UPDATE, RUN, -1, 1, DIGEST, new float[1]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("round");
    }
}
