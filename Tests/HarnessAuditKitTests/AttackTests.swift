import Foundation
import HarnessAuditSamples
import Testing
@testable import HarnessAuditKit

/// DESIGN §6, attacked: ingest killed at random points, four ingests and two readers at once,
/// a corpus of malformed input, and the security promises (read-only rules, SQL
/// metacharacters as data, file mode, secrets, hostile strings).
@Suite("Attacks on the promises", .serialized)
struct AttackTests {
    // MARK: A fleet of files

    /// A deterministic fleet: eight harness-v1 files (half gzip, one multi-member) and four
    /// Claude Code hook files (gzip), each with invalid and blank lines among the events.
    static func fleet(in directory: String, linesPerFile: Int = 4000) -> [String] {
        var paths: [String] = []
        for file in 0..<12 {
            var text = ""
            for index in 0..<linesPerFile {
                let session = "s-\(file)-\(index / 400)"
                if index % 997 == 996 {
                    text += "{not json \(file) \(index)\n"
                } else if index % 1499 == 1498 {
                    text += "\n"
                } else if file < 8 {
                    text += #"{"schema":"harness-v1","ts":"2026-11-0\#(1 + file % 9)T10:\#(String(format: "%02d", index % 60)):00Z","session_id":"\#(session)","seq":\#(index % 400),"agent":"acme-agent","repo":"acme/r\#(file)","cwd":"/srv/r\#(file)","kind":"tool_call","tool":"shell","call_id":"c\#(index)","input":{"command":"\#(index % 5 == 0 ? "rm -rf build/\(index)" : "go test ./...")"},"decision":"allow","decision_source":"config"}"# + "\n"
                } else {
                    text += #"{"session_id":"\#(session)","transcript_path":"/home/dev/.claude/projects/x/\#(session).jsonl","cwd":"/home/dev/app\#(file)","permission_mode":"default","hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"npm test -- \#(index)"},"tool_use_id":"toolu_\#(file)_\#(index)","timestamp":"2026-11-02T11:00:00.000Z"}"# + "\n"
                }
            }
            let gzip = file % 2 == 1 || file >= 8
            let path = directory + "/fleet-\(file).jsonl" + (gzip ? ".gz" : "")
            let bytes = Array(text.utf8)
            if file == 3 {
                // Two gzip members, as `cat a.gz b.gz` makes.
                let half = bytes.count / 2
                TestSupport.write(GzipWriter.compress(Array(bytes[..<half])) + GzipWriter.compress(Array(bytes[half...])), to: path)
            } else {
                TestSupport.write(gzip ? GzipWriter.compress(bytes) : bytes, to: path)
            }
            paths.append(path)
        }
        return paths
    }

    /// The counts two stores must share: per file, and in all.
    static func counts(_ stats: StoreStatistics) -> [String] {
        stats.sources.sorted { $0.path < $1.path }.map { "\($0.path) \($0.state) \($0.lines) \($0.eventLines) \($0.rejectedLines) \($0.blankLines)" }
            + ["events \(stats.events)", "sessions \(stats.sessions)"]
    }

    /// What must hold in a store at any moment: every source's lines add up, the events and
    /// rejected lines stored are those the sources count.
    static func expectConsistent(_ database: String, _ label: String) throws {
        let stats = try TestSupport.statistics(database)
        #expect(stats.accountingHolds, "\(label): lines = events + rejected + blank for every source")
        let stored = try TestSupport.query(database, "SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM rejected)")
        #expect(stored.first?[0].int64 == stats.sources.reduce(0) { $0 + $1.eventsAdded }, "\(label): events stored = events counted")
        #expect(stored.first?[1].int64 == stats.rejectedLines, "\(label): rejected lines stored = counted")
    }

    /// A small deterministic generator (SplitMix64), so a failing kill point can be replayed.
    struct SplitMix {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func fraction() -> Double { Double(next() >> 11) / Double(1 << 53) }
    }

