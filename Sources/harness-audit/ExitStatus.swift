import HarnessAuditKit

/// The exit codes of DESIGN §5.
enum ExitStatus {
    static let ok: Int32 = 0
    static let findings: Int32 = 1
    static let usage: Int32 = 2
    static let badInput: Int32 = 3

    static func code(for error: HarnessAuditError) -> Int32 {
        switch error {
        case .usage: return usage
        case .unreadableInput, .incompatibleDatabase, .invalidConfiguration, .invalidRule, .database, .outputFailed,
             .missingLibrary:
            return badInput
        }
    }
}
