package org.fedehr.protocol.codec;

import org.fedehr.protocol.msg.Json;
import org.fedehr.protocol.msg.SiteReply;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A site's reply as one atomic message: the JSON {@link SiteReply} and, for a successful TRAIN task, the
 * update frame. Layout: magic "FEHR", int32 JSON length, JSON bytes, then the optional {@link ParamCodec}
 * frame. Sending both together means an update can never arrive without its metadata or be half counted.
 */
public record ReplyEnvelope(SiteReply reply, ParamFrame update) {
    private static final byte[] MAGIC = {'F', 'E', 'H', 'R'};

    public ReplyEnvelope {
        if (reply == null) throw new IllegalArgumentException("reply must not be null");
    }

    public byte[] encode() {
        byte[] json = Json.bytes(reply);
        byte[] frame = update == null ? new byte[0] : ParamCodec.encode(update);
        ByteBuffer b = ByteBuffer.allocate(8 + json.length + frame.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putInt(json.length).put(json).put(frame);
        return b.array();
    }

    public static ReplyEnvelope decode(byte[] bytes) {
        if (bytes.length < 8) throw new FrameFormatException("reply too short: " + bytes.length + " bytes");
        if (!Arrays.equals(bytes, 0, 4, MAGIC, 0, 4)) throw new FrameFormatException("not a reply envelope (bad magic)");
        int jsonLen = ByteBuffer.wrap(bytes, 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (jsonLen < 2 || 8L + jsonLen > bytes.length)
            throw new FrameFormatException("reply announces " + jsonLen + " JSON bytes but carries " + (bytes.length - 8));
        SiteReply reply = Json.parse(Arrays.copyOfRange(bytes, 8, 8 + jsonLen), SiteReply.class);
        int rest = bytes.length - 8 - jsonLen;
        ParamFrame frame = rest == 0 ? null : ParamCodec.decode(bytes, 8 + jsonLen, rest);
        return new ReplyEnvelope(reply, frame);
    }
}
