/// The tool's version, shown by `--version` and recorded in reports.
public enum HarnessAuditVersion {
    public static let string = "0.1.0"
}
