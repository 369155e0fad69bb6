import Foundation
import Testing
@testable import HarnessAuditKit

@Suite("Command line: check, audit, rules, baseline — exit codes of DESIGN §5", .serialized)
struct CheckCLITests {
    /// A store in a fresh directory holding the given committed fixture.
    func store(_ fixture: String, function: String = #function) throws -> (database: String, directory: String) {
        let directory = TestSupport.temporaryDirectory(function)
        let run = try TestSupport.run(["ingest", "--quiet", "--db", directory + "/s.sqlite", TestSupport.fixture(fixture)])
        #expect(run.status == 0)
        return (directory + "/s.sqlite", directory)
    }

    @Test("exit 0 when nothing reaches --fail-on, 1 when something does, per threshold")
    func thresholds() throws {
        let (database, directory) = try store("rules/good_fleet.jsonl")
        defer { TestSupport.cleanup(directory) }
        let clean = try TestSupport.run(["check", "--db", database])
        #expect(clean.status == 0, "\(clean.stderr)")
        #expect(clean.stdout.contains("no findings"))

        let samples = directory + "/samples.sqlite"
        _ = try TestSupport.run(["ingest", "--quiet", "--db", samples, TestSupport.repositoryRoot + "/samples"])
        #expect(try TestSupport.run(["check", "--db", samples]).status == 1)
        #expect(try TestSupport.run(["check", "--db", samples, "--fail-on", "critical"]).status == 1)
        #expect(try TestSupport.run(["check", "--db", samples, "--fail-on", "none"]).status == 0)
        #expect(try TestSupport.run(["check", "--db", samples, "--until", "2026-01-01"]).status == 0, "nothing before 2026")
    }

    @Test("exit 2 for usage errors, 3 for an unreadable store, a broken baseline, waivers or rule")
    func errors() throws {
        let (database, directory) = try store("rules/good_fleet.jsonl")
        defer { TestSupport.cleanup(directory) }
        #expect(try TestSupport.run(["check", "--db", database, "--format", "xml"]).status == 2)
        #expect(try TestSupport.run(["check", "--db", database, "--fail-on", "severe"]).status == 2)
        #expect(try TestSupport.run(["check", "--db", database, "--new-only"]).status == 2)
        #expect(try TestSupport.run(["check", "--db", database, "--since", "yesterday-ish"]).status == 2)
        #expect(try TestSupport.run(["check", "--db", directory + "/none.sqlite"]).status == 3)
        let outputIsDirectory = try TestSupport.run(["check", "--db", database, "--output", directory])
        #expect(outputIsDirectory.status == 2 && outputIsDirectory.stderr.contains("is a directory"))
        let outputEmpty = try TestSupport.run(["check", "--db", database, "--output", ""])
        #expect(outputEmpty.status == 2 && outputEmpty.stderr.contains("needs a file name"), "\(outputEmpty.stderr)")
        try FileManager.default.createDirectory(atPath: directory + "/empty", withIntermediateDirectories: true)
        let empty = try TestSupport.run(["audit", "--db", database, directory + "/empty"])
        #expect(empty.status == 3 && empty.stderr.contains("no log files"), "a wrong log path is not a green run")

        TestSupport.write("version: 1\nseverity:\n  unconfirmed-delete: urgent\n", to: directory + "/bad.yml")
        let badBaseline = try TestSupport.run(["check", "--db", database, "--baseline", directory + "/bad.yml"])
        #expect(badBaseline.status == 3)
        #expect(badBaseline.stderr.contains(directory + "/bad.yml:3:"), "\(badBaseline.stderr)")

        TestSupport.write("waivers:\n  - id: abc\n    expires: soon\n", to: directory + "/w.yml")
        let badWaivers = try TestSupport.run(["check", "--db", database, "--waivers", directory + "/w.yml"])
        #expect(badWaivers.status == 3 && badWaivers.stderr.contains("w.yml:3"))

        try FileManager.default.createDirectory(atPath: directory + "/rules", withIntermediateDirectories: true)
        TestSupport.write(RuleValidationTests.header + "DELETE FROM events\n", to: directory + "/rules/team-rule.sql")
        let badRule = try TestSupport.run(["check", "--db", database, "--rules", directory + "/rules"])
        #expect(badRule.status == 3 && badRule.stderr.contains("team-rule.sql:11"), "\(badRule.stderr)")
    }

