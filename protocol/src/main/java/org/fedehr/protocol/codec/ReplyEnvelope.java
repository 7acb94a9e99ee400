package org.fedehr.protocol.codec;

import com.fasterxml.jackson.databind.JsonNode;
import org.fedehr.protocol.msg.Json;
import org.fedehr.protocol.msg.SiteReply;
import org.fedehr.protocol.msg.TaskKind;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.UUID;

/**
 * A site's reply as one atomic message: the JSON {@link SiteReply} and, for a successful TRAIN task, the
 * update frame. Layout: magic "FEHR", int32 JSON length, JSON bytes, then the optional {@link ParamCodec}
 * frame. Sending both together means an update can never arrive without its metadata or be half counted.
 * <p>
 * Schema policy (case C09): {@link #decode} is strict. The JSON must not carry a field this version does not
 * know, and the frame must be float32 ({@link ParamCodec}); anything else is refused, never converted. So that a
 * refused reply is still recorded against its site and round (and not mistaken for silence), {@link #peekAddress}
 * reads just who sent it and what it answers, leniently.
 */
public record ReplyEnvelope(SiteReply reply, ParamFrame update, MaskedFrame masked) {
    private static final byte[] MAGIC = {'F', 'E', 'H', 'R'};

    public ReplyEnvelope {
        if (reply == null) throw new IllegalArgumentException("reply must not be null");
        if (update != null && masked != null) throw new IllegalArgumentException("a reply carries a plain or a masked update, not both");
    }

    /** A reply with a plain update frame (or none). */
    public ReplyEnvelope(SiteReply reply, ParamFrame update) {
        this(reply, update, null);
    }

    /** A reply carrying a masked (secure-aggregation) update. */
    public static ReplyEnvelope masked(SiteReply reply, MaskedFrame masked) {
        return new ReplyEnvelope(reply, null, masked);
    }

    public byte[] encode() {
        byte[] json = Json.bytes(reply);
        byte[] frame = update != null ? ParamCodec.encode(update) : masked != null ? ParamCodec.encode(masked) : new byte[0];
        ByteBuffer b = ByteBuffer.allocate(8 + json.length + frame.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putInt(json.length).put(json).put(frame);
        return b.array();
    }

    public static ReplyEnvelope decode(byte[] bytes) {
        int jsonLen = jsonLength(bytes);
        SiteReply reply = Json.parse(Arrays.copyOfRange(bytes, 8, 8 + jsonLen), SiteReply.class);
        int rest = bytes.length - 8 - jsonLen;
        if (rest == 0) return new ReplyEnvelope(reply, null, null);
        if (ParamCodec.peekDtype(bytes, 8 + jsonLen, rest) == ParamCodec.DTYPE_RING32)
            return new ReplyEnvelope(reply, null, ParamCodec.decodeMasked(bytes, 8 + jsonLen, rest));
        return new ReplyEnvelope(reply, ParamCodec.decode(bytes, 8 + jsonLen, rest), null);
    }

    /** Checks the envelope header (size, magic, JSON length within the bytes) and returns the JSON length. */
    private static int jsonLength(byte[] bytes) {
        if (bytes.length < 8) throw new FrameFormatException("reply too short: " + bytes.length + " bytes");
        if (!Arrays.equals(bytes, 0, 4, MAGIC, 0, 4)) throw new FrameFormatException("not a reply envelope (bad magic)");
        int jsonLen = ByteBuffer.wrap(bytes, 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (jsonLen < 2 || 8L + jsonLen > bytes.length)
            throw new FrameFormatException("reply announces " + jsonLen + " JSON bytes but carries " + (bytes.length - 8));
        return jsonLen;
    }

    /** Which run, round and task a reply says it answers, and from which site. */
    public record Address(UUID runId, int round, TaskKind kind, String siteId) {
    }

    /**
     * Reads the addressing fields of a reply that {@link #decode} may refuse (unknown fields, a bad frame), or
     * null when the bytes do not even say that much. Never throws. Only for recording the refusal; the reply
     * itself is not accepted.
     */
    public static Address peekAddress(byte[] bytes) {
        try {
            if (bytes == null) return null;
            int jsonLen = jsonLength(bytes);   // a bad header: FrameFormatException, caught below
            JsonNode n = Json.mapper().readTree(bytes, 8, jsonLen);
            if (n == null || !n.isObject()) return null;
            JsonNode run = n.get("run_id"), round = n.get("round"), kind = n.get("kind"), site = n.get("site_id");
            if (run == null || !run.isTextual() || round == null || !round.isInt() || kind == null || !kind.isTextual()
                    || site == null || !site.isTextual()) return null;
            return new Address(UUID.fromString(run.asText()), round.intValue(), TaskKind.valueOf(kind.asText()), site.asText());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
