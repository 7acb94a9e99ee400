package org.fedehr.protocol.secagg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.fedehr.protocol.secagg.SecAggFixture.Drops;
import org.fedehr.protocol.secagg.SecAggFixture.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The specification's worked cases C05 (drop-out after key agreement), C06 (hand-computed mean) and C07 (clipping, overflow). */
class SecAggCasesTest {

    static final List<String> ABCD = List.of("site-A", "site-B", "site-C", "site-D");

    static Map<String, float[]> c05Updates() {
        Map<String, float[]> u = new LinkedHashMap<>();
        u.put("site-A", new float[] {0.5f, -1.25f, 3.0f, 0.0f, 7.5f});
        u.put("site-B", new float[] {1.5f, 2.0f, -3.5f, 0.25f, -7.0f});
        u.put("site-C", new float[] {-0.75f, 0.125f, 1.0f, 6.0f, 2.5f});
        u.put("site-D", new float[] {4.0f, 4.0f, 4.0f, 4.0f, 4.0f});
        return u;
    }

    static Map<String, Integer> c05Weights() {
        return new LinkedHashMap<>(Map.of("site-A", 120, "site-B", 45, "site-C", 300, "site-D", 80));
    }

    @Test
    void c05_siteDropsAfterKeyAgreement_aggregateOfTheOthersIsTheirPlainWeightedMean() {
        SecAggConfig config = SecAggConfig.choose(4, 3, 8.0, 1000, 1e-3);
        Map<String, float[]> updates = c05Updates();
        Map<String, Integer> weights = c05Weights();
        Outcome o = SecAggFixture.run(config, 5, updates, weights, new Drops(Set.of(), Set.of(), Set.of("site-D"), Set.of()), 5);
        assertThat(o.server().u2()).containsExactlyElementsOf(ABCD);
        assertThat(o.result().contributors()).containsExactly("site-A", "site-B", "site-C");
        assertThat(o.result().totalWeight()).isEqualTo(465.0);
        double[] expected = new double[5];
        for (int i = 0; i < 5; i++)
            expected[i] = (120 * updates.get("site-A")[i] + 45 * updates.get("site-B")[i] + 300 * updates.get("site-C")[i]) / 465.0;
        assertThat(o.result().mean()).containsExactly(expected, within(1e-6));
    }

    @Test
    void c05_fewerThanThresholdSurvivorsFailClosed() {
        SecAggConfig config = SecAggConfig.choose(4, 3, 8.0, 1000, 1e-3);
        // C and D drop after sharing: only A and B upload
        assertThatThrownBy(() -> SecAggFixture.run(config, 5, c05Updates(), c05Weights(),
                new Drops(Set.of(), Set.of(), Set.of("site-C", "site-D"), Set.of()), 5))
                .isInstanceOf(SecAggException.class).hasMessageContaining("stage masking").hasMessageContaining("fails closed");
        // D drops after sharing and C after uploading: only A and B reveal
        assertThatThrownBy(() -> SecAggFixture.run(config, 5, c05Updates(), c05Weights(),
                new Drops(Set.of(), Set.of(), Set.of("site-D"), Set.of("site-C")), 5))
                .isInstanceOf(SecAggException.class).hasMessageContaining("stage unmasking").hasMessageContaining("fails closed");
    }

