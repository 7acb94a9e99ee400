package org.fedehr.protocol.codec;

import org.fedehr.protocol.msg.Json;
import org.fedehr.protocol.msg.SecAggReply;
import org.fedehr.protocol.msg.SecAggTask;
import org.fedehr.protocol.msg.SiteReply;
import org.fedehr.protocol.msg.TaskInstruction;
import org.fedehr.protocol.msg.TaskKind;
import org.fedehr.protocol.msg.TrainSummary;
import org.fedehr.protocol.secagg.EncryptedShare;
import org.fedehr.protocol.secagg.KeyAdvert;
import org.fedehr.protocol.secagg.RevealedShare;
import org.fedehr.protocol.secagg.SecAggConfig;
import org.fedehr.protocol.secagg.ShareKind;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Masked (secure-aggregation) update frames and the secure-aggregation JSON payloads on the wire. */
class MaskedFrameTest {
    static final MaskedFrame M = new MaskedFrame(ParamCodecTest.RUN, 2, ParamCodecTest.DIGEST,
            new int[]{0, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 123456789});

    @Test
    void headerIsTheParameterFrameHeaderWithRingDtypeAndMaskedKind() {
        byte[] b = ParamCodec.encode(M);
        assertThat(b).hasSize(ParamCodec.HEADER_BYTES + 4 * 5);
        assertThat(new String(b, 0, 4)).isEqualTo("FEHP");
        assertThat(b[5]).isEqualTo((byte) ParamCodec.DTYPE_RING32);
        assertThat(b[6]).isEqualTo((byte) ParamCodec.KIND_MASKED);
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(bb.getDouble(12)).isZero();           // the weight travels inside the masked vector
        assertThat(bb.getInt(68)).isEqualTo(5);
        assertThat(bb.getInt(76 + 4 * 2)).isEqualTo(Integer.MIN_VALUE);
        assertThat(ParamCodec.decodeMasked(b, 0, b.length)).isEqualTo(M);
    }

    @Test
    void envelopeDispatchesOnTheDtype() {
        TaskInstruction t = new TaskInstruction(ParamCodecTest.RUN, 5, 2, TaskKind.TRAIN, ParamCodecTest.DIGEST, "{}", 1, 4,
                new org.fedehr.protocol.msg.TrainingPlan(1, 0, 32, "sgd", 0.1), 42, 0);
        ReplyEnvelope env = ReplyEnvelope.masked(SiteReply.to(t, "A").trained(new TrainSummary(10, 0.1, 1, 2)), M);
        ReplyEnvelope back = ReplyEnvelope.decode(env.encode());
        assertThat(back.update()).isNull();
        assertThat(back.masked()).isEqualTo(M);
        assertThat(back.reply().train().clippedValues()).isEqualTo(2);
    }

    @Test
    void aMaskedFrameIsNeverReadAsFloats() {
        byte[] b = ParamCodec.encode(M);
        assertThatThrownBy(() -> ParamCodec.decode(b)).isInstanceOf(FrameFormatException.class)
                .hasMessageContaining("masked (secure-aggregation) frame");
    }

    @Test
    void corruptOrInconsistentMaskedFramesAreRefused() {
        byte[] b = ParamCodec.encode(M);
        byte[] flipped = b.clone();
        flipped[80] ^= 1;
        assertThatThrownBy(() -> ParamCodec.decodeMasked(flipped, 0, flipped.length)).hasMessageContaining("checksum");
        byte[] weighted = b.clone();
        ByteBuffer.wrap(weighted).order(ByteOrder.LITTLE_ENDIAN).putDouble(12, 3.0);
        assertThatThrownBy(() -> ParamCodec.decodeMasked(weighted, 0, weighted.length)).hasMessageContaining("header weight must be 0");
        byte[] shorter = java.util.Arrays.copyOf(b, b.length - 4);
        assertThatThrownBy(() -> ParamCodec.decodeMasked(shorter, 0, shorter.length))
                .hasMessageContaining("announces 5 ring elements");
        byte[] plain = ParamCodec.encode(new ParamFrame(ParamFrame.Kind.UPDATE, ParamCodecTest.RUN, 2, 1, ParamCodecTest.DIGEST, new float[]{1f}));
        assertThatThrownBy(() -> ParamCodec.decodeMasked(plain, 0, plain.length)).hasMessageContaining("must have dtype 3");
    }

    @Test
    void secureAggregationPayloadsRoundTripThroughTheStrictJson() {
        SecAggConfig cfg = new SecAggConfig(3, 8.0, 1000.0, 200);
        KeyAdvert a = new KeyAdvert("A", new byte[]{1, 2}, new byte[]{3, 4}, "PEM", new byte[]{5});
        SecAggTask task = SecAggTask.of(cfg).withShares(List.of("A", "B", "C"), List.of(new EncryptedShare("B", "A", new byte[]{9, 9})));
        TaskInstruction t = new TaskInstruction(ParamCodecTest.RUN, 5, 2, TaskKind.TRAIN, ParamCodecTest.DIGEST, "{}", 1, 4,
                new org.fedehr.protocol.msg.TrainingPlan(1, 0, 32, "sgd", 0.1), 42, 0, task);
        TaskInstruction back = Json.parse(Json.bytes(t), TaskInstruction.class);
        assertThat(back.secagg().config()).isEqualTo(cfg);
        assertThat(back.secagg().sharers()).containsExactly("A", "B", "C");
        assertThat(back.secagg().inbox().get(0).ciphertext()).containsExactly(9, 9);
        TaskInstruction keys = new TaskInstruction(ParamCodecTest.RUN, 6, 2, TaskKind.SECAGG_SHARES, ParamCodecTest.DIGEST, null, 1, 4,
                null, 42, 0, SecAggTask.of(cfg).withRoster(List.of(a)));
        assertThat(Json.parse(Json.bytes(keys), TaskInstruction.class).secagg().roster().get(0).maskingPublicKey()).containsExactly(3, 4);
        SiteReply r = SiteReply.to(keys, "A").secagg(SecAggReply.reveals(List.of(new RevealedShare("B", ShareKind.SELF_MASK_SEED, new byte[]{7}))));
        SiteReply rb = Json.parse(Json.bytes(r), SiteReply.class);
        assertThat(rb.secagg().reveals().get(0).kind()).isEqualTo(ShareKind.SELF_MASK_SEED);
        // a secure-aggregation stage without its parameters, or an OK reply without its payload, cannot be built
        assertThatThrownBy(() -> new TaskInstruction(ParamCodecTest.RUN, 6, 2, TaskKind.SECAGG_KEYS, null, null, 1, 4, null, 42, 0))
                .hasMessageContaining("needs secure-aggregation parameters");
        assertThatThrownBy(() -> SiteReply.to(keys, "A").secagg(null)).hasMessageContaining("secure-aggregation payload");
    }
}
