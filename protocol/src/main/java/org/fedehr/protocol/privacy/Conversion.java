package org.fedehr.protocol.privacy;

import java.util.Locale;

/** How an RDP guarantee (α, rdp) is turned into (ε, δ)-DP. Both bounds are valid; {@link #TIGHT} is never larger. */
public enum Conversion {
    /** Mironov 2017 ("Rényi Differential Privacy"), Proposition 3: ε = rdp + log(1/δ)/(α−1). */
    CLASSIC("Mironov 2017, Prop. 3: eps = rdp + log(1/delta)/(alpha-1)"),
    /**
     * Balle et al. 2020 ("Hypothesis testing interpretations and Rényi DP"), Theorem 21, as stated in Canonne, Kamath &amp;
     * Steinke 2020, Proposition 12: ε = rdp + log((α−1)/α) − (log δ + log α)/(α−1).
     */
    TIGHT("Balle et al. 2020 / Canonne-Kamath-Steinke 2020: eps = rdp + log((alpha-1)/alpha) - (log(delta) + log(alpha))/(alpha-1)");

    private final String formula;

    Conversion(String formula) {
        this.formula = formula;
    }

    /** The formula and its source, for reports. */
    public String formula() {
        return formula;
    }

    /** The name used on the command line and in JSON ("classic", "tight"). */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** ε for RDP value {@code rdp} at order {@code alpha} (> 1) and δ in (0, 1); may be negative (callers clamp at 0). */
    public double epsilon(double rdp, double alpha, double delta) {
        if (rdp == Double.POSITIVE_INFINITY) return Double.POSITIVE_INFINITY;
        return switch (this) {
            case CLASSIC -> rdp - Math.log(delta) / (alpha - 1);
            case TIGHT -> rdp + Math.log1p(-1 / alpha) - (Math.log(delta) + Math.log(alpha)) / (alpha - 1);
        };
    }

    /** Parses "classic" / "tight" (case-insensitive); the message names the parameter and the value. */
    public static Conversion parse(String s) {
        for (Conversion c : values()) if (c.cliName().equalsIgnoreCase(s == null ? "" : s.trim())) return c;
        throw new IllegalArgumentException("conversion = " + s + ": expected classic or tight");
    }
}
