package org.fedehr.simulations.partition;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * How a scenario's sites get their rows when they are not (only) the real hospitals' files: the scenario key
 * {@code partition:}. All kinds are seeded and deterministic.
 *
 * <ul>
 * <li>{@code natural} without {@code source}: the {@code sites:} list as it is (one file per site; feature shifts may
 * still apply); with {@code source} and {@code column}: one site per distinct value of that column of the source.</li>
 * <li>{@code iid}: rows shuffled and dealt into {@code sites} parts whose sizes differ by at most one.</li>
 * <li>{@code dirichlet}: label skew; each class is divided among the sites in proportions drawn from
 * Dirichlet(α, …, α) — small α gives near-single-class sites, large α near-IID ones.</li>
 * <li>{@code quantity}: sizes from Dirichlet(α) proportions ({@code alpha}) or from a power law, share of site i
 * ∝ i^-γ ({@code power}); each site gets at least {@code min_rows}; rows assigned at random.</li>
 * </ul>
 * Every partitioned site then splits its own rows into train and test, stratified by label and seeded.
 *
 * @param sources      site configuration files whose rows (train and test, in order) are pooled and partitioned;
 *                     empty for {@code natural} over the {@code sites:} list
 * @param column       for {@code natural} with a source: the column whose values define the sites
 * @param alpha        Dirichlet concentration ({@code dirichlet}, {@code quantity} with alpha), else NaN
 * @param power        power-law exponent γ ({@code quantity} with power), else NaN
 * @param testFraction each partitioned site's test share (stratified, seeded)
 * @param sitePrefix   partitioned sites are named {@code <prefix>-01} … (natural by column: {@code <column>-<value>})
 * @param shifts       feature shifts applied to chosen sites' raw values before harmonisation
 */
public record PartitionSpec(Kind kind, List<Path> sources, int sites, double alpha, double power, int minRows, String column,
                            double testFraction, long seed, String sitePrefix, List<FeatureShift> shifts) {

    public enum Kind {
        NATURAL, IID, DIRICHLET, QUANTITY;

        public String yamlName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public PartitionSpec {
        if (kind == null) throw new IllegalArgumentException("kind must not be null");
        sources = List.copyOf(sources);
        shifts = List.copyOf(shifts);
        if (kind != Kind.NATURAL && sources.isEmpty())
            throw new IllegalArgumentException("source must be given for kind " + kind.yamlName());
        if (kind != Kind.NATURAL && sites < 1) throw new IllegalArgumentException("sites must be >= 1, was " + sites);
        if (kind == Kind.NATURAL && !sources.isEmpty() && (column == null || column.isBlank()))
            throw new IllegalArgumentException("column must be given for kind natural with a source (one site per value of the column)");
        if (kind == Kind.DIRICHLET && !(alpha > 0)) throw new IllegalArgumentException("alpha must be > 0, was " + alpha);
        if (kind == Kind.QUANTITY) {
            boolean a = !Double.isNaN(alpha), p = !Double.isNaN(power);
            if (a == p) throw new IllegalArgumentException("quantity skew needs exactly one of alpha (Dirichlet sizes) or power (power-law sizes)");
            if (a && !(alpha > 0)) throw new IllegalArgumentException("alpha must be > 0, was " + alpha);
            if (p && !(power >= 0)) throw new IllegalArgumentException("power must be >= 0, was " + power);
        }
        if (minRows < 0) throw new IllegalArgumentException("min_rows must be >= 0, was " + minRows);
        if (!(testFraction > 0 && testFraction < 1)) throw new IllegalArgumentException("test_fraction must be in (0, 1), was " + testFraction);
        if (seed == 0) throw new IllegalArgumentException("seed must not be 0 (DL4J and the splits treat 0 as 'no seed'), was 0");
        if (sitePrefix == null || !sitePrefix.matches("[A-Za-z][A-Za-z0-9_-]*"))
            throw new IllegalArgumentException("site_prefix must be a letter followed by letters, digits, '-' or '_', was '" + sitePrefix + "'");
    }

    /** Whether rows are re-partitioned (false: the sites are the configured files, at most feature-shifted). */
    public boolean repartitions() {
        return !sources.isEmpty();
    }

    /** "dirichlet(alpha=0.5)", "iid", "quantity(power=1.0)", "natural(column=hospital)": for printing. */
    public String describe() {
        return switch (kind) {
            case NATURAL -> column == null ? "natural (one file per site)" : "natural(column=" + column + ")";
            case IID -> "iid";
            case DIRICHLET -> "dirichlet(alpha=" + fmt(alpha) + ")";
            case QUANTITY -> Double.isNaN(alpha) ? "quantity(power=" + fmt(power) + ", min_rows=" + minRows + ")"
                    : "quantity(alpha=" + fmt(alpha) + ", min_rows=" + minRows + ")";
        };
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e9 ? String.valueOf((long) d) : String.valueOf(d);
    }

    /**
     * A site-specific change of raw numeric values before harmonisation: {@code value × scale + offset} (a unit change
     * is a scale, e.g. cholesterol mg/dL → mmol/L is scale 0.02586). Missing values stay missing.
     */
    public record FeatureShift(String site, String feature, double scale, double offset) {
        public FeatureShift {
            if (site == null || site.isBlank()) throw new IllegalArgumentException("site must not be blank, was '" + site + "'");
            if (feature == null || feature.isBlank()) throw new IllegalArgumentException("feature must not be blank, was '" + feature + "'");
            if (!Double.isFinite(scale) || scale == 0) throw new IllegalArgumentException("scale must be finite and non-zero, was " + scale);
            if (!Double.isFinite(offset)) throw new IllegalArgumentException("offset must be finite, was " + offset);
        }
    }
}
