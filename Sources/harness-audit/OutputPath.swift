import HarnessAuditKit

/// The checks every `--output`/`--out` option makes before any work is done.
enum OutputPath {
    /// Refuses a name that cannot be written as a file: an empty one, or an existing directory
    /// (`-`, standard output, passes).
    static func check(_ value: String, option: String) throws {
        if value.isEmpty { throw HarnessAuditError.usage("\(option) needs a file name (or - for standard output)") }
        if value != "-", OutputFile.isDirectory(value) { throw HarnessAuditError.usage("\(option) \(value) is a directory; give a file name") }
    }
}