    @Test("./harness-audit.yml is read from the current directory; --baseline wins")
    func baselineDiscovery() throws {
        let directory = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(directory) }
        let lines = CheckTestSupport.hookLines(tools: [("Bash", #"{"command":"sudo systemctl restart nginx"}"#)])
        TestSupport.write(lines.joined(separator: "\n") + "\n", to: directory + "/hooks.jsonl")
        _ = try TestSupport.run(["ingest", "--quiet", "hooks.jsonl"], currentDirectory: directory)
        #expect(try TestSupport.run(["check"], currentDirectory: directory).status == 1)
        TestSupport.write("version: 1\nseverity:\n  high-risk-command: low\n", to: directory + "/harness-audit.yml")
        let lowered = try TestSupport.run(["check"], currentDirectory: directory)
        #expect(lowered.status == 0)
        #expect(lowered.stdout.contains("baseline harness-audit.yml"))
        TestSupport.write([0x76, 0xFF, 0xFE, 0x0A], to: directory + "/harness-audit.yml")
        let broken = try TestSupport.run(["check"], currentDirectory: directory)
        #expect(broken.status == 3 && broken.stderr.contains("harness-audit.yml"), "a broken ./harness-audit.yml is an error, not the default")
        TestSupport.write("version: 1\n", to: directory + "/other.yml")
        #expect(try TestSupport.run(["check", "--baseline", "other.yml"], currentDirectory: directory).status == 1)
    }

    @Test("a result that cannot be written to standard output fails the command with exit 3, naming it",
          .enabled(if: FileManager.default.fileExists(atPath: "/dev/full")))
    func stdoutFull() throws {
        let directory = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(directory) }
        let samples = directory + "/samples.sqlite"
        _ = try TestSupport.run(["ingest", "--quiet", "--db", samples, TestSupport.repositoryRoot + "/samples"])
        let commands = ["json", "sarif", "text"].map { ["check", "--db", samples, "--format", $0, "--fail-on", "none"] } + [
            ["drift", "--db", samples, "--format", "json", "--fail-on", "none"],
            ["report", "--db", samples, "--out", "-", "--fail-on", "none"],
            ["stats", "--db", samples, "--format", "json"],
            ["rules", "list", "--format", "json"],
            ["--help"], ["check", "--help"], ["--version"],
        ]
        for arguments in commands {
            let format = arguments.joined(separator: " ")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: TestSupport.binaryPath)
            process.arguments = arguments
            // Every write to /dev/full fails with "No space left on device".
            process.standardOutput = try #require(FileHandle(forWritingAtPath: "/dev/full"))
            let errors = Pipe()
            process.standardError = errors
            try process.run()
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 3, "\(format): \(message)")
            #expect(message.contains("standard output"), "\(format): \(message)")
        }
        // A reader that went away (`| head -c 100`): the write fails (EPIPE) and says so, exit 3, not killed by SIGPIPE.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestSupport.binaryPath)
        process.arguments = ["check", "--db", samples, "--format", "json", "--fail-on", "none"]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try output.fileHandleForReading.close()
        try process.run()
        try output.fileHandleForWriting.close()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 3, "\(process.terminationStatus): \(message)")
        #expect(message.contains("standard output"), "\(message)")
    }

    @Test("waived findings are listed apart and never fail the run; --output writes the file atomically")
    func waiversAndOutput() throws {
        let directory = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(directory) }
        let lines = CheckTestSupport.hookLines(tools: [("Bash", #"{"command":"sudo systemctl restart nginx"}"#)])
        TestSupport.write(lines.joined(separator: "\n") + "\n", to: directory + "/hooks.jsonl")
        _ = try TestSupport.run(["ingest", "--quiet", "--db", directory + "/s.sqlite", directory + "/hooks.jsonl"])
        let json = try TestSupport.run(["check", "--db", directory + "/s.sqlite", "--format", "json", "--output", directory + "/f.json"])
        #expect(json.status == 1)
        #expect(json.stdout.isEmpty && json.stderr.contains("json written to"))
        let findings = try JSONTree.parse(String(contentsOfFile: directory + "/f.json", encoding: .utf8))
        let id = try #require(findings["findings"]?[0]?["id"]?.string)
        TestSupport.write("waivers:\n  - id: \(id)\n    reason: planned restart\n    owner: ops@corp.com\n    ticket: OPS-1\n    expires: 2099-01-01\n",
                          to: directory + "/waivers.yml")
        let waived = try TestSupport.run(["check", "--db", directory + "/s.sqlite", "--waivers", directory + "/waivers.yml"])
        #expect(waived.status == 0)
        #expect(waived.stdout.contains("WAIVED (1)") && waived.stdout.contains("planned restart"))
        let newOnly = try TestSupport.run(["check", "--db", directory + "/s.sqlite", "--new-only", "--previous", directory + "/f.json"])
        #expect(newOnly.status == 0 && newOnly.stdout.contains("1 finding of the previous run not shown"))
        // Chained: a --new-only JSON output is the next run's --previous, and what it left out stays left out.
        let chained = try TestSupport.run(["check", "--db", directory + "/s.sqlite", "--new-only", "--previous", directory + "/f.json",
                                           "--format", "json", "--output", directory + "/g.json"])
        #expect(chained.status == 0)
        let second = try JSONTree.parse(String(contentsOfFile: directory + "/g.json", encoding: .utf8))
        #expect(second["previouslyReportedIDs"]?[0]?.string == id && second["findings"]?[0] == nil)
        let third = try TestSupport.run(["check", "--db", directory + "/s.sqlite", "--new-only", "--previous", directory + "/g.json"])
        #expect(third.status == 0 && third.stdout.contains("1 finding of the previous run not shown"), "\(third.stdout)")
    }

    @Test("audit ingests, checks and summarises in one command; unreadable inputs exit 3 after auditing the rest")
    func audit() throws {
        let directory = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(directory) }
        let run = try TestSupport.run(["audit", TestSupport.repositoryRoot + "/samples"], currentDirectory: directory)
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stdout.contains("Ingested") && run.stdout.contains("harness-audit check:"))
        #expect(FileManager.default.fileExists(atPath: directory + "/harness-audit.sqlite"))
        let files = try #require(run.stdout.split(separator: "\n").first { $0.hasPrefix("Ingested ") })
        let again = try TestSupport.run(["audit", "--quiet", TestSupport.repositoryRoot + "/samples"], currentDirectory: directory)
        #expect(again.status == 1 && !again.stdout.contains("Ingested"))
        // A third run finds every file unchanged: it says it ingested none of them, and skipped them all.
        let third = try TestSupport.run(["audit", TestSupport.repositoryRoot + "/samples"], currentDirectory: directory)
        let count = try #require(files.split(separator: " ").dropFirst().first.flatMap { Int($0) })
        #expect(third.stdout.hasPrefix("Ingested 0 files (\(count) more skipped, unchanged) into "), "\(third.stdout)")
        let missing = try TestSupport.run(["audit", TestSupport.fixture("rules/good_fleet.jsonl"), directory + "/missing.jsonl",
                                           "--db", directory + "/good.sqlite"])
        #expect(missing.status == 3)
        #expect(missing.stdout.contains("no findings"))
    }

    @Test("rules list, show and test")
    func rulesCommands() throws {
        let list = try TestSupport.run(["rules", "list"])
        #expect(list.status == 0 && list.stdout.contains("unconfirmed-delete") && list.stdout.contains("20 rules for check and 15 for drift"))
        let drift = try TestSupport.run(["rules", "show", "new-risky-command"])
        #expect(drift.status == 0 && drift.stdout.contains("permission-drift") && drift.stdout.contains("`harness-audit drift` raises this rule"))
        let show = try TestSupport.run(["rules", "show", "sensitive-read"])
        #expect(show.status == 0 && show.stdout.contains("NIST SP 800-53 rev. 5:") && show.stdout.contains("SELECT"))
        #expect(try TestSupport.run(["rules", "show", "no-such-rule"]).status == 2)
        let test = try TestSupport.run(["rules", "test"])
        #expect(test.status == 0, "\(test.stdout)")
        #expect(test.stdout.contains("40 passed, 0 failed"))

        // A team rule whose positive fixture does not raise it fails `rules test` with exit 1.
        let directory = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(directory) }
        TestSupport.write(RuleValidationTests.header + RuleValidationTests.query, to: directory + "/team-rule.sql")
        TestSupport.write(CheckTestSupport.hookLines(tools: [("Bash", #"{"command":"ls"}"#)]).joined(separator: "\n") + "\n",
                          to: directory + "/team-rule.positive.jsonl")
        TestSupport.write(CheckTestSupport.hookLines(tools: [("Bash", #"{"command":"ls"}"#)]).joined(separator: "\n") + "\n",
                          to: directory + "/team-rule.negative.jsonl")
        let failing = try TestSupport.run(["rules", "test", "--rules", directory, "team-rule"])
        #expect(failing.status == 1)
        #expect(failing.stdout.contains("FAIL  team-rule positive") && failing.stdout.contains("PASS  team-rule negative"))
        TestSupport.write(CheckTestSupport.hookLines(tools: [("Read", #"{"file_path":"/home/alice/app/x"}"#)]).joined(separator: "\n") + "\n",
                          to: directory + "/team-rule.positive.jsonl")
        #expect(try TestSupport.run(["rules", "test", "--rules", directory, "team-rule"]).status == 0)
    }

    @Test("baseline init writes the commented default, refuses to overwrite, and validate checks a file")
    func baselineCommands() throws {
        let directory = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(directory) }
        let initial = try TestSupport.run(["baseline", "init"], currentDirectory: directory)
        #expect(initial.status == 0)
        let text = try String(contentsOfFile: directory + "/harness-audit.yml", encoding: .utf8)
        #expect(text == Baseline.defaultText)
        #expect(try TestSupport.run(["baseline", "init"], currentDirectory: directory).status == 2)
        #expect(try TestSupport.run(["baseline", "init", "--force"], currentDirectory: directory).status == 0)
        let valid = try TestSupport.run(["baseline", "validate"], currentDirectory: directory)
        #expect(valid.status == 0 && valid.stdout.contains("no changes from the built-in policy"))
        TestSupport.write("version: 1\nseverity:\n  write-outsde-scope: high\n", to: directory + "/typo.yml")
        let typo = try TestSupport.run(["baseline", "validate", "typo.yml"], currentDirectory: directory)
        #expect(typo.status == 3 && typo.stderr.contains("typo.yml:3"), "validate checks rule names as check does")
        TestSupport.write("version: 1\nmax_token_lifetime: never\n", to: directory + "/harness-audit.yml")
        let invalid = try TestSupport.run(["baseline", "validate"], currentDirectory: directory)
        #expect(invalid.status == 3 && invalid.stderr.contains("harness-audit.yml:2"))
    }
}
