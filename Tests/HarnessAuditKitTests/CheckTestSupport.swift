import Foundation
@testable import HarnessAuditKit

/// Stores built from fixture lines, and `check` runs over them.
enum CheckTestSupport {
    /// A store holding `lines` (written to a file named `name`), in a fresh directory.
    static func store(_ lines: [String], name: String = "fixture.jsonl", function: String = #function) throws -> (database: String, directory: String) {
        let directory = TestSupport.temporaryDirectory(function)
        TestSupport.write(lines.joined(separator: "\n") + "\n", to: directory + "/" + name)
        try TestSupport.ingest([directory + "/" + name], database: directory + "/store.sqlite")
        return (directory + "/store.sqlite", directory)
    }

    /// A store holding committed fixture files.
    static func store(fixtures: [String], function: String = #function) throws -> (database: String, directory: String) {
        let directory = TestSupport.temporaryDirectory(function)
        try TestSupport.ingest(fixtures.map(TestSupport.fixture), database: directory + "/store.sqlite")
        return (directory + "/store.sqlite", directory)
    }

    static func check(_ database: String, baseline: String? = nil, waivers: String? = nil, rules: [Rule]? = nil,
                      now: Int64 = Timestamp.millis(year: 2026, month: 11, day: 24), previous: Set<String>? = nil,
                      since: Int64? = nil, until: Int64? = nil) throws -> CheckResult {
        var options = CheckOptions(databasePath: database)
        options.since = since
        options.until = until
        if let baseline { options.baseline = try Baseline.parse(baseline, file: "harness-audit.yml") }
        if let waivers { options.waivers = try Waivers.parse(waivers, file: "waivers.yml") }
        options.rules = rules
        options.now = now
        options.previousFindingIDs = previous
        return try CheckEngine.run(options)
    }

    /// The findings of one rule over files ingested in the order given (`part-0.jsonl`, `part-1.jsonl`, …).
    static func findings(of rule: String, files: [[String]], function: String = #function) throws -> [Finding] {
        let directory = TestSupport.temporaryDirectory(function)
        defer { TestSupport.cleanup(directory) }
        let paths = files.indices.map { directory + "/part-\($0).jsonl" }
        for (path, lines) in zip(paths, files) { TestSupport.write(lines.joined(separator: "\n") + "\n", to: path) }
        try TestSupport.ingest(paths, database: directory + "/store.sqlite")
        var options = CheckOptions(databasePath: directory + "/store.sqlite")
        options.rules = try rules(rule)
        return try CheckEngine.run(options).findings
    }

    static func rules(_ ids: String...) throws -> [Rule] {
        let all = try RuleLoader.builtIn()
        return ids.map { id in all.first { $0.id == id }! }
    }

    /// One Claude Code hook session as a logging hook would append it.
    static func hookLines(session: String = "8f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b", cwd: String = "/home/alice/app",
                          mode: String = "default", tools: [(tool: String, input: String)]) -> [String] {
        var lines: [String] = []
        for (index, call) in tools.enumerated() {
            let common = #""session_id":"\#(session)","transcript_path":"/home/alice/.claude/projects/-home-alice-app/\#(session).jsonl","cwd":"\#(cwd)","permission_mode":"\#(mode)""#
            let stamp = "2026-11-02T10:" + String(format: "%02d", index % 60) + ":00.000Z"
            lines.append(#"{\#(common),"hook_event_name":"PreToolUse","tool_name":"\#(call.tool)","tool_input":\#(call.input),"tool_use_id":"toolu_\#(index)","timestamp":"\#(stamp)"}"#)
            lines.append(#"{\#(common),"hook_event_name":"PostToolUse","tool_name":"\#(call.tool)","tool_input":\#(call.input),"tool_response":{"stdout":"","stderr":"","interrupted":false},"tool_use_id":"toolu_\#(index)","timestamp":"\#(stamp)"}"#)
        }
        return lines
    }
}
