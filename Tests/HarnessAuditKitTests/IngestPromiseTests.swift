import Foundation
import Testing
@testable import HarnessAuditKit

/// DESIGN §6 promises, one fixture per promise, named after what it proves.
@Suite("Ingest promises", .serialized)
struct IngestPromiseTests {
    /// Ingests one fixture into a fresh store and returns the summary and the store statistics.
    func ingestFixture(_ name: String) throws -> (IngestSummary, StoreStatistics, String) {
        let dir = TestSupport.temporaryDirectory(name)
        let db = dir + "/store.sqlite"
        let summary = try TestSupport.ingest([TestSupport.fixture("promises/" + name)], database: db)
        return (summary, try TestSupport.statistics(db), dir)
    }

    func rejectionReasons(_ db: String) throws -> [String] {
        try TestSupport.query(db, "SELECT reason FROM rejected ORDER BY line").compactMap { $0[0].text }
    }

    @Test("truncated gzip: the lines before the cut are kept, the cut line is rejected, the source is partial")
    func truncatedGzip() throws {
        let (summary, stats, dir) = try ingestFixture("truncated_gzip.jsonl.gz")
        defer { TestSupport.cleanup(dir) }
        let source = try #require(summary.sources.first)
        #expect(source.status == .partial)
        #expect(source.problem?.contains("truncated gzip stream") == true)
        #expect(source.eventsAdded > 50)
        #expect(stats.sources[0].state == "partial")
        #expect(stats.accountingHolds)
        #expect(try rejectionReasons(dir + "/store.sqlite") == [LineRejection.truncated])
    }

    @Test("a .gz that is not gzip is read as plain text (content decides, not the name)")
    func notGzipDespiteName() throws {
        let (summary, stats, dir) = try ingestFixture("not_gzip_despite_name.jsonl.gz")
        defer { TestSupport.cleanup(dir) }
        #expect(summary.eventsAdded == 10)
        #expect(stats.sources[0].compression == "none")
        #expect(stats.sources[0].state == "complete")
    }

    @Test("binary garbage named .gz: every line is rejected with a reason, nothing crashes, accounting holds")
    func binaryGarbage() throws {
        let (summary, stats, dir) = try ingestFixture("binary_garbage_named.jsonl.gz")
        defer { TestSupport.cleanup(dir) }
        #expect(summary.eventsAdded == 0)
        #expect(stats.rejectedLines + stats.blankLines == stats.lines)
        #expect(stats.accountingHolds)
        #expect(stats.rejectedLines > 0)
    }

    @Test("invalid UTF-8: that line is rejected as invalid UTF-8, its neighbours are kept")
    func invalidUTF8() throws {
        let (summary, stats, dir) = try ingestFixture("invalid_utf8.jsonl")
        defer { TestSupport.cleanup(dir) }
        #expect(summary.eventsAdded == 2)
        #expect(try rejectionReasons(dir + "/store.sqlite") == [LineRejection.invalidUTF8])
        let samples = summary.sources[0].rejectionSamples
        #expect(samples.first?.line == 2)
        #expect(stats.accountingHolds)
    }

    @Test("invalid JSON, arrays and bare strings are rejected with their reasons and line numbers")
    func invalidJSON() throws {
        let (summary, _, dir) = try ingestFixture("invalid_json.jsonl")
        defer { TestSupport.cleanup(dir) }
        #expect(summary.eventsAdded == 2)
        let rows = try TestSupport.query(dir + "/store.sqlite", "SELECT line, reason, detail FROM rejected ORDER BY line")
        #expect(rows.map { $0[0].int64 } == [2, 3, 4])
        #expect(rows.map { $0[1].text } == [LineRejection.invalidJSON, LineRejection.notObject, LineRejection.notObject])
        #expect(rows[0][2].text == "invalid JSON at byte 56: unexpected ',', expecting an object key string")
    }

    @Test("NUL bytes inside a line: rejected, never truncating the line silently")
    func nulBytes() throws {
        let (summary, stats, dir) = try ingestFixture("nul_bytes.jsonl")
        defer { TestSupport.cleanup(dir) }
        #expect(summary.eventsAdded == 1)
        #expect(stats.rejectedLines == 1)
    }

    @Test("an empty file is a complete source with zero lines")
    func emptyFile() throws {
        let (summary, stats, dir) = try ingestFixture("empty_file.jsonl")
        defer { TestSupport.cleanup(dir) }
        #expect(summary.sources.first?.status == .complete)
        #expect(stats.sources.first?.lines == 0)
    }

    @Test("multi-member gzip (cat a.gz b.gz), with an empty member, and zero padding: all lines read")
    func multiMember() throws {
        for name in ["multi_member.jsonl.gz", "multi_member_with_empty_member.jsonl.gz"] {
            let (summary, stats, dir) = try ingestFixture(name)
            defer { TestSupport.cleanup(dir) }
            #expect(summary.eventsAdded == 10, "\(name)")
            #expect(stats.sources[0].state == "complete", "\(name)")
        }
        let (summary, stats, dir) = try ingestFixture("zero_padding_after_gzip.jsonl.gz")
        defer { TestSupport.cleanup(dir) }
        #expect(summary.eventsAdded == 5)
        #expect(stats.sources[0].state == "complete")
    }

