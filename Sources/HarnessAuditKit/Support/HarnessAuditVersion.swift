import CSQLite

/// The tool's version, shown by `--version` and recorded in reports.
public enum HarnessAuditVersion {
    public static let string = "0.1.0"

    /// The SQLite library the tool runs on.
    public static var sqlite: String { String(cString: sqlite3_libversion()) }
}
