package org.fedehr.protocol.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.fedehr.protocol.msg.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;

/**
 * The ledger's line format. Every line is one canonical JSON object (keys sorted at every level, no whitespace,
 * null fields omitted, UTF-8) with {@code type} (header | event | seal), {@code seq}, {@code time}, {@code prev_hash}
 * (SHA-256 hex of the previous line's bytes; 64 zeros for the header) and {@code signature} (base64 DER
 * SHA256withECDSA over the canonical bytes of the same object without {@code signature}).
 */
final class LedgerFormat {
    static final String FORMAT = "fedehr-audit/1";
    static final String GENESIS = "0".repeat(64);
    static final String HEADER = "header", EVENT = "event", SEAL = "seal";
    static final String SIGNATURE_ALG = "SHA256withECDSA";

    private LedgerFormat() {
    }

    /** Canonical bytes of {@code node}: object keys sorted recursively, nulls dropped, compact. */
    static byte[] canonical(JsonNode node) {
        try {
            return Json.mapper().writeValueAsBytes(sorted(node));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            List<String> names = new ArrayList<>();
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) names.add(it.next());
            names.sort(null);
            for (String n : names) {
                JsonNode v = node.get(n);
                if (v != null && !v.isNull()) out.set(n, sorted(v));
            }
            return out;
        }
        if (node.isArray()) {
            var arr = JsonNodeFactory.instance.arrayNode();
            for (JsonNode v : node) arr.add(sorted(v));
            return arr;
        }
        return node;
    }

    static String sign(byte[] data, PrivateKey key) {
        try {
            Signature s = Signature.getInstance(SIGNATURE_ALG);
            s.initSign(key);
            s.update(data);
            return Base64.getEncoder().encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not sign the audit entry: " + e.getMessage(), e);
        }
    }

    static boolean verify(byte[] data, String signatureB64, PublicKey key) {
        try {
            Signature s = Signature.getInstance(SIGNATURE_ALG);
            s.initVerify(key);
            s.update(data);
            return s.verify(Base64.getDecoder().decode(signatureB64));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** Signs {@code unsigned} and returns the full canonical line (without newline). */
    static String signedLine(ObjectNode unsigned, PrivateKey key) {
        unsigned.remove("signature");
        String sig = sign(canonical(unsigned), key);
        ObjectNode full = unsigned.deepCopy();
        full.put("signature", sig);
        return new String(canonical(full), StandardCharsets.UTF_8);
    }

    static String hash(String line) {
        return AuditEvent.sha256Hex(line.getBytes(StandardCharsets.UTF_8));
    }

    /** The event's fields as a line body (type, seq, time, ...), without prev_hash and signature. */
    static ObjectNode eventNode(AuditEvent e) {
        ObjectNode n = Json.mapper().valueToTree(e);
        n.put("type", EVENT);
        return n;
    }

    /** Parses an event line back into its record (line-level fields removed). */
    static AuditEvent event(JsonNode line) {
        ObjectNode n = line.deepCopy();
        n.remove("type");
        n.remove("prev_hash");
        n.remove("signature");
        try {
            return Json.mapper().treeToValue(n, AuditEvent.class);
        } catch (IOException | IllegalArgumentException e) {
            Throwable root = e;
            while (root.getCause() != null) root = root.getCause();
            throw new IllegalArgumentException("not a valid audit event: " + root.getMessage(), e);
        }
    }
}