    /// Starts the tool; its standard error goes to `errors` when given (to say why it failed), else nowhere.
    static func launch(_ arguments: [String], errors: String? = nil) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestSupport.binaryPath)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["HARNESS_AUDIT_DB"] = nil
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        if let errors {
            FileManager.default.createFile(atPath: errors, contents: nil)
            process.standardError = FileHandle(forWritingAtPath: errors)
        } else {
            process.standardError = FileHandle.nullDevice
        }
        try process.run()
        return process
    }

    static func removeStore(_ path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    // MARK: 1. Crash safety

    @Test("ingest killed with SIGKILL at 30 random points: consistent after every kill, and a re-run ends with the counts of an uninterrupted run")
    func killedAtRandomPoints() throws {
        let directory = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(directory) }
        let files = Self.fleet(in: directory)
        let reference = directory + "/reference.sqlite"
        let started = Date()
        let uninterrupted = try Self.launch(["ingest", "--quiet", "--db", reference] + files)
        uninterrupted.waitUntilExit()
        let duration = Date().timeIntervalSince(started)
        #expect(uninterrupted.terminationStatus == 0)
        let expected = Self.counts(try TestSupport.statistics(reference))
        #expect(try TestSupport.statistics(reference).events > 40_000)

        var random = SplitMix(state: 0x5EED_2026_1125)
        var kills = 0, attempts = 0
        let store = directory + "/killed.sqlite"
        while kills < 30 && attempts < 120 {
            attempts += 1
            Self.removeStore(store)
            // Kill somewhere between the store's creation and the end of the run; then once more,
            // at another point, while the re-run resumes; then let a last run finish.
            var killedThisRound = 0
            for _ in 0..<2 {
                let process = try Self.launch(["ingest", "--quiet", "--db", store] + files)
                usleep(useconds_t((0.02 + random.fraction() * 0.9 * duration) * 1_000_000))
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                guard process.terminationReason == .uncaughtSignal else { continue }
                killedThisRound += 1
                if FileManager.default.fileExists(atPath: store),
                   (try? TestSupport.query(store, "SELECT count(*) FROM sources")) != nil {
                    try Self.expectConsistent(store, "after kill \(kills + killedThisRound)")
                }
            }
            kills += killedThisRound
            let rerun = try Self.launch(["ingest", "--quiet", "--db", store] + files)
            rerun.waitUntilExit()
            #expect(rerun.terminationStatus == 0, "the re-run after kill \(kills) succeeds")
            #expect(Self.counts(try TestSupport.statistics(store)) == expected, "after kill \(kills): the counts of an uninterrupted run")
            try Self.expectConsistent(store, "after the re-run of kill \(kills)")
        }
        #expect(kills >= 30, "\(kills) kills landed in \(attempts) rounds")
    }

    // MARK: 2. Concurrency

    @Test("four ingests with overlapping inputs on one store while check and report read it: no errors, the counts of one run")
    func concurrentIngestsAndReaders() throws {
        let directory = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(directory) }
        let files = Self.fleet(in: directory, linesPerFile: 2500)
        let reference = directory + "/reference.sqlite"
        try TestSupport.ingest(files, database: reference)
        let expected = Self.counts(try TestSupport.statistics(reference))

        let store = directory + "/shared.sqlite"
        // Each ingest gets half the fleet, every file going to two of them.
        let ingests = try (0..<4).map { worker in
            try Self.launch(["ingest", "--quiet", "--db", store] + (0..<6).map { files[(worker * 3 + $0) % files.count] },
                            errors: directory + "/ingest-\(worker).err")
        }
        var readers: [(String, Int32)] = []
        var rounds = 0
        while ingests.contains(where: \.isRunning) || rounds < 2 {
            guard (try? TestSupport.query(store, "SELECT count(*) FROM sources")) != nil else {
                usleep(20_000)
                continue
            }
            rounds += 1
            let check = try TestSupport.run(["check", "--db", store, "--format", "json", "--fail-on", "none"], currentDirectory: directory)
            readers.append(("check", check.status))
            let report = try TestSupport.run(["report", "--db", store, "--since", "2026-11-01", "--until", "2026-12-01",
                                              "--out", directory + "/report-\(rounds).md", "--fail-on", "none"], currentDirectory: directory)
            readers.append(("report", report.status))
            if check.status != 0 { Issue.record("check while ingesting: \(check.stderr)") }
            if report.status != 0 { Issue.record("report while ingesting: \(report.stderr)") }
        }
        for process in ingests { process.waitUntilExit() }
        let errors = (0..<4).map { (try? String(contentsOfFile: directory + "/ingest-\($0).err", encoding: .utf8)) ?? "" }
        #expect(ingests.allSatisfy { $0.terminationStatus == 0 }, "\(ingests.map(\.terminationStatus)): \(errors)")
        #expect(readers.count >= 4 && readers.allSatisfy { $0.1 == 0 })
        let actual = Self.counts(try TestSupport.statistics(store))
        #expect(actual == expected, "\(actual.filter { !expected.contains($0) }) instead of \(expected.filter { !actual.contains($0) })")
        try Self.expectConsistent(store, "after four concurrent ingests")
    }

    // MARK: 3. Malformed input

    /// One malformed input: how to make it, the line accounting it must give (lines, event
    /// lines, rejected, blank), and a text the message about it must contain.
    struct Malformed: CustomStringConvertible, Sendable {
        var name: String
        var make: @Sendable (String) throws -> [String]
        var lines: Int64
        var events: Int64
        var rejected: Int64
        var blank: Int64
        var message: String
        var description: String { name }
    }

    static let good = #"{"schema":"harness-v1","ts":"2026-11-02T10:00:00Z","session_id":"s1","seq":1,"kind":"prompt"}"#
    static func good(_ seq: Int) -> String { good.replacingOccurrences(of: "\"seq\":1", with: "\"seq\":\(seq)") }

    static func file(_ name: String, _ bytes: [UInt8]) -> @Sendable (String) throws -> [String] {
        { directory in
            TestSupport.write(bytes, to: directory + "/" + name)
            return [directory + "/" + name]
        }
    }
    static func file(_ name: String, _ text: String) -> @Sendable (String) throws -> [String] { file(name, Array(text.utf8)) }
    static func fixture(_ name: String) -> @Sendable (String) throws -> [String] { { _ in [TestSupport.fixture("promises/" + name)] } }

    static var malformed: [Malformed] {
        let gzipped = GzipWriter.compress(Array((good(1) + "\n" + good(2) + "\n").utf8))
        var crc = gzipped
        crc[crc.count - 8] ^= 0xFF
        var corrupt = gzipped
        corrupt[12] ^= 0x55
        return [
            // DESIGN §6
            Malformed(name: "invalid JSON", make: fixture("invalid_json.jsonl"), lines: 5, events: 2, rejected: 3, blank: 0, message: LineRejection.invalidJSON),
            Malformed(name: "invalid UTF-8", make: fixture("invalid_utf8.jsonl"), lines: 3, events: 2, rejected: 1, blank: 0, message: LineRejection.invalidUTF8),
            Malformed(name: "truncated gzip", make: fixture("truncated_gzip.jsonl.gz"), lines: 95, events: 94, rejected: 1, blank: 0, message: "truncated gzip stream"),
            Malformed(name: "a non-gzip .gz", make: fixture("not_gzip_despite_name.jsonl.gz"), lines: 10, events: 10, rejected: 0, blank: 0, message: ""),
            Malformed(name: "a line over the limit", make: file("long.jsonl", good(1) + "\n{\"schema\":\"harness-v1\",\"x\":\"" + String(repeating: "a", count: 2_000_000) + "\"}\n"),
                      lines: 2, events: 1, rejected: 1, blank: 0, message: LineRejection.tooLong),
            Malformed(name: "deeply nested JSON", make: file("deep.jsonl", String(repeating: "[", count: 20_000) + String(repeating: "]", count: 20_000) + "\n"),
                      lines: 1, events: 0, rejected: 1, blank: 0, message: LineRejection.tooDeep),
            Malformed(name: "an empty file", make: fixture("empty_file.jsonl"), lines: 0, events: 0, rejected: 0, blank: 0,
                      message: "empty: the file holds no lines"),
            Malformed(name: "pretty-printed JSON (Gemini CLI's local telemetry outfile)",
                      make: file("telemetry.jsonl", "{\n  \"hrTime\": [\n    1788000100,\n    0\n  ],\n  \"body\": \"Tool call: x\"\n}\n"),
                      lines: 7, events: 0, rejected: 7, blank: 0, message: "the file is pretty-printed JSON"),
            Malformed(name: "unknown format", make: file("unknown.jsonl", #"{"hello":"world"}"# + "\n"), lines: 1, events: 0, rejected: 1, blank: 0, message: "a JSON object of no known format"),
            // Encodings and line ends
            Malformed(name: "a byte-order mark", make: fixture("bom_first_line.jsonl"), lines: 10, events: 10, rejected: 0, blank: 0, message: ""),
            Malformed(name: "CRLF line ends", make: fixture("crlf_line_endings.jsonl"), lines: 10, events: 10, rejected: 0, blank: 0, message: ""),
            Malformed(name: "no final newline", make: fixture("no_final_newline.jsonl"), lines: 10, events: 10, rejected: 0, blank: 0, message: ""),
            Malformed(name: "blank and whitespace lines", make: fixture("blank_and_whitespace_lines.jsonl"), lines: 5, events: 2, rejected: 0, blank: 3, message: ""),
            Malformed(name: "NUL bytes", make: fixture("nul_bytes.jsonl"), lines: 2, events: 1, rejected: 1, blank: 0, message: LineRejection.binary),
            Malformed(name: "a UTF-16 file (as Windows PowerShell's Out-File writes it)",
                      make: file("utf16.jsonl", [0xFF, 0xFE] + (good(1) + "\n").utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }),
                      lines: 2, events: 0, rejected: 2, blank: 0, message: "the file is UTF-16 text"),
            Malformed(name: "a lone surrogate in a JSON escape", make: file("surrogate.jsonl", good(1).replacingOccurrences(of: "\"s1\"", with: "\"s\\ud800x\"") + "\n"),
                      lines: 1, events: 1, rejected: 0, blank: 0, message: ""),
            Malformed(name: "duplicate keys", make: file("duplicate.jsonl", good(1).replacingOccurrences(of: "\"seq\":1", with: "\"seq\":1,\"seq\":2") + "\n"),
                      lines: 1, events: 1, rejected: 0, blank: 0, message: ""),
            Malformed(name: "a JSON array line", make: file("array.jsonl", "[1,2,3]\n"), lines: 1, events: 0, rejected: 1, blank: 0, message: LineRejection.notObject),
            Malformed(name: "a bare string line", make: file("string.jsonl", "\"just text\"\n"), lines: 1, events: 0, rejected: 1, blank: 0, message: LineRejection.notObject),
            Malformed(name: "binary garbage named .gz", make: fixture("binary_garbage_named.jsonl.gz"), lines: -1, events: 0, rejected: -1, blank: -1, message: ""),
            // Numbers and types
            Malformed(name: "numbers out of range", make: file("range.jsonl", good(1).replacingOccurrences(of: "\"seq\":1", with: "\"seq\":1e400,\"duration_ms\":99999999999999999999999") + "\n"),
                      lines: 1, events: 1, rejected: 0, blank: 0, message: ""),
            Malformed(name: "a timestamp of the wrong type", make: file("types.jsonl", good(1).replacingOccurrences(of: "\"2026-11-02T10:00:00Z\"", with: "true") + "\n"),
                      lines: 1, events: 0, rejected: 1, blank: 0, message: "\"ts\" is not an ISO 8601 time or Unix time"),
            Malformed(name: "a timestamp that is no time", make: file("when.jsonl", good(1).replacingOccurrences(of: "2026-11-02T10:00:00Z", with: "yesterday") + "\n"),
                      lines: 1, events: 0, rejected: 1, blank: 0, message: LineRejection.invalidField),
            Malformed(name: "a tool name and input of the wrong types", make: file("tool.jsonl", #"{"schema":"harness-v1","ts":"2026-11-02T10:00:00Z","session_id":"s1","seq":1,"kind":"tool_call","tool":7,"input":"rm -rf /"}"# + "\n"),
                      lines: 1, events: 1, rejected: 0, blank: 0, message: ""),
            Malformed(name: "a missing required field", make: file("missing.jsonl", #"{"schema":"harness-v1","ts":"2026-11-02T10:00:00Z","kind":"prompt"}"# + "\n"),
                      lines: 1, events: 0, rejected: 1, blank: 0, message: "missing required field \"session_id\""),
            Malformed(name: "OTLP resourceLogs not an array", make: file("otlp.jsonl", #"{"resourceLogs":{"a":1}}"# + "\n"),
                      lines: 1, events: 0, rejected: 1, blank: 0, message: "\"resourceLogs\" is not an array"),
            // gzip
            Malformed(name: "multi-member gzip", make: fixture("multi_member.jsonl.gz"), lines: 10, events: 10, rejected: 0, blank: 0, message: ""),
            Malformed(name: "an empty gzip member", make: fixture("multi_member_with_empty_member.jsonl.gz"), lines: 10, events: 10, rejected: 0, blank: 0, message: ""),
            Malformed(name: "zero-length gzip members around data", make: file("zero.jsonl.gz", GzipWriter.compress([]) + gzipped + GzipWriter.compress([])),
                      lines: 2, events: 2, rejected: 0, blank: 0, message: ""),
            Malformed(name: "zero padding after gzip", make: fixture("zero_padding_after_gzip.jsonl.gz"), lines: 5, events: 5, rejected: 0, blank: 0, message: ""),
            Malformed(name: "trailing garbage after gzip", make: fixture("trailing_garbage_after_gzip.jsonl.gz"), lines: 5, events: 5, rejected: 0, blank: 0, message: "is not gzip"),
            Malformed(name: "a gzip checksum mismatch", make: file("crc.jsonl.gz", crc), lines: 2, events: 2, rejected: 0, blank: 0, message: "fails its integrity check (incorrect data check"),
            Malformed(name: "corrupt deflate data", make: file("corrupt.jsonl.gz", corrupt), lines: -1, events: 0, rejected: -1, blank: 0, message: "corrupt gzip data"),
            Malformed(name: "a command that crashed the shell parser (found by libFuzzer)",
                      make: file("fuzz.jsonl", #"{"session_id":"8f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b","cwd":"/home/dev/app","hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":">('"},"tool_use_id":"toolu_1"}"# + "\n"),
                      lines: 1, events: 1, rejected: 0, blank: 0, message: ""),
            // Paths
            Malformed(name: "a directory named .gz", make: { directory in
                try FileManager.default.createDirectory(atPath: directory + "/logs.jsonl.gz", withIntermediateDirectories: true)
                return [directory + "/logs.jsonl.gz"]
            }, lines: 0, events: 0, rejected: 0, blank: 0, message: "no log files"),
            Malformed(name: "a symlink loop", make: { directory in
                try FileManager.default.createSymbolicLink(atPath: directory + "/a.jsonl", withDestinationPath: directory + "/b.jsonl")
                try FileManager.default.createSymbolicLink(atPath: directory + "/b.jsonl", withDestinationPath: directory + "/a.jsonl")
                return [directory + "/a.jsonl"]
            }, lines: 0, events: 0, rejected: 0, blank: 0, message: "Too many levels of symbolic links"),
            Malformed(name: "a dangling symlink", make: { directory in
                try FileManager.default.createSymbolicLink(atPath: directory + "/gone.jsonl", withDestinationPath: directory + "/nowhere.jsonl")
                return [directory + "/gone.jsonl"]
            }, lines: 0, events: 0, rejected: 0, blank: 0, message: "No such file"),
            Malformed(name: "an unreadable file", make: { directory in
                TestSupport.write(good(1) + "\n", to: directory + "/secret.jsonl")
                chmod(directory + "/secret.jsonl", 0)
                // Root reads whatever the mode says: there, a directory stands in for a path that cannot be read as a file.
                if geteuid() == 0 { return ["/proc/self/mem"] }
                return [directory + "/secret.jsonl"]
            }, lines: 0, events: 0, rejected: 0, blank: 0, message: geteuid() == 0 ? "" : "Permission denied"),
        ]
    }

    @Test("a corpus of 38 kinds of malformed input: a clear message naming the problem, and exact line accounting", arguments: malformed)
    func malformedInput(_ input: Malformed) throws {
        let directory = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(directory) }
        let database = directory + "/store.sqlite"
        let paths = try input.make(directory)
        let summary = try TestSupport.ingest(paths, database: database, maximumLineBytes: 1 << 20)
        // Nothing readable: the problems are the whole answer, and no empty store is made.
        if summary.sources.isEmpty && !summary.problems.isEmpty {
            #expect(!FileManager.default.fileExists(atPath: database))
            #expect(input.lines == 0 && input.events == 0)
            #expect(summary.problems.contains { $0.description.contains(input.message) }, "\(summary.problems)")
            return
        }
        let stats = try TestSupport.statistics(database)
        #expect(stats.accountingHolds)
        try Self.expectConsistent(database, input.name)
        if input.lines >= 0 { #expect(stats.lines == input.lines) }
        #expect(stats.eventLines == input.events)
        if input.rejected >= 0 { #expect(stats.rejectedLines == input.rejected) }
        if input.blank >= 0 { #expect(stats.blankLines == input.blank) }
        // Every rejected line names its file and line and says why.
        let reasons = try TestSupport.query(database, "SELECT reason, line FROM rejected").map { ($0[0].text ?? "", $0[1].int64 ?? 0) }
        #expect(reasons.allSatisfy { !$0.0.isEmpty && $0.1 >= 1 })
        let messages = summary.problems.map(\.description) + summary.sources.compactMap(\.problem) + reasons.map(\.0)
            + summary.sources.flatMap { $0.rejectionSamples.map { "\($0.reason): \($0.detail)" } }
            + IngestReportRenderer.warnings(summary, perFileLimit: 5)
        if !input.message.isEmpty {
            #expect(messages.contains { $0.contains(input.message) }, "\(messages)")
        }
    }

    // MARK: 5. Security

    @Test("rules, reports and drift cannot change the store: the connection is read-only, and the file is byte-identical afterwards")
    func readOnly() throws {
        let (database, directory) = try CheckTestSupport.store(fixtures: DriftTests.fixtures)
        defer { TestSupport.cleanup(directory) }
        let before = try Data(contentsOf: URL(fileURLWithPath: database))
        let session = try CheckSession(CheckOptions(databasePath: database))
        for statement in ["INSERT INTO names(value) VALUES ('x')", "DELETE FROM events", "DROP TABLE sources", "CREATE TABLE t(x)",
                          "PRAGMA user_version = 7"] {
            #expect(throws: HarnessAuditError.self, "\(statement)") { try session.db.execute(statement) }
        }
        #expect(throws: HarnessAuditError.self) { try CheckEngine.prepare(Self.writingRule, db: session.db) }
        for arguments in [["check", "--format", "json"], ["report", "--period", "2026-11", "--out", directory + "/r.md"],
                          ["drift", "--period", "2026-11"], ["baseline", "suggest", "--period", "2026-11", "-o", directory + "/s.yml"]] {
            let run = try TestSupport.run(arguments + ["--db", database], currentDirectory: directory)
            #expect(run.status == 0 || run.status == 1, "\(arguments): \(run.stderr)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: database)) == before)
    }

    static var writingRule: Rule {
        var rule = try! RuleLoader.builtIn()[0]
        rule.sql = "WITH x AS (SELECT 1) INSERT INTO names(value) SELECT 'evil' FROM x RETURNING 1 AS evidence, 1 AS session_id, 'a' AS subject, 'b' AS reason"
        return rule
    }

    @Test("baselines and waivers full of SQL metacharacters stay data: matched literally, nothing executed")
    func sqlMetacharactersStayData() throws {
        let hostile = #"prod'); DELETE FROM events; --"#
        let command = #"kubectl --context "prod'); DELETE FROM events; --" delete deploy api"#
        let line = #"{"schema":"harness-v1","ts":"2026-11-02T10:00:00Z","session_id":"s1","seq":1,"agent":"acme-agent","repo":"acme/x'; DROP TABLE sources; --","kind":"tool_call","tool":"shell","call_id":"c1","input":{"command":\#(String(decoding: try JSONEncoder().encode(command), as: UTF8.self))},"decision":"allow","decision_source":"user"}"#
        let (database, directory) = try CheckTestSupport.store([line])
        defer { TestSupport.cleanup(directory) }
        let baseline = """
            version: 1
            production:
              names: ["\(hostile)"]
            sensitive_paths:
              add: ["'; DROP TABLE events; --", "\\" OR 1=1 --"]
            protected_branches: ["main'; --"]
            agent_principals: ["x' OR '1'='1"]
            authorized:
              - category: schema-change
                repo: "acme/x'; DROP TABLE sources; --"
                target: "'; SELECT * FROM sqlite_master; --"
                reason: "a reason with ' and \\" and ; --"
            allowed:
              - repo: "acme/x'; DROP TABLE sources; --"
                commands: ["kubectl delete", "'; DELETE FROM events; --"]
            """
        let waivers = """
            waivers:
              - rule: production-deploy
                scope:
                  repo: "acme/x'; DROP TABLE sources; --"
                owner: "o'; --"
                reason: "'); DROP TABLE events; --"
                expires: 2027-01-01
            """
        let result = try CheckTestSupport.check(database, baseline: baseline, waivers: waivers)
        // The hostile production name matched literally, and the hostile repository scoped the waiver.
        #expect(result.waived.map(\.rule) == ["production-change"] && result.waived.first?.repo == "acme/x'; DROP TABLE sources; --")
        var options = DriftOptions(check: try DriftTests.check(database, baseline: baseline), current: DriftTests.november, previous: DriftTests.october)
        options.check.waivers = try Waivers.parse(waivers, file: "waivers.yml")
        let drift = try DriftAnalyzer.run(options)
        #expect(drift.result.findings.contains { $0.rule == "unused-allowance" && $0.target == "'; DELETE FROM events; --" })
        let stats = try TestSupport.statistics(database)
        #expect(stats.events == 1 && stats.sources.count == 1, "nothing was deleted or dropped")
    }

    /// Fifty secrets of ten kinds, five of each, all different.
    static var fiftySecrets: [String] {
        var random = SplitMix(state: 0xC0FFEE)
        func chars(_ count: Int, _ alphabet: String) -> String {
            let letters = Array(alphabet)
            return String((0..<count).map { _ in letters[Int(random.next() % UInt64(letters.count))] })
        }
        let upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", alnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
        var secrets: [String] = []
        for _ in 0..<5 {
            secrets.append("AKIA" + chars(16, upper))
            secrets.append("ghp_" + chars(36, alnum))
            secrets.append("glpat-" + chars(20, alnum))
            secrets.append("xoxb-" + chars(10, "0123456789") + "-" + chars(13, "0123456789") + "-" + chars(24, alnum))
            secrets.append("AIza" + chars(35, alnum))
            secrets.append("eyJhbGciOiJIUzI1NiJ9.eyJ" + chars(30, alnum) + "." + chars(43, alnum))
            secrets.append("Pw" + chars(14, alnum))
            secrets.append("sk-" + chars(40, alnum))
            secrets.append(chars(40, alnum))
            secrets.append("Tk" + chars(30, alnum))
        }
        return secrets
    }

    /// A command that carries the secret the way such a secret travels, and raises a finding (`sudo`).
    static func carrier(_ index: Int, _ secret: String) -> String {
        switch index % 10 {
        case 0: return "sudo env AWS_ACCESS_KEY_ID=\(secret) aws s3 ls"
        case 1: return "sudo git clone https://x-access-token:\(secret)@github.com/acme/app.git /opt/app"
        case 2: return "sudo git clone https://oauth2:\(secret)@gitlab.com/acme/app.git /opt/app"
        case 3: return "sudo env SLACK_BOT_TOKEN=\(secret) ./notify.sh"
        case 4: return "sudo curl https://maps.googleapis.com/maps/api/geocode/json?key=\(secret)"
        case 5: return "sudo curl -H 'Authorization: Bearer \(secret)' https://api.internal/v1/admin"
        case 6: return "sudo psql postgres://app:\(secret)@db.internal/orders -c 'select 1'"
        case 7: return "sudo env OPENAI_API_KEY=\(secret) python3 run.py"
        case 8: return "sudo aws configure set aws_secret_access_key \(secret)"
        default: return "sudo mysql --password=\(secret) -h db.internal"
        }
    }

    static func json(_ value: Any) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]), as: UTF8.self)
    }

    /// The same secret-carrying commands logged in every format (k8s: a pod exec's command).
    static func secretFleet(in directory: String) -> [String] {
        var files: [String: [String]] = [:]
        for (index, secret) in fiftySecrets.enumerated() {
            let command = carrier(index, secret)
            let day = String(format: "2026-11-%02d", 2 + index % 20)
            let ts = day + "T10:00:\(String(format: "%02d", index)).000Z"
            switch index % 6 {
            case 0:
                files["harness.jsonl", default: []].append(json(["schema": "harness-v1", "ts": ts, "session_id": "s-\(index)", "seq": 1, "agent": "acme-agent",
                                                                  "kind": "tool_call", "tool": "shell", "call_id": "c\(index)", "input": ["command": command]]))
            case 1:
                let session = String(format: "8f1c2a34-5b6d-4e7f-8a9b-%012d", index)
                let base: [String: Any] = ["session_id": session, "transcript_path": "/home/dev/.claude/projects/x/\(session).jsonl", "cwd": "/home/dev/app",
                                           "permission_mode": "default", "tool_name": "Bash", "tool_input": ["command": command], "tool_use_id": "toolu_\(index)", "timestamp": ts]
                files["hooks.jsonl", default: []].append(json(base.merging(["hook_event_name": "PreToolUse"]) { $1 }))
                files["hooks.jsonl", default: []].append(json(base.merging(["hook_event_name": "PostToolUse", "tool_response": ["stdout": ""]]) { $1 }))
            case 2:
                let session = String(format: "7c1f0e2a-5b7d-4f3e-9a61-%012d", index)
                files["transcript-\(index).jsonl", default: []].append(json([
                    "parentUuid": NSNull(), "isSidechain": false, "userType": "external", "cwd": "/home/dev/app", "sessionId": session, "version": "2.1.63",
                    "type": "assistant", "uuid": "a\(index)", "timestamp": ts,
                    "message": ["model": "claude-opus-4-6", "id": "msg_\(index)", "type": "message", "role": "assistant",
                                "content": [["type": "tool_use", "id": "toolu_t\(index)", "name": "Bash", "input": ["command": command]]]],
                ]))
            case 3:
                let id = String(format: "0199d000-0000-7000-8000-%012d", index)
                files["rollout-\(index).jsonl", default: []] += [
                    json(["timestamp": ts, "type": "session_meta", "payload": ["id": id, "timestamp": ts, "cwd": "/home/dev/app", "originator": "codex_cli_rs", "cli_version": "0.150.1"]]),
                    json(["timestamp": ts, "type": "turn_context", "payload": ["cwd": "/home/dev/app", "approval_policy": "on-request", "sandbox_policy": ["type": "workspace-write"], "model": "gpt-5-codex"]]),
                    json(["timestamp": ts, "type": "response_item", "payload": ["type": "function_call", "name": "exec_command", "arguments": json(["cmd": command]), "call_id": "call_\(index)"]]),
                ]
            case 4:
                let attributes: [[String: Any]] = [
                    ["key": "session.id", "value": ["stringValue": String(format: "2f6feb88-8da0-44b6-a040-%012d", index)]],
                    ["key": "event.name", "value": ["stringValue": "gemini_cli.tool_call"]],
                    ["key": "event.timestamp", "value": ["stringValue": ts]],
                    ["key": "function_name", "value": ["stringValue": "run_shell_command"]],
                    ["key": "function_args", "value": ["stringValue": json(["command": command])]],
                    ["key": "success", "value": ["boolValue": true]],
                ]
                files["otel.jsonl", default: []].append(json(["resourceLogs": [["resource": ["attributes": [["key": "service.name", "value": ["stringValue": "gemini-cli"]]]],
                                                                                "scopeLogs": [["scope": ["name": "gemini-cli"], "logRecords": [["timeUnixNano": "0", "attributes": attributes]]]]]]]))
            default:
                let argv = ["sh", "-c", command].map { "command=" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0) }.joined(separator: "&")
                files["audit.log", default: []].append(json([
                    "kind": "Event", "apiVersion": "audit.k8s.io/v1", "level": "Metadata", "auditID": String(format: "a1b2c3d4-0000-4000-8000-%012d", index),
                    "stage": "ResponseStarted", "requestURI": "/api/v1/namespaces/ci/pods/runner/exec?\(argv)&stdout=true", "verb": "get",
                    "user": ["username": "system:serviceaccount:ci:agent-runner", "groups": ["system:authenticated"]],
                    "objectRef": ["resource": "pods", "namespace": "ci", "name": "runner", "apiVersion": "v1", "subresource": "exec"],
                    "responseStatus": ["metadata": [:], "code": 101], "requestReceivedTimestamp": ts, "stageTimestamp": ts,
                    "annotations": ["authorization.k8s.io/decision": "allow"],
                ]))
            }
        }
        return files.sorted { $0.key < $1.key }.map { name, lines in
            TestSupport.write(lines.joined(separator: "\n") + "\n", to: directory + "/" + name)
            return directory + "/" + name
        }
    }

    @Test("fifty secrets planted in all six formats appear in no output: check in five formats, report (Markdown, SVG, HTML), drift, baseline suggest, stats")
    func fiftySecretsNeverLeak() throws {
        let directory = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(directory) }
        let database = directory + "/store.sqlite"
        let summary = try TestSupport.ingest(Self.secretFleet(in: directory), database: database)
        let formats = try TestSupport.statistics(database).eventsByFormat.map(\.name)
        #expect(summary.rejectedLines == 0 && Set(formats).count == 6, "\(formats)")
        var outputs: [(String, String)] = []
        for format in ["text", "json", "sarif", "junit", "markdown"] {
            let run = try TestSupport.run(["check", "--db", database, "--format", format, "--fail-on", "none"], currentDirectory: directory)
            outputs.append(("check " + format, run.stdout + run.stderr))
        }
        for format in ["markdown", "html"] {
            let run = try TestSupport.run(["report", "--db", database, "--period", "2026-11", "--format", format, "--out", directory + "/out/r." + format,
                                           "--fail-on", "none"], currentDirectory: directory)
            outputs.append(("report " + format, try String(contentsOfFile: directory + "/out/r." + format, encoding: .utf8) + run.stderr))
        }
        for chart in ["risky-actions", "by-category", "findings-over-time"] {
            outputs.append((chart + ".svg", try String(contentsOfFile: directory + "/out/r-\(chart).svg", encoding: .utf8)))
        }
        for format in ["text", "json", "markdown", "sarif"] {
            let run = try TestSupport.run(["drift", "--db", database, "--period", "2026-11", "--format", format, "--fail-on", "none"], currentDirectory: directory)
            outputs.append(("drift " + format, run.stdout + run.stderr))
        }
        let suggest = try TestSupport.run(["baseline", "suggest", "--db", database, "--period", "2026-11", "-o", directory + "/s.yml"], currentDirectory: directory)
        outputs.append(("baseline suggest", suggest.stdout + suggest.stderr))
        for format in ["text", "json"] {
            let run = try TestSupport.run(["stats", "--db", database, "--format", format], currentDirectory: directory)
            outputs.append(("stats " + format, run.stdout + run.stderr))
        }
        // The outputs that show commands show them masked.
        let showingCommands: Set = ["check text", "check json", "check sarif", "check junit", "report markdown", "report html"]
        for (name, text) in outputs {
            #expect(!showingCommands.contains(name) || text.contains("[REDACTED]"), "\(name) redacted nothing")
            for secret in Self.fiftySecrets where text.contains(secret) { Issue.record("\(name): \(secret) leaked") }
        }
        // The test can fail: without redaction every one of the fifty reaches the findings.
        let clear = try TestSupport.run(["check", "--db", database, "--format", "json", "--fail-on", "none", "--no-redact"], currentDirectory: directory)
        let missing = Self.fiftySecrets.filter { !clear.stdout.contains($0) }
        #expect(missing.isEmpty, "planted secrets that never reached a finding: \(missing)")
    }

    @Test("stats masks a secret a log put in a harness name or a file name; --no-redact shows it")
    func statsRedacts() throws {
        let directory = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(directory) }
        let token = "ghp_1234567890abcdefghijABCDEFGHIJ123456"
        let path = directory + "/log-\(token).jsonl"
        TestSupport.write(#"{"schema":"harness-v1","ts":"2026-11-02T10:00:00.000Z","session_id":"s-1","agent":"\#(token)","kind":"prompt","text":"hi"}"# + "\n", to: path)
        try TestSupport.ingest([path], database: directory + "/store.sqlite")
        for format in ["text", "json"] {
            let run = try TestSupport.run(["stats", "--db", directory + "/store.sqlite", "--format", format], currentDirectory: directory)
            #expect(run.status == 0 && !run.stdout.contains(token) && run.stdout.contains("[REDACTED]"), "\(run.stdout)")
        }
        let clear = try TestSupport.run(["stats", "--db", directory + "/store.sqlite", "--no-redact"], currentDirectory: directory)
        #expect(clear.stdout.contains(token))
    }

    @Test("hostile strings: ANSI escapes never reach a terminal, and report and drift Markdown keep their tables")
    func hostileStrings() throws {
        let escape = "\u{1B}"
        let command = "sudo rm -rf /srv/x \(escape)[2J\(escape)]8;;https://evil.example\u{07}click\(escape)]8;;\u{07} | col | <script>alert(1)</script> ``` \u{9B}31m"
        let line = Self.json(["schema": "harness-v1", "ts": "2026-11-03T10:00:00Z", "session_id": "s-\(escape)[31mred|x", "seq": 1,
                              "agent": "agent|<b>", "repo": "acme/`x`|y", "kind": "tool_call", "tool": "shell", "call_id": "c1", "input": ["command": command]])
        let (database, directory) = try CheckTestSupport.store([line])
        defer { TestSupport.cleanup(directory) }
        for arguments in [["check"], ["check", "--color", "always"], ["drift", "--period", "2026-11"], ["stats"], ["baseline", "suggest", "--period", "2026-11", "-o", "-"]] {
            let run = try TestSupport.run(arguments + ["--db", database], currentDirectory: directory)
            let text = run.stdout + run.stderr
            #expect(text.contains("rm -rf") || arguments[0] != "check", "\(arguments): the hostile command is shown")
            // Colour codes are the tool's own (ESC [ digits m); nothing else from a log reaches the terminal.
            let foreign = text.unicodeScalars.enumerated().filter { offset, scalar in
                (scalar.value < 0x20 && scalar != "\n" && scalar != "\t" && scalar.value != 0x1B) || (0x80...0x9F).contains(scalar.value)
            }
            #expect(foreign.isEmpty, "\(arguments): control characters \(foreign.map(\.element.value))")
            #expect(!text.contains("\(escape)]8") && !text.contains("\(escape)[2J"), "\(arguments): an escape sequence from the log")
        }
        let drift = try TestSupport.run(["drift", "--db", database, "--period", "2026-11", "--format", "markdown"], currentDirectory: directory)
        #expect(!drift.stdout.contains("<script>") && !drift.stdout.contains("<b>"))
        for row in drift.stdout.split(separator: "\n") where row.hasPrefix("| ") && !row.hasPrefix("|---") {
            #expect(ReportTests.unescapedPipes(String(row)) >= 5, "a row keeps its cells: \(row)")
        }
    }
}

