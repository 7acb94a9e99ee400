package org.fedehr.site.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class UnitConverterTest {
    private final UnitConverter units = UnitConverter.shared();

    @Test
    void fahrenheitToCelsiusAndBack() {
        assertThat(units.convert(98.6, "[degF]", "Cel")).isCloseTo(37.0, within(1e-9));
        assertThat(units.convert(32, "[degF]", "Cel")).isCloseTo(0.0, within(1e-9));
        assertThat(units.convert(-40, "[degF]", "Cel")).isCloseTo(-40.0, within(1e-9));
        assertThat(units.convert(37, "Cel", "[degF]")).isCloseTo(98.6, within(1e-9));
        assertThat(units.convert(0, "Cel", "K")).isCloseTo(273.15, within(1e-9));
    }

    @Test
    void poundsToKilograms() {
        // 1 [lb_av] = 0.45359237 kg exactly
        assertThat(units.convert(150, "[lb_av]", "kg")).isCloseTo(68.0388555, within(1e-9));
        assertThat(units.convert(1, "[lb_av]", "g")).isCloseTo(453.59237, within(1e-9));
    }

    @Test
    void glucoseMmolPerLitreToMgPerDecilitreNeedsTheMolarMass() {
        // 5.5 mmol/L × 180.156 g/mol = 990.858 mg/L = 99.0858 mg/dL
        assertThat(units.convert(5.5, "mmol/L", "mg/dL", 180.156)).isCloseTo(99.0858, within(1e-9));
        assertThat(units.convert(99.0858, "mg/dL", "mmol/L", 180.156)).isCloseTo(5.5, within(1e-9));
        assertThatThrownBy(() -> units.convert(5.5, "mmol/L", "mg/dL"))
                .isInstanceOf(UnitConversionException.class)
                .hasMessageContaining("'mmol/L' cannot be converted to 'mg/dL'")
                .hasMessageContaining("molar_mass");
    }

    @Test
    void proportionalUnitsAndEquivalentSpellings() {
        assertThat(units.convert(1, "meq/L", "mmol/L")).isCloseTo(1.0, within(1e-12));
        assertThat(units.convert(1, "[in_i]", "cm")).isCloseTo(2.54, within(1e-12));
        assertThat(units.convert(50, "%", "1")).isCloseTo(0.5, within(1e-12));
        assertThat(units.convert(72, "{beats}/min", "/min")).isCloseTo(72, within(1e-12));
    }

    @Test
    void incompatibleAndInvalidUnitsAreErrorsNamingTheUnits() {
        assertThatThrownBy(() -> units.convert(1, "cm", "kg"))
                .isInstanceOf(UnitConversionException.class).hasMessageContaining("'cm' cannot be converted to 'kg'");
        assertThatThrownBy(() -> units.convert(1, "Cel", "kg"))
                .isInstanceOf(UnitConversionException.class).hasMessageContaining("'Cel' cannot be converted to 'kg'");
        assertThatThrownBy(() -> units.convert(1, "mEq/L", "mmol/L"))
                .isInstanceOf(UnitConversionException.class).hasMessageContaining("'mEq/L' is not valid UCUM");
        assertThat(units.validate("mg/dL")).isNull();
        assertThat(units.validate("furlongs")).isNotNull();
    }
}
