package org.fedehr.protocol.msg;

import org.fedehr.protocol.secagg.EncryptedShare;
import org.fedehr.protocol.secagg.KeyAdvert;
import org.fedehr.protocol.secagg.SecAggConfig;

import java.util.List;

/**
 * The secure-aggregation part of an instruction (null when the run does not mask updates). Every stage carries
 * the round's public parameters; each stage adds what the site needs for it:
 * <ul>
 *   <li>{@link TaskKind#SECAGG_KEYS}: nothing more (the site makes and signs its ephemeral key pairs);</li>
 *   <li>{@link TaskKind#SECAGG_SHARES}: {@code roster}, the signed key adverts of every site that advertised (U1);</li>
 *   <li>{@link TaskKind#TRAIN}: {@code sharers}, the sites whose encrypted shares were delivered (U2), and
 *       {@code inbox}, the ciphertexts addressed to this site (the coordinator cannot read them);</li>
 *   <li>{@link TaskKind#SECAGG_UNMASK}: {@code survivors}, the sites whose masked inputs the coordinator holds (U3).</li>
 * </ul>
 */
public record SecAggTask(int threshold, double clipRange, double scale, int weightCap, List<KeyAdvert> roster,
                         List<String> sharers, List<EncryptedShare> inbox, List<String> survivors) {
    public SecAggTask {
        roster = roster == null ? null : List.copyOf(roster);
        sharers = sharers == null ? null : List.copyOf(sharers);
        inbox = inbox == null ? null : List.copyOf(inbox);
        survivors = survivors == null ? null : List.copyOf(survivors);
    }

    public static SecAggTask of(SecAggConfig c) {
        return new SecAggTask(c.threshold(), c.clipRange(), c.scale(), c.weightCap(), null, null, null, null);
    }

    public SecAggTask withRoster(List<KeyAdvert> u1) {
        return new SecAggTask(threshold, clipRange, scale, weightCap, u1, null, null, null);
    }

    public SecAggTask withShares(List<String> u2, List<EncryptedShare> forThisSite) {
        return new SecAggTask(threshold, clipRange, scale, weightCap, null, u2, forThisSite, null);
    }

    public SecAggTask withSurvivors(List<String> u3) {
        return new SecAggTask(threshold, clipRange, scale, weightCap, null, null, null, u3);
    }

    public SecAggConfig config() {
        return new SecAggConfig(threshold, clipRange, scale, weightCap);
    }
}
