package org.fedehr.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DataRootsTest {
    @Test
    void aMissingRelativeRootIsShownResolvedWithWhatToDo() {
        assertThatThrownBy(() -> DataRoots.resolve(Path.of("no-such-folder", "data")))
                .hasMessageContaining("data root no-such-folder/data (= " + Path.of("no-such-folder/data").toAbsolutePath().normalize() + ")")
                .hasMessageContaining("from --data-root is not a directory")
                .hasMessageContaining("point --data-root or FEDEHR_DATA at the folder that holds the data");
    }

    @Test
    void anExistingRootIsReturnedAbsolute(@TempDir Path dir) {
        assertThat(DataRoots.resolve(dir)).isEqualTo(dir.toAbsolutePath());
    }
}