    @Test("zstd, recognised by its first bytes: several frames read whole; a frame cut short keeps the frames before it, and the source is partial")
    func zstd() throws {
        let (summary, stats, dir) = try ingestFixture("multi_frame.jsonl.zst")
        defer { TestSupport.cleanup(dir) }
        #expect(summary.eventsAdded == 10)
        #expect(stats.sources[0].state == "complete" && stats.sources[0].compression == "zstd")
        let (cut, cutStats, cutDir) = try ingestFixture("truncated_zstd.jsonl.zst")
        defer { TestSupport.cleanup(cutDir) }
        let source = try #require(cut.sources.first)
        #expect(source.status == .partial)
        #expect(source.problem?.contains("truncated zstd stream") == true)
        #expect(source.eventsAdded == 10, "the two whole frames")
        #expect(cutStats.accountingHolds)
        #expect(cut.unreadableSources.isEmpty)
    }

    @Test("a compressed file cut before its first line ended could not be read at all: the ingest says so and exits 3")
    func cutBeforeFirstLine() throws {
        let dir = TestSupport.temporaryDirectory("cut-first")
        defer { TestSupport.cleanup(dir) }
        let data = try Data(contentsOf: URL(fileURLWithPath: TestSupport.fixture("promises/multi_member.jsonl.gz")))
        try data.prefix(30).write(to: URL(fileURLWithPath: dir + "/host2.jsonl.gz"))
        let summary = try TestSupport.ingest([dir + "/host2.jsonl.gz"], database: dir + "/s.sqlite")
        #expect(summary.unreadableSources.map(\.path) == [dir + "/host2.jsonl.gz"])
        #expect(summary.unreadableSources.first?.unreadableMessage.contains("truncated gzip stream") == true)
        let run = try TestSupport.run(["ingest", "--quiet", "--db", dir + "/t.sqlite", dir + "/host2.jsonl.gz"])
        #expect(run.status == 3)
        #expect(run.stderr.contains("no line could be read (truncated gzip stream"))
    }

    @Test("trailing garbage after a gzip member: the member's lines are kept and the garbage is reported")
    func trailingGarbage() throws {
        let (summary, stats, dir) = try ingestFixture("trailing_garbage_after_gzip.jsonl.gz")
        defer { TestSupport.cleanup(dir) }
        #expect(summary.eventsAdded == 5)
        #expect(stats.sources[0].state == "partial")
        #expect(stats.sources[0].problem?.contains("is not gzip") == true)
    }

    @Test("CRLF line ends, no final newline, a byte-order mark, blank lines: all handled and counted")
    func lineEnds() throws {
        for name in ["crlf_line_endings.jsonl", "no_final_newline.jsonl", "bom_first_line.jsonl"] {
            let (summary, stats, dir) = try ingestFixture(name)
            defer { TestSupport.cleanup(dir) }
            #expect(summary.eventsAdded == 10, "\(name)")
            #expect(stats.rejectedLines == 0, "\(name)")
        }
        let (summary, stats, dir) = try ingestFixture("blank_and_whitespace_lines.jsonl")
        defer { TestSupport.cleanup(dir) }
        #expect(summary.eventsAdded == 2)
        #expect(stats.blankLines == 3)
        #expect(stats.accountingHolds)
    }

    @Test("a byte-order mark opening a later line (files joined with cat) is skipped as it is on line 1; the raw line keeps it")
    func byteOrderMarkMidFile() throws {
        let dir = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(dir) }
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let first = hv1("s-1", 1, #""kind":"prompt","text":"a""#)
        let second = hv1("s-1", 2, #""kind":"tool_call","tool":"Bash","call_id":"c1","input":{"command":"rm -rf /srv/b"}"#)
        TestSupport.write(bom + Array((first + "\n").utf8) + bom + Array((second + "\n").utf8), to: dir + "/joined.jsonl")
        let summary = try TestSupport.ingest([dir + "/joined.jsonl"], database: dir + "/store.sqlite")
        #expect(summary.eventsAdded == 2 && summary.rejectedLines == 0)
        let rows = try TestSupport.query(dir + "/store.sqlite", "SELECT classes FROM events WHERE line = 2")
        let classes = ActionClasses(rawValue: rows.first.flatMap { $0[0].int64 } ?? 0)
        #expect(classes.contains(.delete))
        let db = try Database(path: dir + "/store.sqlite", access: .readOnly)
        let raw = try RawLines.line(in: db, sourceID: 1, line: 2)
        #expect(raw.map { Array($0.prefix(3)) } == bom)
    }

    @Test("raw lines are kept byte for byte, CR included")
    func rawLinesByteExact() throws {
        let dir = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(dir) }
        let db = dir + "/store.sqlite"
        let path = TestSupport.fixture("promises/crlf_line_endings.jsonl")
        try TestSupport.ingest([path], database: db)
        let original = try Array(Data(contentsOf: URL(fileURLWithPath: path)))
        let store = try Database(path: db, access: .readOnly)
        let lines = try RawLines.lines(in: store, sourceID: 1)
        var rebuilt: [UInt8] = []
        for line in lines { rebuilt += line + [0x0A] }
        #expect(rebuilt == original)
        #expect(try RawLines.line(in: store, sourceID: 1, line: 3) == Array(original.split(separator: 0x0A)[2]))
    }

