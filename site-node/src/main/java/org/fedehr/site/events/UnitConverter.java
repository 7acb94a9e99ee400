package org.fedehr.site.events;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.fhir.ucum.Decimal;
import org.fhir.ucum.DefinedUnit;
import org.fhir.ucum.UcumEssenceService;
import org.fhir.ucum.UcumException;
import org.fhir.ucum.Unit;

/**
 * Converts values between UCUM units with org.fhir:ucum ({@code ucum-essence.xml} from its jar). Every conversion is
 * resolved once per (from unit, to unit, molar mass) into an affine map {@code y = scale·x + offset} and cached, so
 * converting a value costs a multiply-add.
 * <ul>
 *   <li>Proportional units (lb→kg, mg/dL→g/L, /min…) use the library's conversion.</li>
 *   <li>The library does not convert special units with an offset (it throws "Not handled yet"); the temperature
 *       ones are done here from their UCUM definitions: {@code Cel} (cel(1 K): K = x + 273.15), {@code [degF]}
 *       (degf(5 K/9): K = (x + 459.67)·5/9) and {@code [degRe]} (K = x·5/4 + 273.15). Other special units
 *       (pH, decibels…) are refused.</li>
 *   <li>Substance amount ↔ mass (mmol/L → mg/dL): UCUM's mol is a dimensionless count, so it never converts to g;
 *       given the concept's molar mass M (g/mol) the value is converted as {@code (from).(g/mol)} and multiplied by
 *       M (or divided, the other way round).</li>
 * </ul>
 */
public final class UnitConverter {
    private static final double K0 = 273.15;

    /** y = scale·x + offset. */
    public record Affine(double scale, double offset) {
        public double apply(double x) {
            return scale * x + offset;
        }
    }

    private final UcumEssenceService ucum;
    private final Map<String, Affine> cache = new ConcurrentHashMap<>();

    public UnitConverter() {
        try (InputStream in = UcumEssenceService.class.getClassLoader().getResourceAsStream("ucum-essence.xml")) {
            if (in == null) throw new IllegalStateException("ucum-essence.xml not found on the class path (org.fhir:ucum jar)");
            this.ucum = new UcumEssenceService(in);
        } catch (IOException | UcumException e) {
            throw new IllegalStateException("cannot load ucum-essence.xml: " + e.getMessage(), e);
        }
    }

    private static UnitConverter shared;

    /** One converter per JVM (loading the essence takes ~100 ms). */
    public static synchronized UnitConverter shared() {
        if (shared == null) shared = new UnitConverter();
        return shared;
    }

    /** Null when {@code unit} is valid UCUM, else the library's reason. */
    public synchronized String validate(String unit) {
        if (unit == null || unit.isEmpty()) return "empty unit";
        return ucum.validate(unit);
    }

    /** Converts one value; see {@link #affine(String, String, double)}. */
    public double convert(double value, String from, String to) {
        return affine(from, to, Double.NaN).apply(value);
    }

    public double convert(double value, String from, String to, double molarMass) {
        return affine(from, to, molarMass).apply(value);
    }

    /**
     * The affine map from {@code from} to {@code to}; {@code molarMass} (g/mol, NaN when unknown) allows mol ↔ g.
     *
     * @throws UnitConversionException naming both units and why
     */
    public Affine affine(String from, String to, double molarMass) {
        String key = from + "\u0000" + to + "\u0000" + molarMass;
        Affine a = cache.get(key);
        if (a == null) {
            synchronized (this) {      // the UCUM service is not documented as thread-safe; resolved once per key
                a = cache.get(key);
                if (a == null) {
                    a = resolve(from, to, molarMass);
                    cache.put(key, a);
                }
            }
        }
        return a;
    }

    private Affine resolve(String from, String to, double molarMass) {
        String bad = validate(from);
        if (bad != null) throw new UnitConversionException("unit '" + from + "' is not valid UCUM (" + bad + ")");
        bad = validate(to);
        if (bad != null) throw new UnitConversionException("unit '" + to + "' is not valid UCUM (" + bad + ")");
        if (from.equals(to)) return new Affine(1, 0);
        Affine fromT = temperatureToKelvin(from), toT = temperatureToKelvin(to);
        if (fromT != null || toT != null) {
            Affine f = fromT != null ? fromT : proportional(from, "K");
            Affine t = toT != null ? toT : proportional(to, "K");
            if (f == null || t == null) throw incompatible(from, to, null);
            // y = (K - t.offset) / t.scale
            return new Affine(f.scale() / t.scale(), (f.offset() - t.offset()) / t.scale());
        }
        Affine direct = proportional(from, to);
        if (direct != null) return direct;
        if (!Double.isNaN(molarMass)) {
            Affine viaMass = proportional("(" + from + ").(g/mol)", to);
            if (viaMass != null) return new Affine(viaMass.scale() * molarMass, 0);
            Affine viaAmount = proportional(from, "(" + to + ").(g/mol)");
            if (viaAmount != null) return new Affine(viaAmount.scale() / molarMass, 0);
        }
        throw incompatible(from, to, molarMass);
    }

    private static UnitConversionException incompatible(String from, String to, Double molarMass) {
        String hint = molarMass != null && Double.isNaN(molarMass)
                ? " (a substance amount converts to a mass only with the concept's molar_mass)" : "";
        return new UnitConversionException("unit '" + from + "' cannot be converted to '" + to + "'" + hint);
    }

    /** Scale of from→to when the two are comparable proportional units, else null. */
    private Affine proportional(String from, String to) {
        try {
            if (!ucum.isComparable(from, to)) return null;
            Decimal one = ucum.convert(new Decimal(1), from, to);
            return new Affine(Double.parseDouble(one.asDecimal()), 0);
        } catch (UcumException | RuntimeException e) {
            return null;
        }
    }

    /** K = scale·x + offset for the UCUM special temperature units; null for any other unit. */
    private Affine temperatureToKelvin(String unit) {
        Unit u = ucum.getModel().getUnit(unit);
        if (!(u instanceof DefinedUnit d) || !d.isSpecial()) return null;
        String fn = d.getValue().getUnit();
        String name = fn.contains("(") ? fn.substring(0, fn.indexOf('(')).toLowerCase(java.util.Locale.ROOT) : fn;
        return switch (name) {
            case "cel" -> new Affine(1, K0);
            case "degf" -> new Affine(5.0 / 9.0, 459.67 * 5.0 / 9.0);
            case "degre" -> new Affine(5.0 / 4.0, K0);
            default -> throw new UnitConversionException("unit '" + unit + "' is a UCUM special unit (" + fn
                    + ") that is not supported for conversion");
        };
    }
}
