#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HarnessAuditKit

/// Writing to the terminal: results to stdout, diagnostics and progress to stderr.
enum Terminal {
    static var stderrIsTTY: Bool { isatty(STDERR_FILENO) != 0 }
    static var stdoutIsTTY: Bool { isatty(STDOUT_FILENO) != 0 }

    static func error(_ message: String) {
        writeStderr("harness-audit: " + message + "\n")
    }

    static func warning(_ message: String) {
        writeStderr(message + "\n")
    }

    static func writeStderr(_ text: String) {
        var copy = text
        copy.withUTF8 { buffer in _ = write(STDERR_FILENO, buffer.baseAddress, buffer.count) }
    }

    /// Writes a command's result to standard output; a result that could not be written in full fails the
    /// command (exit 3), so a script never reads half a document after a success.
    static func emit(_ text: String) throws {
        if let failure = writeStdout(text) { throw HarnessAuditError.outputFailed(path: "standard output", reason: failure) }
    }

    /// Writes all of `text` to standard output: interrupted writes are retried, and a non-blocking
    /// output (a pipe CI set up) is waited for. Returns why it could not, or nil.
    @discardableResult
    static func writeStdout(_ text: String) -> String? {
        var copy = text
        return copy.withUTF8 { AtomicFile.writeAll(UnsafeRawBufferPointer($0), to: STDOUT_FILENO) }
    }

    /// `SOURCE_DATE_EPOCH` in milliseconds (https://reproducible-builds.org/specs/source-date-epoch/): the time
    /// reproducible outputs say they were made, and the "now" default periods are taken from. Nil when unset, not a
    /// number, or too large to be a time.
    static var sourceDateEpochMillis: Int64? {
        guard let seconds = environment["SOURCE_DATE_EPOCH"].flatMap({ Int64($0) }) else { return nil }
        let (millis, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        return overflow ? nil : millis
    }

    /// The engine's options for a store, with `SOURCE_DATE_EPOCH` (when set) as the "now" everything is judged
    /// against: the open end of a window, relative times (`30d`), waivers' expiry and default periods.
    static func checkOptions(databasePath: String) -> CheckOptions {
        var options = CheckOptions(databasePath: databasePath)
        if let epoch = sourceDateEpochMillis { options.now = epoch }
        return options
    }

    static var environment: [String: String] {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            pointer += 1
        }
        return result
    }
}