    @Test
    void c05_aSitesBadAdvertIsThatSitesFailure() {
        SecAggConfig config = SecAggConfig.choose(4, 3, 8.0, 1000, 1e-3);
        Map<String, SecAggSite> sites = new LinkedHashMap<>();
        for (String id : ABCD) sites.put(id, SecAggFixture.site(5, id, config, 9));
        SecAggServer server = new SecAggServer(SecAggFixture.RUN, 5, config, ABCD, SecAggFixture.VERIFIER);
        for (String id : List.of("site-A", "site-B", "site-C")) server.acceptAdvert(id, sites.get(id).advertise());
        KeyAdvert d = sites.get("site-D").advertise();
        byte[] sig = d.signature();
        sig[sig.length - 1] ^= 1;
        KeyAdvert badSignature = new KeyAdvert("site-D", d.encryptionPublicKey(), d.maskingPublicKey(), d.certificatePem(), sig);
        assertThatThrownBy(() -> server.acceptAdvert("site-D", badSignature))
                .isInstanceOfSatisfying(SecAggException.class, e -> assertThat(e.culprit()).contains("site-D"))
                .hasMessageContaining("site site-D").hasMessageContaining("signature").hasMessageContaining("round 5");
        KeyAdvert wrongCertificate = new KeyAdvert("site-D", d.encryptionPublicKey(), d.maskingPublicKey(),
                SecAggFixture.identity("site-A").certificatePem(), d.signature());
        assertThatThrownBy(() -> server.acceptAdvert("site-D", wrongCertificate))
                .isInstanceOfSatisfying(SecAggException.class, e -> assertThat(e.culprit()).contains("site-D"))
                .hasMessageContaining("site site-D").hasMessageContaining("certificate was rejected").hasMessageContaining("CN=site-A");

        // the round goes on without D
        List<KeyAdvert> u1 = server.closeAdvertising();
        assertThat(u1).extracting(KeyAdvert::siteId).containsExactly("site-A", "site-B", "site-C");
        for (KeyAdvert a : u1) server.acceptShares(a.siteId(), sites.get(a.siteId()).shareKeys(u1));
        List<String> u2 = server.closeSharing();
        Map<String, float[]> updates = c05Updates();
        Map<String, Integer> weights = c05Weights();
        for (String id : u2) {
            sites.get(id).receiveShares(u2, server.inboxOf(id));
            server.acceptMaskedInput(id, sites.get(id).mask(updates.get(id), weights.get(id)).values());
        }
        List<String> u3 = server.closeMasking();
        for (String id : u3) server.acceptReveals(id, sites.get(id).unmask(u3));
        double[] expected = SecAggFixture.plainMean(config, updates, weights, u3);
        assertThat(server.closeUnmasking().mean()).containsExactly(expected, within(1e-6));
    }

    @Test
    void c05_aSiteChecksEveryPeersAdvertItself() {
        SecAggConfig config = SecAggConfig.choose(4, 3, 8.0, 1000, 1e-3);
        List<SecAggSite> sites = ABCD.stream().map(id -> SecAggFixture.site(5, id, config, 3)).toList();
        List<KeyAdvert> adverts = new java.util.ArrayList<>(sites.stream().map(SecAggSite::advertise).toList());
        KeyAdvert d = adverts.get(3);
        byte[] otherKey = adverts.get(2).maskingPublicKey().clone();
        otherKey[0] ^= 1;
        adverts.set(3, new KeyAdvert("site-D", d.encryptionPublicKey(), otherKey, d.certificatePem(), d.signature()));
        assertThatThrownBy(() -> sites.get(0).shareKeys(adverts))
                .isInstanceOfSatisfying(SecAggException.class, e -> assertThat(e.culprit()).contains("site-D"))
                .hasMessageContaining("site site-A").hasMessageContaining("stage share-keys").hasMessageContaining("site site-D: its advert's signature");
    }

    static Map<String, float[]> c06Updates() {
        Map<String, float[]> u = new LinkedHashMap<>();
        u.put("site-A", new float[] {1, 1, 1, 1});
        u.put("site-B", new float[] {2, 2, 2, 2});
        u.put("site-C", new float[] {4, 4, 4, 4});
        return u;
    }

