package org.fedehr.site.sequence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PhysioNet 2012 reader on hand-written files: bins, statics, missing markers, the window, and bad input. */
class PhysioNet2012StaysTest {
    @TempDir
    Path dir;

    private void write(String name, String... lines) throws Exception {
        Files.createDirectories(dir.resolve("set-a"));
        Files.writeString(name.equals("Outcomes-a.txt") ? dir.resolve(name) : dir.resolve("set-a").resolve(name),
                String.join("\n", lines) + "\n");
    }

    @Test
    void binsMeansStaticsAndMissingMarkers() throws Exception {
        write("Outcomes-a.txt", "RecordID,SAPS-I,SOFA,Length_of_stay,Survival,In-hospital_death", "1,1,1,1,-1,1", "2,1,1,1,-1,0");
        write("1.txt", "Time,Parameter,Value", "00:00,RecordID,1", "00:00,Age,70", "00:00,Gender,1", "00:00,Height,-1",
                "00:00,ICUType,3", "00:00,Weight,80", "00:10,HR,80", "00:50,HR,90", "01:30,HR,-1", "02:00,HR,100",
                "02:01,HR,70");
        write("2.txt", "Time,Parameter,Value", "00:00,RecordID,2", "00:00,ICUType,4", "00:05,HR,60");
        List<BinnedStay> stays = PhysioNet2012Stays.read(dir, 3, 120, 60);   // 2 bins of 1 h; ICU type 3 only
        assertThat(stays).hasSize(1);
        BinnedStay s = stays.get(0);
        assertThat(s.label()).isEqualTo(1);
        int hr = PhysioNet2012Stays.CONCEPTS.indexOf("HR");
        assertThat(s.bins()[0][hr]).isEqualTo(85.0);          // mean of 80 and 90 in the first hour
        assertThat(s.bins()[1][hr]).isEqualTo(100.0);         // -1 is missing; 02:00 (the window's end) joins the last bin; 02:01 is outside
        assertThat(s.bins()[0][PhysioNet2012Stays.CONCEPTS.indexOf("Weight")]).isEqualTo(80.0);
        assertThat(s.statics()[0]).isEqualTo(70.0);
        assertThat(s.statics()[1]).isEqualTo(1.0);
        assertThat(s.statics()[2]).isNaN();                   // Height -1: missing
        assertThat(s.statics()[3]).isEqualTo(80.0);
        assertThat(Double.isNaN(s.bins()[1][PhysioNet2012Stays.CONCEPTS.indexOf("GCS")])).isTrue();
    }

    @Test
    void badInputNamesFileLineAndField() throws Exception {
        write("Outcomes-a.txt", "RecordID,In-hospital_death", "1,1");
        write("1.txt", "Time,Parameter,Value", "00:00,RecordID,1", "0x:10,HR,80");
        assertThatThrownBy(() -> PhysioNet2012Stays.read(dir, 3, 120, 60))
                .hasMessageEndingWith("1.txt line 3 field Time: expected hh:mm");
        write("1.txt", "Time,Parameter,Value", "00:00,RecordID,1", "00:10,HR,eighty");
        assertThatThrownBy(() -> PhysioNet2012Stays.read(dir, 3, 120, 60))
                .hasMessageEndingWith("1.txt line 3 field Value: not a number");
        write("1.txt", "Time,Parameter,Value", "00:00,RecordID,1", "00:10,Pulse,80");
        assertThatThrownBy(() -> PhysioNet2012Stays.read(dir, 3, 120, 60))
                .hasMessageEndingWith("1.txt line 3 field Parameter: unknown parameter Pulse");
        write("1.txt", "Time,Parameter,Value", "00:00,RecordID,9", "00:00,ICUType,3");
        assertThatThrownBy(() -> PhysioNet2012Stays.read(dir, 3, 120, 60))
                .hasMessageEndingWith("1.txt: RecordID 9 has no row in Outcomes-a.txt");
        write("Outcomes-a.txt", "RecordID,In-hospital_death", "9,maybe");
        assertThatThrownBy(() -> PhysioNet2012Stays.read(dir, 3, 120, 60))
                .hasMessageEndingWith("Outcomes-a.txt line 2 field In-hospital_death: expected 0 or 1");
    }
}
