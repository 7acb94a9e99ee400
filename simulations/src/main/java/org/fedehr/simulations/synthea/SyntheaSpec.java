package org.fedehr.simulations.synthea;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * What Synthea generates for a scenario: the sites, the age range of the living patients, the reference date
 * ("today" of the simulated lives, fixed so that a seed always gives the same records) and how many years of
 * history the CSV export keeps. {@link #arguments(SyntheaSite)} are Synthea's command-line arguments for a site;
 * their digest names the site's cache folder, so any change of a parameter (or of the Synthea version) generates
 * afresh.
 */
public record SyntheaSpec(List<SyntheaSite> sites, int minAge, int maxAge, LocalDate referenceDate, int yearsOfHistory) {
    /** The Synthea release fedehr embeds (synthea-runtime/pom.xml). */
    public static final String SYNTHEA_VERSION = "3.3.0";
    /** The CSV files fedehr reads; Synthea's other exports are switched off (they cost time and disk). */
    public static final List<String> CSV_FILES = List.of("patients.csv", "encounters.csv", "observations.csv",
            "conditions.csv", "medications.csv");

    public SyntheaSpec {
        if (sites == null || sites.isEmpty()) throw new IllegalArgumentException("sites must not be empty");
        sites = List.copyOf(sites);
        Set<String> ids = new HashSet<>();
        for (SyntheaSite s : sites)
            if (!ids.add(s.id())) throw new IllegalArgumentException("site id '" + s.id() + "' is listed twice");
        if (minAge < 0 || maxAge > 140 || minAge > maxAge)
            throw new IllegalArgumentException("age range must satisfy 0 <= min_age <= max_age <= 140, was " + minAge + "-" + maxAge);
        if (referenceDate == null) throw new IllegalArgumentException("referenceDate must not be null");
        if (yearsOfHistory < 0) throw new IllegalArgumentException("yearsOfHistory must be >= 0 (0 = all), was " + yearsOfHistory);
    }

    /** Synthea 3.3.0 arguments (after the main class) that generate {@code site} into {@code baseDirectory}. */
    public List<String> arguments(SyntheaSite site, String baseDirectory) {
        List<String> a = new ArrayList<>(List.of(
                "-p", Integer.toString(site.population()),
                "-s", Long.toString(site.seed()),
                "-cs", Long.toString(site.seed()),
                "-r", referenceDate.format(DateTimeFormatter.BASIC_ISO_DATE),
                "-a", minAge + "-" + maxAge,
                "--generate.thread_pool_size=1",
                "--exporter.fhir.export=false",
                "--exporter.hospital.fhir.export=false",
                "--exporter.practitioner.fhir.export=false",
                "--exporter.metadata.export=false",
                "--exporter.csv.export=true",
                "--exporter.csv.excluded_files=",
                "--exporter.csv.included_files=" + String.join(",", CSV_FILES),
                "--exporter.years_of_history=" + yearsOfHistory,
                "--exporter.baseDirectory=" + baseDirectory,
                site.state()));
        if (site.city() != null) a.add(site.city());
        return a;
    }

    /** 16 hex digits of SHA-256 over the Synthea version and the site's arguments (without the output folder). */
    public String fingerprint(SyntheaSite site) {
        String canonical = "synthea " + SYNTHEA_VERSION + "\n" + String.join("\n", arguments(site, "<out>"));
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