    @Test
    void c06_handComputedWeightedMeanWithAndWithoutMasking() {
        SecAggConfig config = SecAggConfig.choose(3, 2, 8.0, 100, 1e-3);
        Map<String, Integer> weights = Map.of("site-A", 10, "site-B", 30, "site-C", 60);
        Outcome o = SecAggFixture.run(config, 6, c06Updates(), weights, Drops.NONE, 6);
        // (10·1 + 30·2 + 60·4) / 100 = 310 / 100
        assertThat(o.result().totalWeight()).isEqualTo(100.0);
        assertThat(o.result().mean()).containsExactly(new double[] {3.1, 3.1, 3.1, 3.1}, within(1e-6));

        // masking off: the plain encodings summed and decoded the same way give the same numbers
        int[] plainSum = new int[5];
        o.plainEncoded().values().forEach(v -> RingSum.add(plainSum, v));
        double[] plainMean = new double[4];
        for (int i = 0; i < 4; i++) plainMean[i] = plainSum[i] / config.scale() / plainSum[4];
        assertThat(o.result().mean()).containsExactly(plainMean);

        for (String id : o.uploads().keySet()) {
            int[] masked = o.uploads().get(id).values();
            int[] plain = o.plainEncoded().get(id);
            assertThat(masked).as(id).isNotEqualTo(plain);
            for (int i = 0; i < masked.length; i++) assertThat(masked[i]).as(id + " element " + i).isNotEqualTo(plain[i]);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 4, 10, 50})
    void c07_valuesNearTheClipRangeDecodeWithinOneStep(int n) {
        int t = n / 2 + 1;
        SecAggConfig config = SecAggConfig.choose(n + 1, t, 8.0, 1000, 1e-3);
        Map<String, float[]> updates = new LinkedHashMap<>();
        Map<String, Integer> weights = new LinkedHashMap<>();
        for (String id : SecAggFixture.ids(n)) {
            float[] x = new float[6];
            Arrays.fill(x, 7.9f);
            updates.put(id, x);
            weights.put(id, 1000);
        }
        Outcome o = SecAggFixture.run(config, 7, updates, weights, Drops.NONE, n);
        double w = 1000.0 * n;
        assertThat(o.result().totalWeight()).isEqualTo(w);
        for (double m : o.result().mean()) {
            assertThat(m).isCloseTo(7.9f, within(config.maxMeanError(n, w)));
            assertThat(m).isCloseTo(7.9, within(config.step(1000) + 1e-6));
        }
        assertThat(o.uploads().values()).allSatisfy(u -> assertThat(u.clippedValues()).isZero());
        if (n == 50) return; // the 51-site round adds little and costs 2,600 signature checks

        // an extra site sending 12.0 is clipped to 8.0, counted, and included
        float[] twelve = new float[6];
        Arrays.fill(twelve, 12.0f);
        updates.put("site-extra", twelve);
        weights.put("site-extra", 1000);
        Outcome withExtra = SecAggFixture.run(config, 8, updates, weights, Drops.NONE, n);
        assertThat(withExtra.uploads().get("site-extra").clippedValues()).isEqualTo(6);
        double expected = (n * 7.9 + 8.0) / (n + 1);
        for (double m : withExtra.result().mean()) assertThat(m).isCloseTo(expected, within(config.step(1000) + 1e-6));
    }

    @Test
    void c07_aConfigurationThatCouldOverflowIsRefusedNeverAWrongNumber() {
        assertThatThrownBy(() -> SecAggConfig.choose(50, 26, 8.0, 10_000_000, 1e-3))
                .isInstanceOf(SecAggException.class)
                .hasMessageContaining("50 sites").hasMessageContaining("weightCap 10000000").hasMessageContaining("clipRange 8.0")
                .hasMessageContaining("lower weightCap or clipRange");
        assertThatThrownBy(() -> SecAggConfig.choose(50, 26, 8.0, 100_000, 1e-5))
                .isInstanceOf(SecAggException.class).hasMessageContaining("maxStep").hasMessageContaining("lower weightCap or clipRange");
        assertThatThrownBy(() -> SecAggConfig.choose(3, 2, 1e-6, Integer.MAX_VALUE / 2, 1.0))
                .isInstanceOf(SecAggException.class).hasMessageContaining("total weight would overflow");

        // a hand-made configuration sized for 2 sites is refused for 3, by the coordinator and by every site
        SecAggConfig forTwo = new SecAggConfig(2, 8.0, 100_000, 1000);
        assertThat(forTwo.maxSites()).isEqualTo(2);
        List<String> three = List.of("site-A", "site-B", "site-C");
        assertThatThrownBy(() -> new SecAggServer(SecAggFixture.RUN, 7, forTwo, three))
                .isInstanceOf(SecAggException.class).hasMessageContaining("at most 2 sites").hasMessageContaining("not 3");
        List<SecAggSite> sites = three.stream().map(id -> SecAggFixture.site(7, id, forTwo, 1)).toList();
        List<KeyAdvert> adverts = sites.stream().map(SecAggSite::advertise).toList();
        assertThatThrownBy(() -> sites.get(0).shareKeys(adverts))
                .isInstanceOf(SecAggException.class).hasMessageContaining("site site-A").hasMessageContaining("at most 2 sites");
    }
}
