package org.fedehr.protocol.msg;

import org.fedehr.protocol.secagg.EncryptedShare;
import org.fedehr.protocol.secagg.KeyAdvert;
import org.fedehr.protocol.secagg.RevealedShare;

import java.util.List;

/**
 * The secure-aggregation part of a site's reply: its signed key advert ({@link TaskKind#SECAGG_KEYS}), its
 * encrypted shares for the other sites ({@link TaskKind#SECAGG_SHARES}) or the shares it reveals for unmasking
 * ({@link TaskKind#SECAGG_UNMASK}). The masked update itself travels as a binary frame, like a plain update.
 */
public record SecAggReply(KeyAdvert advert, List<EncryptedShare> shares, List<RevealedShare> reveals) {
    public SecAggReply {
        shares = shares == null ? null : List.copyOf(shares);
        reveals = reveals == null ? null : List.copyOf(reveals);
    }

    public static SecAggReply advert(KeyAdvert a) {
        return new SecAggReply(a, null, null);
    }

    public static SecAggReply shares(List<EncryptedShare> s) {
        return new SecAggReply(null, s, null);
    }

    public static SecAggReply reveals(List<RevealedShare> r) {
        return new SecAggReply(null, null, r);
    }
}
