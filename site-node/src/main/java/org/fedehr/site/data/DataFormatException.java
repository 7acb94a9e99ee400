package org.fedehr.site.data;

/**
 * A data or split file does not have the expected shape. The message names the file, the 1-based line and
 * the column, and says what kind of problem it is; it never contains the offending cell value.
 */
public class DataFormatException extends RuntimeException {
    private final String file;
    private final int line;
    private final String column;
    private final DataProblem problem;

    public DataFormatException(String file, int line, String column, DataProblem problem, String detail) {
        super(file + (line > 0 ? ": line " + line : "") + (column == null ? "" : (line > 0 ? ", " : ": ") + "column '" + column + "'")
                + ": " + detail);
        this.file = file;
        this.line = line;
        this.column = column;
        this.problem = problem;
    }

    /** File name (no directories). */
    public String file() {
        return file;
    }

    /** 1-based physical line number, or 0 when the problem concerns the whole file (it cannot be read). */
    public int line() {
        return line;
    }

    /** Column name, or null when the problem concerns the whole line or file. */
    public String column() {
        return column;
    }

    public DataProblem problem() {
        return problem;
    }
}
