package org.fedehr.benchmarks;

import org.fedehr.protocol.secagg.EncryptedShare;
import org.fedehr.protocol.secagg.KeyAdvert;
import org.fedehr.protocol.secagg.MaskPrg;
import org.fedehr.protocol.secagg.PeerVerifier;
import org.fedehr.protocol.secagg.SecAggConfig;
import org.fedehr.protocol.secagg.SecAggServer;
import org.fedehr.protocol.secagg.SecAggSite;
import org.fedehr.protocol.tls.SelfSignedCertificate;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Secure-aggregation mask expansion for {@code elements} ring elements and {@code streams} AES-CTR streams (one
 * self-mask plus streams-1 pairwise masks, as a site of a {@code streams}-site round expands). Bytes processed per
 * operation: streams x 4 x elements. GB/s = bytes / (ms per op x 1e6).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class MaskBenchmark {

    @Param("1000000")
    public int elements;

    @Param({"1", "10"})
    public int streams;

    private byte[][] keys;
    private int[] signs;
    private int[] acc;
    private SecAggSite site;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        SplittableRandom r = new SplittableRandom(1);
        keys = new byte[streams][16];
        signs = new int[streams];
        for (int k = 0; k < streams; k++) {
            r.nextBytes(keys[k]);
            signs[k] = k % 2 == 0 ? 1 : -1;
        }
        acc = new int[elements];
        site = streams >= 2 ? readySite(streams) : null;
    }

    /** MaskPrg.addStreams: all streams into one accumulator (what SecAggSite.expandMask and unmasking run), accumulator reused. */
    @Benchmark
    public int[] maskPrgAddStreams() {
        MaskPrg.addStreams(keys, signs, acc);
        return acc;
    }

    /** MaskPrg.addStream once per stream, each a full pass over the accumulator. */
    @Benchmark
    public int[] maskPrgAddStreamOneByOne() {
        for (int k = 0; k < streams; k++) MaskPrg.addStream(keys[k], acc, signs[k]);
        return acc;
    }

    /** The real site API: a fresh mask of elements values from 1 self + (streams-1) pairwise streams. */
    @Benchmark
    public int[] siteExpandMask() {
        if (site == null) return acc; // needs at least 2 sites
        return site.expandMask(elements);
    }

    /** Runs stages 0-2 of a real round of {@code n} sites and returns site 0, ready to expand its mask. */
    static SecAggSite readySite(int n) throws Exception {
        UUID run = UUID.randomUUID();
        Map<String, SelfSignedCertificate> certs = new TreeMap<>();
        for (int i = 0; i < n; i++) certs.put(String.format("site-%03d", i), SelfSignedCertificate.generate(String.format("site-%03d", i), Duration.ofDays(1)));
        PeerVerifier verifier = (id, pem) -> CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))).getPublicKey();
        SecAggConfig cfg = SecAggConfig.choose(n, n / 2 + 1, 1.0, 1024, 1e-2);
        SecAggServer server = new SecAggServer(run, 0, cfg, certs.keySet());
        List<SecAggSite> sites = new ArrayList<>();
        for (var e : certs.entrySet()) {
            String b64 = e.getValue().privateKeyPem().replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(b64)));
            SecAggSite s = new SecAggSite(run, 0, e.getKey(), cfg, key, e.getValue().certificatePem(), verifier, new SecureRandom());
            sites.add(s);
            server.acceptAdvert(e.getKey(), s.advertise());
        }
        List<KeyAdvert> u1 = server.closeAdvertising();
        for (SecAggSite s : sites) server.acceptShares(s.siteId(), s.shareKeys(u1));
        List<String> u2 = server.closeSharing();
        for (SecAggSite s : sites) {
            List<EncryptedShare> inbox = server.inboxOf(s.siteId());
            s.receiveShares(u2, inbox);
        }
        return sites.get(0);
    }
}
