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

    static func launch(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestSupport.binaryPath)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["HARNESS_AUDIT_DB"] = nil
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
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
            try Self.launch(["ingest", "--quiet", "--db", store] + (0..<6).map { files[(worker * 3 + $0) % files.count] })
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
        #expect(ingests.allSatisfy { $0.terminationStatus == 0 }, "\(ingests.map(\.terminationStatus))")
        #expect(readers.count >= 4 && readers.allSatisfy { $0.1 == 0 })
        let actual = Self.counts(try TestSupport.statistics(store))
        #expect(actual == expected, "\(actual.filter { !expected.contains($0) }) instead of \(expected.filter { !actual.contains($0) })")
        try Self.expectConsistent(store, "after four concurrent ingests")
    }
}
