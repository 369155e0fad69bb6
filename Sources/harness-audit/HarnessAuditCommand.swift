import ArgumentParser
import HarnessAuditKit

struct HarnessAuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "harness-audit",
        abstract: "Audit what AI coding agents did, from their harness and Kubernetes logs.",
        discussion: """
            Exit codes: 0 ran and nothing reached --fail-on; 1 findings at or above the threshold; \
            2 usage error; 3 unreadable input, broken rule or baseline.
            """,
        version: HarnessAuditVersion.string,
        subcommands: [AuditCommand.self, IngestCommand.self, CheckCommand.self, DriftCommand.self, ReportCommand.self, RulesCommand.self,
                      BaselineCommand.self,
                      StatsCommand.self, ClassifyCommand.self]
    )
}

/// `--db FILE`, shared by every command that uses the store.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The store (SQLite). Default: $HARNESS_AUDIT_DB, else harness-audit.sqlite in the current directory.",
        valueName: "file"))
    var db: String?

    var path: String { StorePath.resolve(explicit: db, environment: Terminal.environment) }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
