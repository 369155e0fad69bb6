import Foundation
import Testing
@testable import HarnessAuditKit

@Suite("Command-line tool", .serialized)
struct CLITests {
    var samples: String { TestSupport.repositoryRoot + "/samples" }

    @Test("usage errors exit 2; --help and --version exit 0")
    func usageErrors() throws {
        #expect(try TestSupport.run(["no-such-command"]).status == 2)
        #expect(try TestSupport.run(["ingest"]).status == 2, "ingest needs a path")
        #expect(try TestSupport.run(["ingest", "--max-line-mib", "0", "x"]).status == 2)
        #expect(try TestSupport.run(["stats", "--format", "yaml"]).status == 2)
        let help = try TestSupport.run(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("ingest"))
        #expect(try TestSupport.run(["--version"]).stdout.contains(HarnessAuditVersion.string))
    }

    @Test("an unreadable input exits 3 and names the path; readable inputs are still ingested")
    func unreadableInput() throws {
        let dir = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(dir) }
        let run = try TestSupport.run(["ingest", "--db", dir + "/s.sqlite", dir + "/missing.jsonl",
                                       TestSupport.fixture("promises/multi_member.jsonl.gz")])
        #expect(run.status == 3)
        #expect(run.stderr.contains(dir + "/missing.jsonl: cannot read: No such file or directory"))
        #expect(run.stdout.contains("events added:  10"))
    }

    @Test("rejected lines are warnings naming file and line; --strict turns them into exit 3")
    func rejectedLinesAndStrict() throws {
        let dir = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(dir) }
        let fixture = TestSupport.fixture("promises/invalid_json.jsonl")
        let run = try TestSupport.run(["ingest", "--db", dir + "/s.sqlite", fixture])
        #expect(run.status == 0)
        #expect(run.stderr.contains("\(fixture):2: invalid JSON: invalid JSON at byte 56"))
        let strict = try TestSupport.run(["ingest", "--strict", "--db", dir + "/t.sqlite", fixture])
        #expect(strict.status == 3)
        // A retried job, or a strict run after a lenient one: the store holds the same rejected lines.
        let again = try TestSupport.run(["ingest", "--strict", "--db", dir + "/t.sqlite", fixture])
        #expect(again.status == 3)
        #expect(again.stderr.contains("\(fixture): 3 rejected lines when an earlier ingest read it"))
        let afterLenient = try TestSupport.run(["ingest", "--strict", "--db", dir + "/s.sqlite", fixture])
        #expect(afterLenient.status == 3)
        let lenientAgain = try TestSupport.run(["ingest", "--db", dir + "/s.sqlite", fixture])
        #expect(lenientAgain.status == 0 && !lenientAgain.stderr.contains("earlier"))
        let quiet = try TestSupport.run(["ingest", "--quiet", "--db", dir + "/u.sqlite", fixture])
        #expect(quiet.stderr.isEmpty)
    }

    @Test("a file of which no line could be read exits 3 from ingest and audit, its rejections recorded; an empty file does not")
    func nothingReadable() throws {
        let dir = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(dir) }
        TestSupport.write("\u{01}not json\nstill not {json\n", to: dir + "/junk.jsonl")
        TestSupport.write("", to: dir + "/empty.jsonl")
        let junk = dir + "/junk.jsonl", good = TestSupport.fixture("promises/multi_member.jsonl.gz")
        let ingest = try TestSupport.run(["ingest", "--db", dir + "/s.sqlite", junk, good])
        #expect(ingest.status == 3 && ingest.stderr.contains("\(junk): no line could be read (2 rejected)"), "\(ingest.stderr)")
        #expect(ingest.stdout.contains("events added:  10"))
        #expect(try TestSupport.run(["audit", "--db", dir + "/a.sqlite", junk]).status == 3)
        // --quiet hides progress and warnings, not the reason for exit 3.
        for command in ["audit", "ingest"] {
            let quiet = try TestSupport.run([command, "-q", "--db", dir + "/q-\(command).sqlite", junk, dir + "/missing.jsonl"])
            #expect(quiet.status == 3)
            #expect(quiet.stderr.contains("\(junk): no line could be read") && quiet.stderr.contains("missing.jsonl"), "\(quiet.stderr)")
        }
        #expect(try TestSupport.run(["ingest", "--db", dir + "/e.sqlite", dir + "/empty.jsonl"]).status == 0)
        // A file already stored that gained only a corrupt line (a crash mid-write) is still readable.
        TestSupport.write(try String(contentsOfFile: TestSupport.fixture("promises/invalid_json.jsonl"), encoding: .utf8), to: dir + "/grow.jsonl")
        #expect(try TestSupport.run(["ingest", "--db", dir + "/g.sqlite", dir + "/grow.jsonl"]).status == 0)
        let grown = try String(contentsOfFile: dir + "/grow.jsonl", encoding: .utf8) + "{\"broken\n"
        TestSupport.write(grown, to: dir + "/grow.jsonl")
        let resumed = try TestSupport.run(["ingest", "--db", dir + "/g.sqlite", dir + "/grow.jsonl"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        // Some lines readable: warnings, exit 0 (3 with --strict).
        #expect(try TestSupport.run(["ingest", "--db", dir + "/f.sqlite", TestSupport.fixture("promises/invalid_json.jsonl")]).status == 0)
    }

    @Test("a store that is not a harness-audit store exits 3")
    func notAStore() throws {
        let dir = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(dir) }
        TestSupport.write("this is not sqlite\n", to: dir + "/notes.sqlite")
        let run = try TestSupport.run(["stats", "--db", dir + "/notes.sqlite"])
        #expect(run.status == 3)
        #expect(run.stderr.contains("not a SQLite database"))
        #expect(try TestSupport.run(["stats", "--db", dir + "/absent.sqlite"]).status == 3)
        // A directory named as the store: the message names it, whatever the command.
        for arguments in [["check", "--db", dir], ["stats", "--db", dir], ["ingest", "--db", dir, dir + "/notes.sqlite"]] {
            let run = try TestSupport.run(arguments)
            #expect(run.status == 3 && run.stderr.contains(dir + ": is a directory"), "\(arguments[0]): \(run.stderr)")
        }
    }

    @Test("ingest reads standard input with -")
    func standardInput() throws {
        let dir = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(dir) }
        let data = try Data(contentsOf: URL(fileURLWithPath: TestSupport.fixture("promises/multi_member.jsonl.gz")))
        let run = try TestSupport.run(["ingest", "--db", dir + "/s.sqlite", "-"], stdin: data)
        #expect(run.status == 0)
        let stats = try TestSupport.statistics(dir + "/s.sqlite")
        #expect(stats.events == 10)
        #expect(stats.sources.first?.path == "-")
        #expect(stats.sources.first?.compression == "gzip")
    }

    /// The findings of one rule that `check --format json` reports (nothing fails the run), and its output.
    static func findings(of rule: String, in database: String, _ options: [String] = []) throws -> (list: [[String: Any]], output: String) {
        let run = try TestSupport.run(["check", "--db", database, "--format", "json", "--fail-on", "none"] + options)
        let json = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        return ((json?["findings"] as? [[String: Any]] ?? []).filter { $0["rule"] as? String == rule }, String(run.stdout.prefix(2000)))
    }

    /// Compresses `path` with the system's gzip, keeping it; returns the compressed file's path.
    static func gzip(_ path: String) throws -> String {
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        gzip.arguments = ["gzip", "-k", "-n", "-f", path]
        try gzip.run()
        gzip.waitUntilExit()
        return path + ".gz"
    }

    @Test("the same bad input read twice from standard input is one rejected-lines finding, not two with one id")
    func standardInputTwice() throws {
        let dir = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(dir) }
        let data = Data((hv1("s-1", 1, #""kind":"prompt","text":"hi""#) + "\n{bad\n").utf8)
        for _ in 0..<2 { #expect(try TestSupport.run(["ingest", "--db", dir + "/s.sqlite", "-"], stdin: data).status == 0) }
        #expect(try TestSupport.statistics(dir + "/s.sqlite").sources.count == 2)
        let findings = try Self.findings(of: "rejected-lines", in: dir + "/s.sqlite")
        #expect(findings.list.count == 1, "\(findings.output)")
    }

    @Test("a log and its gzip copy, each with the same unreadable line, are one rejected-lines finding (the first file's)")
    func gzipCopyOneGap() throws {
        let dir = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(dir) }
        TestSupport.write(hv1("s-1", 1, #""kind":"prompt","text":"hi""#) + "\n{bad\n", to: dir + "/a.jsonl")
        try FileManager.default.moveItem(atPath: try Self.gzip(dir + "/a.jsonl"), toPath: dir + "/b.jsonl.gz")
        // A different file whose bad line is elsewhere is a finding of its own; so is one with the same bad line in
        // the same place and events of its own.
        TestSupport.write("{bad\n" + hv1("s-1", 1, #""kind":"prompt","text":"hi""#) + "\n", to: dir + "/c.jsonl")
        TestSupport.write(hv1("s-2", 1, #""kind":"prompt","text":"hello""#) + "\n{bad\n", to: dir + "/d.jsonl")
        #expect(try TestSupport.run(["ingest", "--db", dir + "/s.sqlite", dir + "/a.jsonl", dir + "/b.jsonl.gz", dir + "/c.jsonl",
                                     dir + "/d.jsonl"]).status == 0)
        let findings = try Self.findings(of: "rejected-lines", in: dir + "/s.sqlite")
        #expect(findings.list.map { $0["target"] as? String ?? "" }.sorted() == [dir + "/a.jsonl", dir + "/c.jsonl", dir + "/d.jsonl"],
                "\(findings.output)")
    }

    @Test("a truncated copy of a log already stored is placed at its content's time, as the same bytes alone would be")
    func truncatedCopyPlaced() throws {
        let dir = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(dir) }
        let lines = (1...40).map { hv1("s-1", $0, #""kind":"prompt","text":"line \#($0) of a log long enough to cut""#) }
        TestSupport.write(lines.joined(separator: "\n") + "\n", to: dir + "/a.jsonl")
        let whole = try Data(contentsOf: URL(fileURLWithPath: try Self.gzip(dir + "/a.jsonl")))
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: dir + "/cut.jsonl.gz"))
        for (database, inputs) in [("/both.sqlite", ["/a.jsonl", "/cut.jsonl.gz"]), ("/alone.sqlite", ["/cut.jsonl.gz"])] {
            _ = try TestSupport.run(["ingest", "--db", dir + database] + inputs.map { dir + $0 })
            let partial = try Self.findings(of: "partial-source", in: dir + database,
                                            ["--since", "2026-11-02T00:00:00Z", "--until", "2026-11-03T00:00:00Z"])
            #expect(partial.list.count == 1, "\(database): \(partial.output)")
        }
    }

    /// A store in `dir` holding `a.jsonl` (five prompts), and a way to mark its source claimed by an ingest.
    static func claimableStore(in dir: String) throws -> (String, String, Int64) throws -> Void {
        let lines = (1...5).map { hv1("s-1", $0, #""kind":"prompt","text":"line \#($0)""#) }
        TestSupport.write(lines.joined(separator: "\n") + "\n", to: dir + "/a.jsonl")
        #expect(try TestSupport.run(["ingest", "--db", dir + "/s.sqlite", dir + "/a.jsonl"]).status == 0)
        return { database, owner, heartbeat in
            let update = try Database(path: database, access: .readWrite).prepare(
                "UPDATE sources SET state = 'ingesting', owner = ?, heartbeat = ?")
            try update.bind([.text(owner), .integer(heartbeat)])
            try update.run()
        }
    }

    @Test("an ingest that stopped (its process gone) is an audit gap at once; one still running, or another machine's with a fresh heartbeat, is not")
    func stoppedIngest() throws {
        let dir = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(dir) }
        let claim = try Self.claimableStore(in: dir)
        let host = SourcePlanner.hostName()
        let now = Clock.nowMillis()
        // A process id that no process has (beyond pid_max); the test's own (running, whether it wrote lately or waits on a
        // quiet pipe); another machine's fresh and stale.
        for (owner, heartbeat, expected) in [("\(host):2147483646", now, 1), ("\(host):\(getpid())", now, 0),
                                             ("\(host):\(getpid())", now - 3_600_000, 0),
                                             ("elsewhere:1", now, 0), ("elsewhere:1", now - 600_000, 1)] {
            try claim(dir + "/s.sqlite", owner, heartbeat)
            let found = try Self.findings(of: "partial-source", in: dir + "/s.sqlite")
            #expect(found.list.count == expected, "\(owner): \(found.output)")
            if expected == 1 { #expect((found.list.first?["reason"] as? String)?.contains("was not read to the end") == true) }
        }
    }

    @Test("an ingest that ends while a check reads its snapshot ran when the check began: being ingested, no audit gap")
    func ingestEndedDuringCheck() throws {
        let dir = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(dir) }
        let claim = try Self.claimableStore(in: dir)
        let dead = "\(SourcePlanner.hostName()):2147483646"
        try claim(dir + "/s.sqlite", dead, Clock.nowMillis())
        let reader = try Database(path: dir + "/s.sqlite", access: .readOnly)
        try CheckEngine.registerFunctions(reader, baseline: Baseline())
        try reader.execute("BEGIN")
        #expect(try reader.rows("SELECT ha_ingest_running(owner, heartbeat) FROM sources").first?[0].int64 == 0,
                "its process is gone and the store still says it is mid-file: stopped")
        // The ingest finishes (another connection) after the reader's snapshot began.
        try Database(path: dir + "/s.sqlite", access: .readWrite).execute("UPDATE sources SET state = 'complete', owner = NULL")
        let seen = try reader.rows("SELECT state, ha_ingest_running(owner, heartbeat) FROM sources")
        #expect(seen.first?[0].text == "ingesting", "the snapshot still holds the claim")
        #expect(seen.first?[1].int64 == 1, "the claim ended after the snapshot: the file was being ingested")
        try reader.execute("COMMIT")
    }

    @Test("check while an ingest still runs names the file it reads, in the summary and on standard error; a stopped ingest is a finding instead")
    func checkDuringIngest() throws {
        let dir = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(dir) }
        let claim = try Self.claimableStore(in: dir)
        let host = SourcePlanner.hostName()
        for (owner, running) in [("\(host):\(getpid())", true), ("\(host):2147483646", false)] {
            try claim(dir + "/s.sqlite", owner, Clock.nowMillis())
            let json = try TestSupport.run(["check", "--db", dir + "/s.sqlite", "--format", "json", "--fail-on", "none"])
            let summary = (try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])?["summary"] as? [String: Any]
            let listed = summary?["sourcesBeingIngested"] as? [String]
            #expect(listed == (running ? [dir + "/a.jsonl"] : []), "\(owner): \(json.stdout.prefix(600))")
            #expect(json.stderr.contains("1 file still being ingested (\(dir)/a.jsonl)") == running, "\(owner): \(json.stderr)")
            let text = try TestSupport.run(["check", "--db", dir + "/s.sqlite", "--fail-on", "none", "--color", "never"])
            #expect(text.stdout.contains("still being ingested") == running, "\(owner): \(text.stdout)")
            #expect(!text.stderr.contains("still being ingested"), "the text output says it once")
        }
    }

    @Test("rejected lines: ingest's warnings mask secrets they quote; stats lists every line by file and line, masked too")
    func rejectedLinesListed() throws {
        let dir = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(dir) }
        let token = "ghp_" + String(repeating: "Zq9", count: 12)
        var lines = (1...3).map { hv1("s-1", $0, #""kind":"prompt","text":"line \#($0)""#) }
        lines.append(#"{"level":"info","\#(token)":1}"#)                                     // unknown format: its keys are quoted
        lines += (5...12).map { "not json \($0)" }
        TestSupport.write(lines.joined(separator: "\n") + "\n", to: dir + "/a.jsonl")
        let ingest = try TestSupport.run(["ingest", "--db", dir + "/s.sqlite", dir + "/a.jsonl"])
        #expect(ingest.stderr.contains("a.jsonl:4: unknown format") && !ingest.stderr.contains(token), "\(ingest.stderr)")
        #expect(ingest.stderr.contains("4 more rejected lines"))
        let json = try JSONSerialization.jsonObject(with: Data(try TestSupport.run(["stats", "--db", dir + "/s.sqlite", "--format", "json"]).stdout.utf8)) as? [String: Any]
        let listed = json?["rejected"] as? [[String: Any]] ?? []
        #expect(listed.map { $0["line"] as? Int } == (4...12).map { $0 })
        #expect(listed.allSatisfy { ($0["file"] as? String) == dir + "/a.jsonl" })
        let detail = listed.first?["detail"] as? String
        #expect(detail?.contains("no known format") == true && detail?.contains(token) == false, "\(String(describing: detail))")
        let text = try TestSupport.run(["stats", "--db", dir + "/s.sqlite"]).stdout
        #expect(text.contains("Rejected lines:") && text.contains("\(dir)/a.jsonl:12: invalid JSON") && !text.contains(token), "\(text)")
    }

    @Test("database path: --db wins over HARNESS_AUDIT_DB, which wins over ./harness-audit.sqlite")
    func databasePath() throws {
        let dir = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(dir) }
        let fixture = TestSupport.fixture("promises/multi_member.jsonl.gz")
        _ = try TestSupport.run(["ingest", fixture], currentDirectory: dir)
        #expect(FileManager.default.fileExists(atPath: dir + "/harness-audit.sqlite"))
        _ = try TestSupport.run(["ingest", fixture], currentDirectory: dir, environment: ["HARNESS_AUDIT_DB": dir + "/env.sqlite"])
        #expect(FileManager.default.fileExists(atPath: dir + "/env.sqlite"))
        _ = try TestSupport.run(["ingest", "--db", dir + "/flag.sqlite", fixture], currentDirectory: dir,
                                environment: ["HARNESS_AUDIT_DB": dir + "/env2.sqlite"])
        #expect(FileManager.default.fileExists(atPath: dir + "/flag.sqlite"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/env2.sqlite"))
    }

    @Test("stats on the bundled samples matches the golden text and JSON")
    func statsGolden() throws {
        let dir = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(dir) }
        let ingest = try TestSupport.run(["ingest", "--quiet", "--db", dir + "/s.sqlite", "samples"],
                                         currentDirectory: TestSupport.repositoryRoot)
        #expect(ingest.status == 0)
        let text = try TestSupport.run(["stats", "--db", dir + "/s.sqlite"])
        #expect(text.status == 0)
        Golden.check(text.stdout, "stats-samples.txt")
        let json = try TestSupport.run(["stats", "--db", dir + "/s.sqlite", "--format", "json"])
        Golden.check(json.stdout, "stats-samples.json")
        #expect((try? JSONSerialization.jsonObject(with: Data(json.stdout.utf8))) != nil)
    }

    @Test("stats says how many events were copies of others already in the store")
    func statsDuplicates() throws {
        let dir = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(dir) }
        let fixture = TestSupport.fixture("promises/invalid_json.jsonl")
        // A copy with a blank line more: not the same file (an identical one may be recognised before it is read, or
        // read and found a copy, depending on whether the first has finished), so its events are read and are copies.
        let copy = dir + "/copy.jsonl"
        TestSupport.write(try String(contentsOfFile: fixture, encoding: .utf8) + "\n", to: copy)
        _ = try TestSupport.run(["ingest", "--quiet", "--db", dir + "/s.sqlite", fixture, copy])
        let text = try TestSupport.run(["stats", "--db", dir + "/s.sqlite"])
        #expect(text.stdout.contains("Events: 2 added, 2 already in the store"))
        let single = dir + "/single.sqlite"
        _ = try TestSupport.run(["ingest", "--quiet", "--db", single, fixture])
        #expect(!(try TestSupport.run(["stats", "--db", single]).stdout.contains("already in the store")))
    }

    @Test("ingest --format json reports per-source accounting")
    func ingestJSON() throws {
        let dir = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(dir) }
        let run = try TestSupport.run(["ingest", "--quiet", "--format", "json", "--db", dir + "/s.sqlite",
                                       TestSupport.fixture("promises/invalid_json.jsonl")])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(object["eventsAdded"] as? Int == 2)
        #expect(object["rejectedLines"] as? Int == 3)
        let sources = try #require(object["sources"] as? [[String: Any]])
        #expect((sources.first?["rejected"] as? [[String: Any]])?.first?["line"] as? Int == 2)
    }

    @Test("terminal output neutralises escape sequences from the logs")
    func terminalEscapes() throws {
        let dir = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(dir) }
        let path = dir + "/hostile.jsonl"
        TestSupport.write("{\"\\u001b[31mred\\u001b[0m\":1,\"x\\u0007\":2}\n", to: path)
        let run = try TestSupport.run(["ingest", "--db", dir + "/s.sqlite", path])
        #expect(!run.stderr.contains("\u{1B}"))
        #expect(!run.stderr.contains("\u{07}"))
        #expect(run.stderr.contains("\\x1b[31mred"))
    }

    @Test("classify explains a classification; text and JSON match the golden files")
    func classify() throws {
        let input = "{\"command\":\"rm -rf dist && kubectl --context prod apply -f k8s/\"}"
        let text = try TestSupport.run(["classify", "--tool", "Bash", "--input", input, "--cwd", "/home/alice/app"])
        #expect(text.status == 0)
        Golden.check(text.stdout, "classify-prod-deploy.txt")
        let json = try TestSupport.run(["classify", "--tool", "Bash", "--input", input, "--cwd", "/home/alice/app", "--format", "json"])
        Golden.check(json.stdout, "classify-prod-deploy.json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["classes"] as? [String] == ["delete", "deploy"])
        let negative = try TestSupport.run(["classify", "--tool", "Bash", "--input", "{\"command\":\"echo 'rm -rf /'\"}", "--format", "json"])
        #expect((try JSONSerialization.jsonObject(with: Data(negative.stdout.utf8)) as? [String: Any])?["classes"] as? [String] == [])
        #expect(try TestSupport.run(["classify", "--tool", "Bash", "--input", "{}"]).status == 0)
        #expect(try TestSupport.run(["classify", "--input", "{}"]).status == 2, "--tool is required")
    }

    @Test("classify masks secrets of the pasted input in text and JSON; --no-redact shows them")
    func classifyRedacts() throws {
        let input = #"{"command":"git push https://bot:R4ClassifyPw77@git.corp.com/acme/app.git main && gpg --passphrase Gpg5ecretPhrase -d x.gpg"}"#
        for format in ["text", "json"] {
            let run = try TestSupport.run(["classify", "--tool", "Bash", "--input", input, "--format", format])
            #expect(run.status == 0 && run.stdout.contains("git.corp.com"), "\(run.stdout)")
            #expect(!run.stdout.contains("R4ClassifyPw77") && !run.stdout.contains("Gpg5ecretPhrase"), "\(run.stdout)")
            let clear = try TestSupport.run(["classify", "--tool", "Bash", "--input", input, "--format", format, "--no-redact"])
            #expect(clear.stdout.contains("R4ClassifyPw77"), "\(clear.stdout)")
        }
    }
}
