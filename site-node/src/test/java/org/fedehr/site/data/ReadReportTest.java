package org.fedehr.site.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ReadReportTest {
    static ReadReport report(Map<DataProblem, Long> dropped, long excluded) {
        long d = dropped.values().stream().mapToLong(Long::longValue).sum();
        return new ReadReport("x.csv", 260 + d + excluded, 0, 260, dropped, excluded, 172, 88, new TreeMap<>());
    }

    @Test
    void summaryCountsDropsByReasonInReasonOrder() {
        EnumMap<DataProblem, Long> dropped = new EnumMap<>(DataProblem.class);
        dropped.put(DataProblem.MISSING_LABEL, 2L);
        dropped.put(DataProblem.NOT_A_NUMBER, 1L);
        assertThat(report(dropped, 0).summary())
                .isEqualTo("172 training rows, 88 test rows; 3 dropped (not a number: 1, label missing: 2)");
        assertThat(report(Map.of(DataProblem.WRONG_FIELD_COUNT, 1L), 43).summary())
                .isEqualTo("172 training rows, 88 test rows; 1 dropped (wrong number of fields: 1); 43 not in the split");
        assertThat(report(Map.of(), 0).summary()).isEqualTo("172 training rows, 88 test rows; 0 dropped");
        assertThat(report(Map.of(DataProblem.NOT_BINARY, 0L), 0).summary()).isEqualTo("172 training rows, 88 test rows; 0 dropped");
    }

    @Test
    void countsMustAddUp() {
        assertThatThrownBy(() -> new ReadReport("x.csv", 10, 0, 9, Map.of(), 0, 9, 0, new TreeMap<>()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("linesRead");
    }
}
