package org.fedehr.protocol.codec;

import org.fedehr.protocol.msg.EvalMetrics;
import org.fedehr.protocol.msg.MessageFormatException;
import org.fedehr.protocol.msg.ReplyStatus;
import org.fedehr.protocol.msg.SiteReply;
import org.fedehr.protocol.msg.TaskInstruction;
import org.fedehr.protocol.msg.TaskKind;
import org.fedehr.protocol.msg.TrainSummary;
import org.fedehr.protocol.msg.TrainingPlan;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReplyEnvelopeTest {
    static final TaskInstruction TRAIN = new TaskInstruction(ParamCodecTest.RUN, 5, 2, TaskKind.TRAIN,
            ParamCodecTest.DIGEST, "{}", 1, 3, new TrainingPlan(1, 0, 32, "sgd", 0.1), 42, 0);
    static final TaskInstruction EVAL = new TaskInstruction(ParamCodecTest.RUN, 6, 2, TaskKind.EVALUATE,
            ParamCodecTest.DIGEST, "{}", 2, 3, null, 42, 0);

    static ReplyEnvelope withUpdate() {
        ParamFrame u = new ParamFrame(ParamFrame.Kind.UPDATE, ParamCodecTest.RUN, 2, 100, ParamCodecTest.DIGEST,
                new float[]{0.5f, -0.25f, 3f});
        return new ReplyEnvelope(SiteReply.to(TRAIN, "A").trained(new TrainSummary(100, 0.1, 4)), u);
    }

    @Test
    void roundTripWithUpdate() {
        ReplyEnvelope env = withUpdate();
        byte[] b = env.encode();
        ReplyEnvelope back = ReplyEnvelope.decode(b);
        assertThat(back.reply()).isEqualTo(env.reply());
        assertThat(back.update()).isEqualTo(env.update());
        assertThat(back.reply().status()).isEqualTo(ReplyStatus.OK);
        assertThat(back.reply().train().numExamples()).isEqualTo(100);
        int jsonLen = ByteBuffer.wrap(b, 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        assertThat(b).hasSize(8 + jsonLen + ParamCodec.encodedSize(3));
    }

    @Test
    void roundTripWithoutUpdate() {
        ReplyEnvelope env = new ReplyEnvelope(SiteReply.to(EVAL, "B").evaluated(new EvalMetrics(10, 9, 0.3, null)), null);
        ReplyEnvelope back = ReplyEnvelope.decode(env.encode());
        assertThat(back.update()).isNull();
        assertThat(back.reply()).isEqualTo(env.reply());
        assertThat(back.reply().eval().accuracy()).isEqualTo(0.9);
        assertThat(back.reply().eval().auroc()).isNull();
    }

    @Test
    void failedReplyKeepsErrorClass() {
        ReplyEnvelope env = new ReplyEnvelope(SiteReply.to(TRAIN, "B").failed(new IllegalStateException("boom")), null);
        SiteReply r = ReplyEnvelope.decode(env.encode()).reply();
        assertThat(r.status()).isEqualTo(ReplyStatus.FAILED);
        assertThat(r.errorClass()).isEqualTo("java.lang.IllegalStateException");
        assertThat(r.message()).isEqualTo("boom");
    }

    @Test
    void badEnvelopesAreRefused() {
        byte[] b = withUpdate().encode();
        byte[] magic = b.clone();
        magic[3] = 'X';
        assertThatThrownBy(() -> ReplyEnvelope.decode(magic)).isInstanceOf(FrameFormatException.class).hasMessageContaining("bad magic");
        assertThatThrownBy(() -> ReplyEnvelope.decode(new byte[3])).isInstanceOf(FrameFormatException.class).hasMessageContaining("too short");
        byte[] len = b.clone();
        ByteBuffer.wrap(len, 4, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(1 << 30);
        assertThatThrownBy(() -> ReplyEnvelope.decode(len)).isInstanceOf(FrameFormatException.class).hasMessageContaining("JSON bytes");
        // truncated update frame inside the envelope
        assertThatThrownBy(() -> ReplyEnvelope.decode(Arrays.copyOf(b, b.length - 2))).isInstanceOf(FrameFormatException.class)
                .hasMessageContaining("announces 3 float32 values");
    }

    @Test
    void unknownJsonFieldInEnvelopeIsRefusedNamingTheField() {
        byte[] b = withUpdate().encode();
        int jsonLen = ByteBuffer.wrap(b, 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        String json = new String(b, 8, jsonLen, StandardCharsets.UTF_8);
        byte[] json2 = ("{\"extra_field\":1," + json.substring(1)).getBytes(StandardCharsets.UTF_8);
        byte[] frame = Arrays.copyOfRange(b, 8 + jsonLen, b.length);
        ByteBuffer out = ByteBuffer.allocate(8 + json2.length + frame.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put(b, 0, 4).putInt(json2.length).put(json2).put(frame);
        assertThatThrownBy(() -> ReplyEnvelope.decode(out.array())).isInstanceOf(MessageFormatException.class)
                .hasMessageContaining("unknown field 'extra_field'").hasMessageContaining("SiteReply");
    }

    @Test
    void peekAddressReadsWhoAndWhatEvenWhenDecodeRefuses() {
        byte[] b = withUpdate().encode();
        ReplyEnvelope.Address a = ReplyEnvelope.peekAddress(b);
        assertThat(a).isEqualTo(new ReplyEnvelope.Address(ParamCodecTest.RUN, 2, TaskKind.TRAIN, "A"));
        // float64 frame: decode refuses, the address is still readable
        byte[] f64 = b.clone();
        int jsonLen = ByteBuffer.wrap(b, 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        f64[8 + jsonLen + 5] = (byte) ParamCodec.DTYPE_FLOAT64;
        assertThatThrownBy(() -> ReplyEnvelope.decode(f64)).isInstanceOf(FrameFormatException.class).hasMessageContaining("float64");
        assertThat(ReplyEnvelope.peekAddress(f64)).isEqualTo(a);
        // unreadable bytes: null, never an exception
        assertThat(ReplyEnvelope.peekAddress(new byte[3])).isNull();
        assertThat(ReplyEnvelope.peekAddress(Arrays.copyOf(b, 12))).isNull();
        byte[] magic = b.clone();
        magic[0] = 'X';
        assertThat(ReplyEnvelope.peekAddress(magic)).isNull();
    }
}
