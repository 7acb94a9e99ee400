package org.fedehr.protocol.secagg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A misbehaving coordinator or peer: tampering, substitution, replays and attempts to learn both secrets of a site. */
class SecAggAdversaryTest {

    static final int ROUND = 11;
    SecAggConfig config;
    Map<String, SecAggSite> sites;
    List<KeyAdvert> u1;
    Map<String, List<EncryptedShare>> sent;

    /** Five sites (t = 3) that advertised and shared keys through an honest relay. */
    @BeforeEach
    void share() {
        config = SecAggConfig.choose(5, 3, 2.0, 100, 1e-3);
        sites = new TreeMap<>();
        for (String id : SecAggFixture.ids(5)) sites.put(id, SecAggFixture.site(ROUND, id, config, 77));
        u1 = sites.values().stream().map(SecAggSite::advertise).toList();
        sent = new TreeMap<>();
        for (SecAggSite s : sites.values()) sent.put(s.siteId(), s.shareKeys(u1));
    }

    List<EncryptedShare> inbox(String to, List<String> u2) {
        List<EncryptedShare> in = new ArrayList<>();
        for (String from : u2) for (EncryptedShare s : sent.get(from)) if (s.to().equals(to)) in.add(s);
        return in;
    }

    void receiveAll(List<String> u2) {
        for (String id : u2) sites.get(id).receiveShares(u2, inbox(id, u2));
    }

    @Test
    void aSiteNeverRevealsBothKindsOfShareForOnePeer() {
        List<String> u2 = SecAggFixture.ids(5);
        receiveAll(u2);
        SecAggSite s0 = sites.get("site-00");
        List<String> u3 = List.of("site-00", "site-01", "site-02", "site-03");
        List<RevealedShare> first = s0.unmask(u3);
        assertThat(first).extracting(RevealedShare::owner, RevealedShare::kind).containsExactly(
                org.assertj.core.groups.Tuple.tuple("site-00", ShareKind.SELF_MASK_SEED), org.assertj.core.groups.Tuple.tuple("site-01", ShareKind.SELF_MASK_SEED),
                org.assertj.core.groups.Tuple.tuple("site-02", ShareKind.SELF_MASK_SEED), org.assertj.core.groups.Tuple.tuple("site-03", ShareKind.SELF_MASK_SEED),
                org.assertj.core.groups.Tuple.tuple("site-04", ShareKind.MASKING_KEY));
        // asking again with the same U3 is harmless
        assertThat(s0.unmask(new ArrayList<>(u3))).isEqualTo(first);
        // now claiming site-03 dropped: its masking-key share would complete its seed share -> refused
        assertThatThrownBy(() -> s0.unmask(List.of("site-00", "site-01", "site-02")))
                .isInstanceOf(SecAggException.class).hasMessageContaining("site site-00").hasMessageContaining("stage unmask")
                .hasMessageContaining("second, different U3");
    }

    @Test
    void unmaskRefusesRostersThatAreNotSubsetsOfU2OrTooSmallOrWithoutTheSite() {
        List<String> u2 = List.of("site-00", "site-01", "site-02", "site-03");
        receiveAll(u2);
        assertThatThrownBy(() -> sites.get("site-00").unmask(List.of("site-00", "site-01", "site-04")))
                .isInstanceOf(SecAggException.class).hasMessageContaining("site-04, which is not in U2");
        assertThatThrownBy(() -> sites.get("site-01").unmask(List.of("site-00", "site-01")))
                .isInstanceOf(SecAggException.class).hasMessageContaining("fewer than the threshold 3");
        assertThatThrownBy(() -> sites.get("site-02").unmask(List.of("site-00", "site-01", "site-03")))
                .isInstanceOf(SecAggException.class).hasMessageContaining("does not contain this site");
        assertThatThrownBy(() -> sites.get("site-03").unmask(List.of("site-00", "site-03", "site-03", "site-01")))
                .isInstanceOf(SecAggException.class).hasMessageContaining("twice");
    }