    @Test("re-ingesting the same file adds nothing; the file is recognised as identical")
    func reingest() throws {
        let dir = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(dir) }
        let db = dir + "/store.sqlite"
        let path = TestSupport.fixture("promises/overlap_base.jsonl.gz")
        let first = try TestSupport.ingest([path], database: db)
        let second = try TestSupport.ingest([path], database: db)
        #expect(first.eventsAdded == 20)
        #expect(second.eventsAdded == 0)
        #expect(second.sources.first?.status == .skippedIdentical)
        #expect(try TestSupport.statistics(db).events == 20)
        #expect(try TestSupport.statistics(db).sources.count == 1)
    }

    @Test("a rotated log found under its new name is recorded there; a copy beside the original changes nothing")
    func rotatedLog() throws {
        let dir = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(dir) }
        let db = dir + "/store.sqlite"
        let live = dir + "/hooks.jsonl", rotated = dir + "/hooks.jsonl.1", copy = dir + "/copy.jsonl"
        let first = hv1Bash("s-1", 1, "c-1", "rm -rf /srv/app/old"), second = hv1Bash("s-1", 9, "c-2", "ls")
        TestSupport.write(first.joined(separator: "\n") + "\n", to: live)
        try TestSupport.ingest([live], database: db)
        // A copy while the original is still in place: the source keeps its name.
        TestSupport.write(first.joined(separator: "\n") + "\n", to: copy)
        try TestSupport.ingest([copy], database: db)
        #expect(try TestSupport.statistics(db).sources.map(\.path) == [live])
        // Rotated: the old lines are now in hooks.jsonl.1, and hooks.jsonl holds new ones.
        #expect(rename(live, rotated) == 0)
        TestSupport.write(second.joined(separator: "\n") + "\n", to: live)
        let run = try TestSupport.ingest([rotated, live], database: db)
        #expect(run.sources.first?.status == .skippedIdentical && run.eventsAdded == 2)
        #expect(try TestSupport.statistics(db).sources.map(\.path).sorted() == [live, rotated])
    }

    @Test("an overlapping copy (different file, half the same lines) adds only the new lines")
    func overlappingCopy() throws {
        let dir = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(dir) }
        let db = dir + "/store.sqlite"
        try TestSupport.ingest([TestSupport.fixture("promises/overlap_base.jsonl.gz")], database: db)
        let second = try TestSupport.ingest([TestSupport.fixture("promises/overlap_copy_with_new_lines.jsonl")], database: db)
        #expect(second.eventsAdded == 10)
        #expect(second.eventsDuplicate == 10)
        let stats = try TestSupport.statistics(db)
        #expect(stats.events == 30)
        #expect(stats.accountingHolds)
        let again = try TestSupport.ingest([TestSupport.fixture("promises/overlap_copy_with_new_lines.jsonl"),
                                            TestSupport.fixture("promises/overlap_base.jsonl.gz")], database: db)
        #expect(again.eventsAdded == 0)
    }

    /// Copies of fixtures that start with a blank line: other files (not skipped as identical), the same events.
    func copiesWithBlankFirstLine(_ fixtures: [String], in dir: String) -> [String] {
        fixtures.enumerated().map { index, fixture in
            let copy = dir + "/copy-\(index).jsonl"
            TestSupport.write("\n" + TestSupport.lines(ofFixture: fixture).joined(separator: "\n") + "\n", to: copy)
            return copy
        }
    }

    @Test("a copy of dated, undated and Kubernetes logs at another path adds nothing")
    func undatedCopy() throws {
        let dir = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(dir) }
        let db = dir + "/store.sqlite"
        let fixtures = ["formats/claude_hook_every_event.jsonl", "formats/k8s_audit_variants.jsonl", "formats/harness_v1_variants.jsonl"]
        let first = try TestSupport.ingest(fixtures.map(TestSupport.fixture), database: db)
        let undated = try TestSupport.query(db, "SELECT count(*) FROM events WHERE ts IS NULL").first?.first?.int64 ?? 0
        let dated = try TestSupport.query(db, "SELECT count(*) FROM events WHERE ts IS NOT NULL").first?.first?.int64 ?? 0
        #expect(undated > 0 && dated > 0)
        let copies = copiesWithBlankFirstLine(fixtures, in: dir)
        let second = try TestSupport.ingest(copies, database: db)
        #expect(second.eventsAdded == 0)
        #expect(second.eventsDuplicate == first.eventsAdded + first.eventsDuplicate)
        #expect(try TestSupport.statistics(db).events == first.eventsAdded)
    }

    @Test("identical undated hook lines in one file are events of their own; a copy, or one with a line before them, adds nothing")
    func identicalUndatedLines() throws {
        let dir = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(dir) }
        let db = dir + "/store.sqlite"
        let common = #""session_id":"s-23","cwd":"/home/alice/app","permission_mode":"default","tool_name":"Bash","tool_input":{"command":"rm -rf dist"}"#
        let lines = (1...2).flatMap { call in [
            #"{\#(common),"hook_event_name":"PreToolUse","tool_use_id":"toolu_\#(call)"}"#,
            #"{\#(common),"hook_event_name":"PermissionRequest"}"#,
            #"{\#(common),"hook_event_name":"PostToolUse","tool_use_id":"toolu_\#(call)","tool_response":{"stdout":""}}"#,
        ] }
        TestSupport.write(lines.joined(separator: "\n") + "\n", to: dir + "/hooks.jsonl")
        let first = try TestSupport.ingest([dir + "/hooks.jsonl"], database: db)
        #expect(first.eventsAdded == 6 && first.eventsDuplicate == 0, "two dialogs for the same command, one per call")
        let asked = try TestSupport.query(db, "SELECT call_id FROM events_v WHERE kind = 'permission_request' ORDER BY call_id")
        #expect(asked.map { $0[0].text } == ["toolu_1", "toolu_2"])
        TestSupport.write(#"{\#(common),"hook_event_name":"UserPromptSubmit","prompt":"go"}"# + "\n" + lines.joined(separator: "\n") + "\n",
                          to: dir + "/copy.jsonl")
        let copy = try TestSupport.ingest([dir + "/copy.jsonl"], database: db)
        #expect(copy.eventsAdded == 1 && copy.eventsDuplicate == 6)
        // However many other lines come between them.
        let prompts = (0..<25_000).map { #"{"session_id":"s-23","cwd":"/home/alice/app","hook_event_name":"UserPromptSubmit","prompt":"p\#($0)"}"# }
        TestSupport.write(([lines[1]] + prompts + [lines[1]]).joined(separator: "\n") + "\n", to: dir + "/long.jsonl")
        let long = try TestSupport.ingest([dir + "/long.jsonl"], database: dir + "/long.sqlite")
        #expect(long.eventsAdded == 25_002 && long.eventsDuplicate == 0)
    }

    @Test("a Kubernetes audit event stored once though a copy lost its stage time (the key is the audit ID, the stage and the request)")
    func k8sCopyWithoutStageTime() throws {
        let dir = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(dir) }
        let db = dir + "/store.sqlite"
        let lines = TestSupport.lines(ofFixture: "formats/k8s_audit_variants.jsonl")
        let first = try TestSupport.ingest([TestSupport.fixture("formats/k8s_audit_variants.jsonl")], database: db)
        #expect(first.eventsAdded > 0)
        // Another shipper's copy: no stageTimestamp (its time falls back to the request's), or no time at all.
        let copy = dir + "/copy.jsonl"
        let withoutStage = lines.map { $0.replacingOccurrences(of: #""stageTimestamp":"[^"]*","#, with: "", options: .regularExpression) }
        let withoutAny = withoutStage.map { $0.replacingOccurrences(of: #""requestReceivedTimestamp":"[^"]*","#, with: "",
                                                                       options: .regularExpression) }
        #expect(withoutStage != lines && withoutAny != withoutStage)
        TestSupport.write((withoutStage + withoutAny).joined(separator: "\n") + "\n", to: copy)
        let second = try TestSupport.ingest([copy], database: db)
        #expect(second.eventsAdded == 0)
        #expect(try TestSupport.statistics(db).events == first.eventsAdded)
    }

    @Test("a claim given back by a run that stopped before reading the file: a new source goes, a resumed one is left partial")
    func releasedClaims() throws {
        let dir = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(dir) }
        let db = dir + "/store.sqlite"
        let store = try Ingestor.openStore(path: db)
        let planner = SourcePlanner(db: store)
        func plan(_ path: String) throws -> SourceStart? {
            let size = Int64(try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int)
            let plan = try planner.plan(
                displayPath: path, size: size, mtime: 0,
                prefixHash: { (length) throws(HarnessAuditError) -> String in
                    try SourceReader.prefixHash(path: path, displayPath: path, length: Int(length))
                },
                fullSHA256: { () throws(HarnessAuditError) -> String in try SourceReader.sha256(path: path, displayPath: path) })
            if case .ingest(let start) = plan { return start }
            return nil
        }
        func states() throws -> [String] {
            try TestSupport.query(db, "SELECT state || '/' || coalesce(owner, '-') FROM sources ORDER BY id").compactMap { $0.first?.text }
        }
        // A new source, claimed and given back: gone.
        let fresh = dir + "/fresh.jsonl"
        TestSupport.write(TestSupport.lines(ofFixture: "formats/harness_v1_variants.jsonl").joined(separator: "\n") + "\n", to: fresh)
        let claimed = try #require(try plan(fresh))
        #expect(try states().count == 1)
        try planner.release(claimed)
        #expect(try states().isEmpty)
        // A source another machine's run left behind, claimed to resume and given back: partial, unowned, lines kept.
        try TestSupport.ingest([fresh], database: db)
        try Database(path: db, access: .readWrite).execute(
            "UPDATE sources SET state = 'ingesting', owner = 'elsewhere:1', heartbeat = 0, sha256 = NULL")
        let resumed = try #require(try plan(fresh))
        #expect(resumed.resumed)
        #expect(try states() == ["ingesting/" + planner.owner])
        try planner.release(resumed)
        #expect(try states() == ["partial/-"])
        let again = try TestSupport.ingest([fresh], database: db)
        #expect(again.eventsAdded == 0)
        #expect(try states() == ["complete/-"])
    }

    @Test("a store written before the classes index changed is upgraded in place, and its events still count as ingested")
    func upgradeClassesIndex() throws {
        let dir = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(dir) }
        let db = dir + "/store.sqlite"
        let fixtures = ["formats/claude_hook_every_event.jsonl", "formats/harness_v1_variants.jsonl"]
        let first = try TestSupport.ingest(fixtures.map(TestSupport.fixture), database: db)
        // Put the store back as the previous version left it: the classes index with the session, no record of the migration.
        do {
            let old = try Database(path: db, access: .readWrite)
            try old.execute("""
                DROP INDEX events_classes; CREATE INDEX events_classes ON events(classes, session_id) WHERE classes <> 0;
                DELETE FROM schema_migrations WHERE name = '0004_classes_index'
                """)
        }
        #expect(throws: HarnessAuditError.self) { try StoreStatistics.load(path: db) }
        let second = try TestSupport.ingest(copiesWithBlankFirstLine(fixtures, in: dir), database: db)
        #expect(second.eventsAdded == 0)
        let indexes = try TestSupport.query(db, "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'events' ORDER BY 1")
            .compactMap { $0.first?.text }
        #expect(indexes == ["events_classes", "events_key", "events_session_ts"])
        let columns = try TestSupport.query(db, "SELECT group_concat(name) FROM pragma_index_info('events_classes')")
        #expect(columns.first?.first?.text == "classes")
        #expect(try TestSupport.statistics(db).events == first.eventsAdded)
    }

    @Test("a 50 MB line is ingested; a line over the limit is rejected as too long without being buffered")
    func hugeLines() throws {
        let dir = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(dir) }
        let path = dir + "/fifty_megabyte_line.jsonl"
        let big = String(repeating: "x", count: 50 << 20)
        let line = "{\"schema\":\"harness-v1\",\"ts\":\"2026-11-02T10:00:00Z\",\"session_id\":\"s-big\",\"kind\":\"tool_result\",\"output\":\"\(big)\"}"
        TestSupport.write(line + "\n" + line.replacingAll("s-big", with: "s-big-2") + "\n", to: path)
        let accepted = try TestSupport.ingest([path], database: dir + "/a.sqlite")
        #expect(accepted.eventsAdded == 2)
        let limited = try TestSupport.ingest([path], database: dir + "/b.sqlite", maximumLineBytes: 8 << 20)
        #expect(limited.eventsAdded == 0)
        #expect(limited.rejectedLines == 2)
        let rows = try TestSupport.query(dir + "/b.sqlite", "SELECT reason, raw_length, raw_truncated, length(raw) FROM rejected")
        #expect(rows.first?[0].text == LineRejection.tooLong)
        #expect(rows.first?[1].int64 == Int64(line.utf8.count))
        #expect(rows.first?[2].int64 == 1)
        #expect((rows.first?[3].int64 ?? 0) <= 1 << 20)
    }

    @Test("10,000-deep nesting is rejected with a reason, never a crash")
    func deepNesting() throws {
        let dir = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(dir) }
        let path = dir + "/ten_thousand_deep.jsonl"
        let deep = "{\"schema\":\"harness-v1\",\"ts\":\"2026-11-02T10:00:00Z\",\"session_id\":\"s\",\"kind\":\"prompt\",\"x\":"
            + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + "}"
        TestSupport.write(deep + "\n", to: path)
        let summary = try TestSupport.ingest([path], database: dir + "/store.sqlite")
        #expect(summary.rejectedLines == 1)
        #expect(summary.sources[0].rejectionSamples.first?.reason == LineRejection.tooDeep)
    }

    @Test("a killed ingest leaves a consistent store, and running it again completes the job")
    func killedIngestResumes() throws {
        let dir = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(dir) }
        let path = dir + "/large.jsonl"
        var text = ""
        for i in 0..<400_000 {
            text += "{\"schema\":\"harness-v1\",\"ts\":\"2026-11-02T10:00:00Z\",\"seq\":\(i),\"session_id\":\"s-\(i / 1000)\",\"kind\":\"tool_call\",\"tool\":\"shell\",\"input\":{\"command\":\"echo \(i)\"}}\n"
            if i % 5000 == 4999 { text += "not json \(i)\n" }
        }
        TestSupport.write(text, to: path)
        let killed = dir + "/killed.sqlite"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestSupport.binaryPath)
        process.arguments = ["ingest", "--quiet", "--db", killed, path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait until some batches are committed, then kill -9.
        var waited = 0
        while waited < 200 {
            usleep(20_000)
            waited += 1
            if let rows = try? TestSupport.query(killed, "SELECT lines FROM sources"), let lines = rows.first?[0].int64,
               lines > 20_000 { break }
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let mid = try TestSupport.statistics(killed)
        #expect(mid.accountingHolds, "consistent after the kill")
        #expect(mid.lines < 404_000, "the kill landed before the end")
        let resumed = try TestSupport.ingest([path], database: killed)
        #expect(resumed.sources.first?.resumedAfterLine == mid.lines)
        let reference = try TestSupport.ingest([path], database: dir + "/reference.sqlite")
        let after = try TestSupport.statistics(killed)
        let expected = try TestSupport.statistics(dir + "/reference.sqlite")
        #expect(after.events == expected.events)
        #expect(after.lines == expected.lines)
        #expect(after.rejectedLines == expected.rejectedLines)
        #expect(after.sources.count == 1)
        #expect(after.sources[0].state == "complete")
        #expect(after.accountingHolds)
        #expect(reference.eventsAdded == 400_000)
    }

    @Test("a file that grew since it was ingested continues after the stored lines")
    func grownFileContinues() throws {
        let dir = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(dir) }
        let path = dir + "/growing.jsonl"
        func line(_ i: Int) -> String {
            "{\"schema\":\"harness-v1\",\"ts\":\"2026-11-02T10:00:00Z\",\"seq\":\(i),\"session_id\":\"s\",\"kind\":\"prompt\"}"
        }
        // The last line is half-written when first ingested.
        TestSupport.write((0..<5).map(line).joined(separator: "\n") + "\n" + String(line(5).prefix(30)), to: path)
        let first = try TestSupport.ingest([path], database: dir + "/store.sqlite")
        #expect(first.eventsAdded == 5)
        #expect(first.rejectedLines == 1)
        // Named for what it is: a line cut where the file ends, perhaps still being written.
        let rejected = try TestSupport.query(dir + "/store.sqlite", "SELECT reason, detail FROM rejected")
        #expect(rejected.first?[0].text == "truncated line")
        #expect(rejected.first?[1].text?.contains("may still be being written") == true, "\(rejected)")
        TestSupport.write((0..<8).map(line).joined(separator: "\n") + "\n", to: path)
        let second = try TestSupport.ingest([path], database: dir + "/store.sqlite")
        #expect(second.eventsAdded == 3)
        #expect(second.sources.map(\.earlierRejectedLines) == [0], "the half-written line, read again, is no earlier rejection (--strict)")
        let stats = try TestSupport.statistics(dir + "/store.sqlite")
        #expect(stats.sources.count == 1)
        #expect(stats.events == 8)
        #expect(stats.lines == 8)
        #expect(stats.rejectedLines == 0, "the half-written line was read again once complete")
        #expect(stats.accountingHolds)
    }

    @Test("a Codex rollout named otherwise that grew keeps its session for the new lines; a copy read later adds nothing",
          arguments: [2, 12])
    func grownRolloutKeepsSession(firstLines: Int) throws {
        let dir = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(dir) }
        let path = dir + "/codex-ci-runner.jsonl"
        let meta = #"{"timestamp":"2026-11-02T11:00:00.000Z","type":"session_meta","payload":{"id":"019ef1a2-66c1-72a1-b1c7-14cac28a1234","timestamp":"2026-11-02T11:00:00.000Z","cwd":"/home/ci/app","originator":"codex_exec","cli_version":"0.150.1"}}"#
        let turn = #"{"timestamp":"2026-11-02T11:00:00.100Z","type":"turn_context","payload":{"cwd":"/home/ci/app","approval_policy":"never","sandbox_policy":{"type":"danger-full-access"},"model":"gpt-5-codex"}}"#
        func call(_ i: Int) -> [String] {
            [#"{"timestamp":"2026-11-02T11:01:\#(String(format: "%02d", i)).000Z","type":"response_item","payload":{"type":"function_call","name":"exec_command","arguments":"{\"cmd\":\"ls \#(i)\",\"workdir\":\"/home/ci/app\"}","call_id":"call_\#(i)"}}"#,
             #"{"timestamp":"2026-11-02T11:01:\#(String(format: "%02d", i)).500Z","type":"response_item","payload":{"type":"function_call_output","call_id":"call_\#(i)","output":"ok"}}"#]
        }
        let lines = [meta, turn] + (0..<10).flatMap(call)
        TestSupport.write(lines.prefix(firstLines).joined(separator: "\n") + "\n", to: path)
        let database = dir + "/store.sqlite"
        _ = try TestSupport.ingest([path], database: database)
        TestSupport.write(lines.joined(separator: "\n") + "\n", to: path)
        let grown = try TestSupport.ingest([path], database: database)
        #expect(grown.sources.first?.resumedAfterLine == Int64(firstLines))
        let db = try Database(path: database, access: .readOnly)
        #expect(try db.rows("SELECT DISTINCT s.name FROM events e JOIN sessions s ON s.id = e.session_id").map { $0[0].text }
                == ["019ef1a2-66c1-72a1-b1c7-14cac28a1234"])
        // The same lines again, with a blank line more (not the same file): all already stored.
        let copy = dir + "/copy.jsonl"
        TestSupport.write(lines.joined(separator: "\n") + "\n\n", to: copy)
        let again = try TestSupport.ingest([copy], database: database)
        #expect(again.eventsAdded == 0 && again.eventsDuplicate == Int64(lines.count))
    }

    @Test("a resumed Codex rollout keeps the policy of its last turn_context before the new lines, however far in")
    func grownRolloutKeepsLatePolicy() throws {
        let dir = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(dir) }
        let path = dir + "/codex-ci-runner.jsonl"
        func turn(_ second: Int, _ approval: String, _ sandbox: String) -> String {
            #"{"timestamp":"2026-11-02T11:00:\#(String(format: "%02d", second)).100Z","type":"turn_context","payload":{"cwd":"/home/ci/app","approval_policy":"\#(approval)","sandbox_policy":{"type":"\#(sandbox)"},"model":"gpt-5-codex"}}"#
        }
        func call(_ i: Int) -> [String] {
            [#"{"timestamp":"2026-11-02T11:01:\#(String(format: "%02d", i)).000Z","type":"response_item","payload":{"type":"function_call","name":"exec_command","arguments":"{\"cmd\":\"ls \#(i)\",\"workdir\":\"/home/ci/app\"}","call_id":"call_\#(i)"}}"#,
             #"{"timestamp":"2026-11-02T11:01:\#(String(format: "%02d", i)).500Z","type":"response_item","payload":{"type":"function_call_output","call_id":"call_\#(i)","output":"ok"}}"#]
        }
        let meta = #"{"timestamp":"2026-11-02T11:00:00.000Z","type":"session_meta","payload":{"id":"019ef1a2-66c1-72a1-b1c7-14cac28a1234","cwd":"/home/ci/app"}}"#
        let before = [meta, turn(1, "on-request", "workspace-write")] + (0..<10).flatMap(call) + [turn(30, "never", "danger-full-access")] + call(30)
        TestSupport.write(before.joined(separator: "\n") + "\n", to: path)
        let database = dir + "/store.sqlite"
        _ = try TestSupport.ingest([path], database: database)
        TestSupport.write((before + call(40)).joined(separator: "\n") + "\n", to: path)
        let grown = try TestSupport.ingest([path], database: database)
        #expect(grown.sources.first?.resumedAfterLine == Int64(before.count) && grown.eventsAdded == 2)
        let db = try Database(path: database, access: .readOnly)
        let policies = try db.rows("""
            SELECT p.approval_policy, p.sandbox FROM events e JOIN policies p ON p.id = e.policy_id WHERE e.line > ?
            """, [.integer(Int64(before.count))])
        #expect(!policies.isEmpty && policies.allSatisfy { $0[0].text == "never" && $0[1].text == "danger-full-access" }, "\(policies)")
    }

    @Test("an unreadable path is reported and the other inputs are still ingested")
    func unreadablePath() throws {
        let dir = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(dir) }
        let summary = try TestSupport.ingest([dir + "/does-not-exist.jsonl", TestSupport.fixture("promises/multi_member.jsonl.gz")],
                                             database: dir + "/store.sqlite")
        #expect(summary.problems.count == 1)
        #expect(summary.problems[0].reason.contains("No such file"))
        #expect(summary.eventsAdded == 10)
    }

    @Test("a directory's rotated logs are read as logrotate names them; other files are left")
    func rotatedNames() {
        for name in ["audit.log", "audit.log.1", "audit.log.2.gz", "audit.log-20261201", "audit.log-20261201.gz", "ops.jsonl.3",
                     "events.JSONL.gz", "kube-apiserver-audit-2026-12-01T10-00-00.000.log", "audit.log.1.zst", "rollout.jsonl.zst"] {
            #expect(InputDiscovery.matchesExtension(name), "\(name)")
        }
        for name in ["README.md", ".DS_Store", "notes.txt", "audit.log-2026", "audit.1", ".log", "data.json.bak", "log.12x", "notes.zst"] {
            #expect(!InputDiscovery.matchesExtension(name), "\(name)")
        }
    }

    @Test("a directory's files are read by name, a log's rotations oldest first and the live file last")
    func rotationOrder() throws {
        let dir = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(dir) }
        let names = ["hooks.jsonl", "hooks.jsonl.1.gz", "hooks.jsonl.10", "hooks.jsonl.2", "audit.log-20261202", "audit.log-20261201.gz",
                     "audit.log", "a.jsonl", "audit.log.zst"]
        for name in names { FileManager.default.createFile(atPath: dir + "/" + name, contents: Data()) }
        let order = InputDiscovery.expand([dir]).items.map { $0.displayPath.split(separator: "/").last.map(String.init) ?? "" }
        #expect(order == ["a.jsonl", "audit.log-20261201.gz", "audit.log-20261202", "audit.log", "audit.log.zst",
                          "hooks.jsonl.10", "hooks.jsonl.2", "hooks.jsonl.1.gz", "hooks.jsonl"])
        // Named one by one, as `hooks.jsonl*` expands: the rotations of one log oldest first, in the places given.
        let named = ["hooks.jsonl", "a.jsonl", "hooks.jsonl.1.gz", "hooks.jsonl.2"].map { dir + "/" + $0 }
        let given = InputDiscovery.expand(named).items.map { $0.displayPath.split(separator: "/").last.map(String.init) ?? "" }
        #expect(given == ["hooks.jsonl.2", "a.jsonl", "hooks.jsonl.1.gz", "hooks.jsonl"])
    }

    @Test("a permission mode loosened in the live hook log, after its rotation's lines, is found when the directory is given")
    func rotatedHookLogsInOrder() throws {
        let dir = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(dir) }
        func line(_ mode: String, _ event: String, _ id: String, _ command: String) -> String {
            #"{"session_id":"ee000000-0000-4000-8000-000000000001","transcript_path":"/home/alice/.claude/projects/app/ee.jsonl","cwd":"/home/alice/app","permission_mode":"\#(mode)","hook_event_name":"\#(event)","tool_name":"Bash","tool_input":{"command":"\#(command)"},"tool_use_id":"\#(id)"}"#
        }
        try FileManager.default.createDirectory(atPath: dir + "/logs", withIntermediateDirectories: true)
        TestSupport.write([line("default", "PreToolUse", "toolu_01", "npm test"), line("default", "PostToolUse", "toolu_01", "npm test"), ""]
                            .joined(separator: "\n"), to: dir + "/logs/hooks.jsonl.1")
        TestSupport.write([line("bypassPermissions", "PreToolUse", "toolu_02", "git push origin main"),
                           line("bypassPermissions", "PostToolUse", "toolu_02", "git push origin main"), ""].joined(separator: "\n"),
                          to: dir + "/logs/hooks.jsonl")
        try TestSupport.ingest([dir + "/logs"], database: dir + "/store.sqlite")
        let result = try CheckTestSupport.check(dir + "/store.sqlite")
        #expect(result.findings.contains { $0.rule == "mode-loosened-to-bypass" })
    }

    @Test("the same dialog for two calls, in two files of a rotated hook log, is two dialogs; a copy of both adds nothing")
    func repeatedDialogsAcrossFiles() throws {
        let dir = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(dir) }
        func lines(_ id: String) -> String {
            let common = #""session_id":"ee000000-0000-4000-8000-000000000002","transcript_path":"/home/alice/.claude/projects/app/ee.jsonl","cwd":"/home/alice/app","permission_mode":"default","tool_name":"Bash","tool_input":{"command":"rm -rf /srv/cache"}"#
            return [#"{\#(common),"hook_event_name":"PreToolUse","tool_use_id":"\#(id)"}"#,
                    #"{\#(common),"hook_event_name":"PermissionRequest"}"#,
                    #"{\#(common),"hook_event_name":"PostToolUse","tool_use_id":"\#(id)","tool_response":{"stdout":"","stderr":""}}"#, ""]
                .joined(separator: "\n")
        }
        TestSupport.write(lines("toolu_01"), to: dir + "/day1.jsonl")
        TestSupport.write(lines("toolu_02"), to: dir + "/day2.jsonl")
        TestSupport.write(lines("toolu_01") + lines("toolu_02"), to: dir + "/both.jsonl")
        let first = try TestSupport.ingest([dir + "/day1.jsonl", dir + "/day2.jsonl"], database: dir + "/store.sqlite")
        #expect(first.eventsAdded == 6)
        let result = try CheckTestSupport.check(dir + "/store.sqlite")
        #expect(!result.findings.contains { $0.rule == "unconfirmed-delete" }, "\(result.findings.map(\.reason))")
        #expect(try TestSupport.ingest([dir + "/both.jsonl"], database: dir + "/store.sqlite").eventsAdded == 0)
    }

    @Test("the database file is created with mode 0600")
    func databaseMode() throws {
        let dir = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(dir) }
        try TestSupport.ingest([TestSupport.fixture("promises/multi_member.jsonl.gz")], database: dir + "/store.sqlite")
        let attributes = try FileManager.default.attributesOfItem(atPath: dir + "/store.sqlite")
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }

    @Test("commands built to confuse classification never crash ingest (regression: PowerShell cmdlet recursion)")
    func hostileCommandsDoNotCrashIngest() throws {
        let dir = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(dir) }
        let commands = ["Get-Date", "Get-ChildItem env:", "pwsh -c Get-ChildItem", "Set-Location C:\\repo; npm test",
                        String(repeating: "bash -c ", count: 40) + "x", String(repeating: "$(", count: 200),
                        "powershell -enc " + String(repeating: "A", count: 4000), "eval $(eval $(eval $(echo x)))",
                        "{rm,-rf,/}", String(repeating: "| ", count: 5000)]
        var text = ""
        for (index, command) in commands.enumerated() {
            text += "{\"schema\":\"harness-v1\",\"ts\":\"2026-11-02T10:00:0\(index)Z\",\"session_id\":\"s\",\"kind\":\"tool_call\","
            text += "\"tool\":\"Bash\",\"input\":{\"command\":\(JSONWriter.quoted(command))}}\n"
            text += "{\"schema\":\"harness-v1\",\"ts\":\"2026-11-02T10:01:0\(index)Z\",\"session_id\":\"s\",\"kind\":\"tool_call\","
            text += "\"tool\":\"PowerShell\",\"input\":{\"command\":\(JSONWriter.quoted(command))}}\n"
        }
        TestSupport.write(text, to: dir + "/hostile.jsonl")
        let run = try TestSupport.run(["ingest", "--db", dir + "/s.sqlite", dir + "/hostile.jsonl"])
        #expect(run.status == 0, "ingest exited \(run.status): \(run.stderr)")
        #expect(try TestSupport.statistics(dir + "/s.sqlite").events == Int64(commands.count * 2))
    }
}
