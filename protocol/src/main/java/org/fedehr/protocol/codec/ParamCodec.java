package org.fedehr.protocol.codec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * Compact binary encoding of parameter vectors (never JSON numbers). All integers little-endian.
 *
 * <pre>
 * offset size field
 *  0      4   magic "FEHP"
 *  4      1   format version (1)
 *  5      1   dtype: 1 = float32 (the only dtype of models and plain updates; float64 frames are refused, not
 *             converted); 3 = element of the ring Z_{2^32} (masked updates only, see {@link MaskedFrame})
 *  6      1   kind: 1 = global model, 2 = site update, 3 = masked site update (dtype 3)
 *  7      1   reserved (0)
 *  8      4   round (int32)
 * 12      8   weight (float64; sample count of an update, 0 for a model)
 * 20     16   run id (UUID, most then least significant bits)
 * 36     32   model digest (raw SHA-256 of the ModelSpec's canonical JSON)
 * 68      4   element count n (int32)
 * 72      4   CRC32C of the payload bytes
 * 76    4n    payload: n float32 values
 * </pre>
 * Parameter vectors are flat: a rank-1 vector of the manifest's length is the canonical form, and
 * anything else (another length, another dtype) is refused with a message naming expected and actual.
 */
public final class ParamCodec {
    public static final int HEADER_BYTES = 76;
    public static final int VERSION = 1;
    public static final int DTYPE_FLOAT32 = 1;
    public static final int DTYPE_FLOAT64 = 2;
    public static final int DTYPE_RING32 = 3;
    public static final int KIND_MASKED = 3;
    private static final byte[] MAGIC = {'F', 'E', 'H', 'P'};

    private ParamCodec() {
    }

    public static int encodedSize(int elements) {
        return HEADER_BYTES + 4 * elements;
    }

    public static byte[] encode(ParamFrame f) {
        ByteBuffer b = header(DTYPE_FLOAT32, f.kind().code, f.round(), f.weight(), f.runId(), f.modelDigest(), f.values().length);
        b.asFloatBuffer().put(f.values());
        return withChecksum(b.array());
    }

    /** Encodes a masked update (dtype {@link #DTYPE_RING32}, kind {@link #KIND_MASKED}, weight 0). */
    public static byte[] encode(MaskedFrame f) {
        ByteBuffer b = header(DTYPE_RING32, KIND_MASKED, f.round(), 0, f.runId(), f.modelDigest(), f.values().length);
        b.asIntBuffer().put(f.values());
        return withChecksum(b.array());
    }

    /** A buffer of the whole frame with its header written, positioned at the payload. */
    private static ByteBuffer header(int dtype, int kind, int round, double weight, UUID run, String digest, int n) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + 4 * n).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) VERSION).put((byte) dtype).put((byte) kind).put((byte) 0);
        b.putInt(round).putDouble(weight);
        b.putLong(run.getMostSignificantBits()).putLong(run.getLeastSignificantBits());
        b.put(HexFormat.of().parseHex(digest));
        b.putInt(n);
        b.putInt(0); // checksum, filled in by withChecksum
        return b.slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    private static byte[] withChecksum(byte[] frame) {
        CRC32C crc = new CRC32C();
        crc.update(frame, HEADER_BYTES, frame.length - HEADER_BYTES);
        ByteBuffer.wrap(frame, 72, 4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) crc.getValue());
        return frame;
    }

    /** The dtype byte of a frame starting at {@code offset} (for dispatching between plain and masked frames). */
    public static int peekDtype(byte[] bytes, int offset, int length) {
        if (length < HEADER_BYTES)
            throw new FrameFormatException("frame too short: " + length + " bytes, header alone is " + HEADER_BYTES);
        return bytes[offset + 5] & 0xff;
    }

    /** Decodes and checks structure and checksum; throws {@link FrameFormatException} naming the bad field. */
    public static ParamFrame decode(byte[] bytes) {
        return decode(bytes, 0, bytes.length);
    }

    public static ParamFrame decode(byte[] bytes, int offset, int length) {
        Header h = header(bytes, offset, length);
        if (h.dtype == DTYPE_FLOAT64)
            throw new FrameFormatException("dtype float64 is not accepted: parameter vectors must be float32");
        if (h.dtype == DTYPE_RING32)
            throw new FrameFormatException("a masked (secure-aggregation) frame where a float32 parameter frame was expected");
        if (h.dtype != DTYPE_FLOAT32) throw new FrameFormatException("unknown dtype code " + h.dtype);
        ParamFrame.Kind kind = ParamFrame.Kind.of(h.kind);
        checkPayload(bytes, offset, length, h, "float32 values");
        float[] values = new float[h.n];
        h.payload.asFloatBuffer().get(values);
        if (!Double.isFinite(h.weight) || h.weight < 0)
            throw new FrameFormatException("weight must be finite and >= 0, was " + h.weight);
        return new ParamFrame(kind, h.run, h.round, h.weight, h.digest, values);
    }

    /** Decodes a masked update frame and checks its structure and checksum. */
    public static MaskedFrame decodeMasked(byte[] bytes, int offset, int length) {
        Header h = header(bytes, offset, length);
        if (h.dtype != DTYPE_RING32)
            throw new FrameFormatException("masked frame must have dtype " + DTYPE_RING32 + " (ring Z_2^32), was " + h.dtype);
        if (h.kind != KIND_MASKED) throw new FrameFormatException("masked frame must have kind " + KIND_MASKED + ", was " + h.kind);
        if (h.weight != 0)
            throw new FrameFormatException("a masked frame carries its weight inside the masked vector; header weight must be 0");
        checkPayload(bytes, offset, length, h, "ring elements");
        int[] values = new int[h.n];
        h.payload.asIntBuffer().get(values);
        return new MaskedFrame(h.run, h.round, h.digest, values);
    }

    /** The fixed header fields, read and structurally checked (magic, version, element count, round). */
    private record Header(int dtype, int kind, int round, double weight, UUID run, String digest, int n, int crc,
                          ByteBuffer payload) {
    }

    private static Header header(byte[] bytes, int offset, int length) {
        if (length < HEADER_BYTES)
            throw new FrameFormatException("frame too short: " + length + " bytes, header alone is " + HEADER_BYTES);
        ByteBuffer b = ByteBuffer.wrap(bytes, offset, length).order(ByteOrder.LITTLE_ENDIAN);
        for (byte m : MAGIC) {
            if (b.get() != m) throw new FrameFormatException("not a parameter frame (bad magic)");
        }
        int version = b.get() & 0xff;
        if (version != VERSION)
            throw new FrameFormatException("unsupported frame version " + version + " (expected " + VERSION + ")");
        int dtype = b.get() & 0xff;
        int kind = b.get() & 0xff;
        b.get();
        int round = b.getInt();
        double weight = b.getDouble();
        UUID run = new UUID(b.getLong(), b.getLong());
        byte[] digest = new byte[32];
        b.get(digest);
        int n = b.getInt();
        int crc = b.getInt();
        if (n < 0) throw new FrameFormatException("negative element count " + n);
        if (round < 0) throw new FrameFormatException("round must be >= 0, was " + round);
        return new Header(dtype, kind, round, weight, run, HexFormat.of().formatHex(digest), n, crc, b);
    }

    /** The payload's announced size matches the bytes carried, and its CRC32C matches the header's. */
    private static void checkPayload(byte[] bytes, int offset, int length, Header h, String what) {
        long expectedBytes = HEADER_BYTES + 4L * h.n;
        if (expectedBytes != length)
            throw new FrameFormatException("frame announces " + h.n + " " + what + " (" + expectedBytes + " bytes) but carries "
                    + length + " bytes");
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset + HEADER_BYTES, 4 * h.n);
        if ((int) crc.getValue() != h.crc) throw new FrameFormatException("payload checksum mismatch (CRC32C)");
    }
}
