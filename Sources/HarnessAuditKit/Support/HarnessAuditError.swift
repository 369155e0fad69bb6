/// Every error the library reports. Each case carries enough context (file, line,
/// SQL, reason) for a one-line message; the command-line tool maps cases to exit codes.
public enum HarnessAuditError: Error, Equatable, Sendable {
    /// The caller asked for something that cannot work (bad option combination, bad value).
    case usage(String)
    /// An input path could not be read at all (missing, permission denied, not a file).
    case unreadableInput(path: String, reason: String)
    /// SQLite reported an error. `sql` is the statement text, never the bound values.
    case database(code: Int32, message: String, sql: String?)
    /// The database file is not a harness-audit store, or was written by a newer version.
    case incompatibleDatabase(path: String, reason: String)
    /// A configuration file (baseline, waivers, rules) is invalid at a given line.
    case invalidConfiguration(file: String, line: Int, column: Int?, message: String)
    /// A rule file is invalid.
    case invalidRule(file: String, line: Int, message: String)
    /// Writing an output file failed.
    case outputFailed(path: String, reason: String)
    /// A shared library the tool loads at run time (zstd) is missing or too old.
    case missingLibrary(name: String, reason: String)
}

extension HarnessAuditError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .usage(let message):
            return message
        case .unreadableInput(let path, let reason):
            return "\(path): \(reason)"
        case .database(let code, let message, let sql):
            if let sql {
                let oneLine = sql.split(whereSeparator: \.isNewline).joined(separator: " ")
                let shown = oneLine.count > 160 ? String(oneLine.prefix(160)) + "…" : oneLine
                return "SQLite error \(code): \(message) (in: \(shown))"
            }
            return "SQLite error \(code): \(message)"
        case .incompatibleDatabase(let path, let reason):
            return "\(path): \(reason)"
        case .invalidConfiguration(let file, let line, let column, let message):
            if let column { return "\(file):\(line):\(column): \(message)" }
            return "\(file):\(line): \(message)"
        case .invalidRule(let file, let line, let message):
            return "\(file):\(line): \(message)"
        case .outputFailed(let path, let reason):
            return "\(path): cannot write: \(reason)"
        case .missingLibrary(let name, let reason):
            return "\(reason); harness-audit needs \(name) to read and write the store's raw lines"
                + " (Debian or Ubuntu: apt-get install libzstd1; macOS: brew install zstd)"
        }
    }
}