    @Test
    void aTamperedCiphertextIsBlamedOnItsSender() {
        List<String> u2 = SecAggFixture.ids(5);
        List<EncryptedShare> in = inbox("site-02", u2);
        EncryptedShare fromOne = in.get(1);
        assertThat(fromOne.from()).isEqualTo("site-01");
        byte[] ct = fromOne.ciphertext();
        ct[ct.length / 2] ^= 0x40;
        in.set(1, new EncryptedShare("site-01", "site-02", ct));
        assertThatThrownBy(() -> sites.get("site-02").receiveShares(u2, in))
                .isInstanceOfSatisfying(SecAggException.class, e -> assertThat(e.culprit()).contains("site-01"))
                .hasMessageContaining("site site-02").hasMessageContaining("round " + ROUND).hasMessageContaining("stage receive-shares")
                .hasMessageContaining("share from site site-01 does not decrypt");
    }

    @Test
    void aCiphertextRelabelledWithAnotherSenderOrRecipientIsDetected() {
        List<String> u2 = SecAggFixture.ids(5);
        // the relay swaps the senders of two ciphertexts addressed to site-02
        List<EncryptedShare> in = inbox("site-02", u2);
        EncryptedShare a = in.get(0), b = in.get(1);
        in.set(0, new EncryptedShare(a.from(), "site-02", b.ciphertext()));
        in.set(1, new EncryptedShare(b.from(), "site-02", a.ciphertext()));
        assertThatThrownBy(() -> sites.get("site-02").receiveShares(u2, in))
                .isInstanceOf(SecAggException.class).hasMessageContaining("share from site " + a.from() + " does not decrypt");
        // the relay forwards site-00's share for site-01 to site-03
        List<EncryptedShare> in3 = inbox("site-03", u2);
        EncryptedShare forOne = sent.get("site-00").stream().filter(s -> s.to().equals("site-01")).findFirst().orElseThrow();
        in3.set(0, new EncryptedShare("site-00", "site-03", forOne.ciphertext()));
        assertThatThrownBy(() -> sites.get("site-03").receiveShares(u2, in3))
                .isInstanceOf(SecAggException.class).hasMessageContaining("share from site site-00 does not decrypt");
    }

    @Test
    void aMissingOrForeignShareIsRefused() {
        List<String> u2 = SecAggFixture.ids(5);
        List<EncryptedShare> in = inbox("site-04", u2);
        in.remove(2);
        assertThatThrownBy(() -> sites.get("site-04").receiveShares(u2, in))
                .isInstanceOfSatisfying(SecAggException.class, e -> assertThat(e.culprit()).contains("site-02"))
                .hasMessageContaining("no share from site site-02, although it is in U2");
        List<String> smaller = List.of("site-00", "site-01", "site-02");
        assertThatThrownBy(() -> sites.get("site-00").receiveShares(smaller, inbox("site-00", u2)))
                .isInstanceOf(SecAggException.class).hasMessageContaining("not another member of U2");
    }

    @Test
    void advertsWithAnotherSitesIdOrFromAnotherRoundAreRefused() {
        SecAggServer server = new SecAggServer(SecAggFixture.RUN, ROUND, config, SecAggFixture.ids(5), SecAggFixture.VERIFIER);
        assertThatThrownBy(() -> server.acceptAdvert("site-01", u1.get(2)))
                .isInstanceOfSatisfying(SecAggException.class, e -> assertThat(e.culprit()).contains("site-01"))
                .hasMessageContaining("site site-01 sent an advert for site site-02").hasMessageContaining("stage advertising");
        // site-01 signs keys under site-02's id with its own certificate: the certificate does not name site-02
        SecAggFixture.Identity one = SecAggFixture.identity("site-01");
        SecAggSite impostor = new SecAggSite(SecAggFixture.RUN, ROUND, "site-02", config, one.key(), one.certificatePem(),
                SecAggFixture.VERIFIER, SecAggFixture.drbg(1));
        KeyAdvert forged = impostor.advertise();
        assertThatThrownBy(() -> server.acceptAdvert("site-02", forged))
                .isInstanceOf(SecAggException.class).hasMessageContaining("site site-02: its certificate was rejected");
        // a genuine advert of round ROUND replayed in round ROUND + 1
        SecAggServer next = new SecAggServer(SecAggFixture.RUN, ROUND + 1, config, SecAggFixture.ids(5), SecAggFixture.VERIFIER);
        assertThatThrownBy(() -> next.acceptAdvert("site-03", u1.get(3)))
                .isInstanceOf(SecAggException.class).hasMessageContaining("site site-03: its advert's signature does not verify");
        // the site side refuses a roster that alters its own advert
        SecAggSite fresh = SecAggFixture.site(ROUND, "site-00", config, 78);
        fresh.advertise();
        assertThatThrownBy(() -> fresh.shareKeys(u1)).isInstanceOf(SecAggException.class)
                .hasMessageContaining("own unaltered advert");
    }

