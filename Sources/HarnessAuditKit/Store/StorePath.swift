/// Where the store is: `--db` wins, then `HARNESS_AUDIT_DB`, then `harness-audit.sqlite`
/// in the current directory.
public enum StorePath {
    public static let defaultFileName = "harness-audit.sqlite"
    public static let environmentVariable = "HARNESS_AUDIT_DB"

    public static func resolve(explicit: String?, environment: [String: String]) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let fromEnvironment = environment[environmentVariable], !fromEnvironment.isEmpty { return fromEnvironment }
        return defaultFileName
    }
}
