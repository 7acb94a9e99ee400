package org.fedehr.protocol.secagg;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.fedehr.protocol.tls.SelfSignedCertificate;

/**
 * Test fixture: site identities (EC P-256 keys with self-signed certificates whose CN is the site id), a verifier
 * that checks the CN, deterministic DRBGs, and an in-memory driver that runs a whole round with a drop-out schedule.
 */
final class SecAggFixture {

    static final UUID RUN = UUID.fromString("7f8e3c5a-1b2d-4e6f-8a9b-0c1d2e3f4a5b");

    private static final Map<String, Identity> IDENTITIES = new ConcurrentHashMap<>();

    record Identity(PrivateKey key, String certificatePem) {
    }

    private static final Map<String, X509Certificate> PARSED = new ConcurrentHashMap<>();

    /** Accepts a certificate whose subject is exactly CN=siteId and returns its key (parsed certificates are cached). */
    static final PeerVerifier VERIFIER = (siteId, pem) -> {
        X509Certificate cert = PARSED.get(pem);
        if (cert == null) {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            PARSED.put(pem, cert);
        }
        String subject = cert.getSubjectX500Principal().getName();
        if (!subject.equals("CN=" + siteId)) throw new GeneralSecurityException("certificate subject " + subject + " is not CN=" + siteId);
        cert.checkValidity();
        return cert.getPublicKey();
    };

    private SecAggFixture() {
    }

    static String id(int i) {
        return String.format("site-%02d", i);
    }

    static List<String> ids(int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) ids.add(id(i));
        return ids;
    }

    static Identity identity(String siteId) {
        return IDENTITIES.computeIfAbsent(siteId, SecAggFixture::newIdentity);
    }

    private static Identity newIdentity(String siteId) {
        SelfSignedCertificate c = SelfSignedCertificate.generate(siteId, Duration.ofDays(1));
        String b64 = c.privateKeyPem().replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(b64)));
            return new Identity(key, c.certificatePem());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A deterministic DRBG, for tests only. */
    static SecureRandom drbg(long seed) {
        try {
            SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
            r.setSeed(seed);
            return r;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static SecAggSite site(int round, String siteId, SecAggConfig config, long seed) {
        Identity idn = identity(siteId);
        return new SecAggSite(RUN, round, siteId, config, idn.key(), idn.certificatePem(), VERIFIER, drbg(seed * 1_000_003L + siteId.hashCode()));
    }

    /** Which sites stop at which stage: (a) before advertising, (b) after advertising, (c) after sharing, (d) after upload. */
    record Drops(Set<String> beforeAdvert, Set<String> afterAdvert, Set<String> afterSharing, Set<String> afterUpload) {
        static final Drops NONE = new Drops(Set.of(), Set.of(), Set.of(), Set.of());
    }

    /** What a round left behind for the assertions. */
    record Outcome(SecAggServer server, SecAggServer.Result result, Map<String, int[]> plainEncoded,
                   Map<String, SecAggSite.MaskedInput> uploads, Map<String, List<RevealedShare>> reveals) {
    }

    /** Runs one round in memory; a fail-closed stage throws its SecAggException. */
    static Outcome run(SecAggConfig config, int round, Map<String, float[]> updates, Map<String, Integer> weights, Drops drops, long seed) {
        SecAggServer server = new SecAggServer(RUN, round, config, updates.keySet(), VERIFIER);
        return run(server, config, round, updates, weights, drops, seed);
    }

    static Outcome run(SecAggServer server, SecAggConfig config, int round, Map<String, float[]> updates, Map<String, Integer> weights,
                       Drops drops, long seed) {
        Map<String, SecAggSite> sites = new TreeMap<>();
        for (String id : updates.keySet()) sites.put(id, site(round, id, config, seed));
        for (SecAggSite s : sites.values())
            if (!drops.beforeAdvert().contains(s.siteId())) server.acceptAdvert(s.siteId(), s.advertise());
        List<KeyAdvert> u1 = server.closeAdvertising();
        for (KeyAdvert a : u1) {
            if (drops.afterAdvert().contains(a.siteId())) continue;
            server.acceptShares(a.siteId(), sites.get(a.siteId()).shareKeys(u1));
        }
        List<String> u2 = server.closeSharing();
        Map<String, int[]> plain = new LinkedHashMap<>();
        Map<String, SecAggSite.MaskedInput> uploads = new LinkedHashMap<>();
        for (String id : u2) {
            SecAggSite s = sites.get(id);
            s.receiveShares(u2, server.inboxOf(id));
            if (drops.afterSharing().contains(id)) continue;
            float[] x = updates.get(id);
            int w = weights.get(id);
            plain.put(id, s.mask(x, w, new int[x.length + 1]).values());
            SecAggSite.MaskedInput m = s.mask(x, w, s.expandMask(x.length + 1));
            uploads.put(id, m);
            server.acceptMaskedInput(id, m.values());
        }
        List<String> u3 = server.closeMasking();
        Map<String, List<RevealedShare>> reveals = new LinkedHashMap<>();
        for (String id : u3) {
            if (drops.afterUpload().contains(id)) continue;
            List<RevealedShare> r = sites.get(id).unmask(u3);
            reveals.put(id, r);
            server.acceptReveals(id, r);
        }
        return new Outcome(server, server.closeUnmasking(), plain, uploads, reveals);
    }

    /** Σ w·clip(x) / Σ w over the contributors, in double: the plain weighted FedAvg the secure sum must reproduce. */
    static double[] plainMean(SecAggConfig config, Map<String, float[]> updates, Map<String, Integer> weights, List<String> contributors) {
        int p = updates.values().iterator().next().length;
        double[] sum = new double[p];
        double total = 0;
        for (String id : contributors) {
            float[] x = updates.get(id);
            int w = weights.get(id);
            total += w;
            for (int i = 0; i < p; i++) sum[i] += w * Math.max(-config.clipRange(), Math.min(config.clipRange(), x[i]));
        }
        for (int i = 0; i < p; i++) sum[i] /= total;
        return sum;
    }
}