    @Test
    void theServerRefusesRevealsOfTheWrongKind() {
        SecAggServer server = new SecAggServer(SecAggFixture.RUN, ROUND, config, SecAggFixture.ids(5));
        for (KeyAdvert a : u1) server.acceptAdvert(a.siteId(), a);
        server.closeAdvertising();
        sent.forEach(server::acceptShares);
        List<String> u2 = server.closeSharing();
        receiveAll(u2);
        for (String id : List.of("site-00", "site-01", "site-02", "site-03"))
            server.acceptMaskedInput(id, sites.get(id).mask(new float[] {0.5f, 1}, 10).values());
        assertThatThrownBy(() -> server.acceptMaskedInput("site-04", new int[5]))
                .isInstanceOfSatisfying(SecAggException.class, e -> assertThat(e.culprit()).contains("site-04"))
                .hasMessageContaining("uploaded 5 elements, expected 3");
        List<String> u3 = server.closeMasking();
        List<RevealedShare> honest = sites.get("site-00").unmask(u3);
        List<RevealedShare> greedy = new ArrayList<>(honest);
        greedy.set(0, new RevealedShare(honest.get(0).owner(), ShareKind.MASKING_KEY, honest.get(0).share()));
        assertThatThrownBy(() -> server.acceptReveals("site-00", greedy))
                .isInstanceOf(SecAggException.class).hasMessageContaining("revealed a MASKING_KEY share of site-00, expected SELF_MASK_SEED");
        server.acceptReveals("site-00", honest);
        server.acceptReveals("site-01", sites.get("site-01").unmask(u3));
        assertThatThrownBy(server::closeUnmasking).isInstanceOf(SecAggException.class).hasMessageContaining("fails closed");
    }

    /** expandMask runs on a worker thread while the site trains: concurrent calls agree with a sequential one. */
    @Test
    void expandMaskIsThreadSafeAfterReceiveShares() throws Exception {
        receiveAll(SecAggFixture.ids(5));
        SecAggSite s = sites.get("site-01");
        int[] sequential = s.expandMask(70_001);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            List<java.util.concurrent.Future<int[]>> futures = new ArrayList<>();
            for (int i = 0; i < 4; i++) futures.add(pool.submit(() -> s.expandMask(70_001)));
            for (var f : futures) assertThat(f.get()).isEqualTo(sequential);
        } finally {
            pool.shutdownNow();
        }
        SecAggSite notReady = SecAggFixture.site(ROUND, "site-09", config, 1);
        assertThatThrownBy(() -> notReady.expandMask(3)).isInstanceOf(SecAggException.class).hasMessageContaining("before receiveShares");
    }

    @Test
    void maskRejectsNonFiniteValuesAndExcessWeightWithoutPrintingValues() {
        receiveAll(SecAggFixture.ids(5));
        SecAggSite s = sites.get("site-00");
        assertThatThrownBy(() -> s.mask(new float[] {1.2345f, Float.NaN}, 10))
                .isInstanceOf(SecAggException.class).hasMessageContaining("element 1 is not finite").hasMessageNotContaining("1.2345");
        assertThatThrownBy(() -> s.mask(new float[] {1, Float.POSITIVE_INFINITY}, 10)).hasMessageContaining("not finite");
        assertThatThrownBy(() -> s.mask(new float[] {1, 2}, 101)).hasMessageContaining("weight 101 is outside [0, weightCap 100]");
        assertThatThrownBy(() -> s.mask(new float[] {1, 2}, 10, new int[2])).hasMessageContaining("the mask has 2 elements, the update needs 3");
    }
}
