#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Decides, before a file is read, whether it is new, a continuation of a source stored
/// earlier (a killed ingest, a log that grew), or identical to one already stored; and
/// claims the source row so a concurrent ingester of the same file waits instead of
/// recording it twice.
final class SourcePlanner {
    enum Plan {
        case ingest(SourceStart)
        /// `rejectedLines`, `partial`: what the stored copy holds (an earlier run rejected lines of the same content).
        case identical(existingPath: String, rejectedLines: Int64, partial: Bool)
        /// Another live process is ingesting this file right now.
        case busy
    }

    struct Candidate {
        var id: Int64
        var fingerprint: String?
        var fingerprintLength: Int64
        var path: String
        var size: Int64?
        var sha256: String?
        var state: String
        var lines: Int64
        var rejectedLines: Int64
        var tailOpen: Bool
        var tailOutcome: String?
        var owner: String?
        var heartbeat: Int64?
    }

    let db: Database
    let owner: String
    let host: String

    init(db: Database) {
        self.db = db
        host = SourcePlanner.hostName()
        owner = "\(host):\(getpid())"
    }

    static func hostName() -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let status = buffer.withUnsafeMutableBufferPointer { pointer in
            pointer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: 255) { gethostname($0, 255) }
        }
        guard status == 0 else { return "localhost" }
        let length = buffer.firstIndex(of: 0) ?? buffer.count
        return String(decoding: buffer[..<length], as: UTF8.self)
    }

    private func candidates(where condition: String, _ value: SQLValue) throws(HarnessAuditError) -> [Candidate] {
        let statement = try db.prepare("""
            SELECT id, fingerprint, fingerprint_length, path, size, sha256, state, lines, tail_open, tail_outcome,
                   owner, heartbeat, rejected_lines
            FROM sources WHERE \(condition) ORDER BY id
            """)
        try statement.bind(1, value)
        var out: [Candidate] = []
        while try statement.step() {
            out.append(Candidate(
                id: statement.int64(0)!, fingerprint: statement.text(1), fingerprintLength: statement.int64(2) ?? 0,
                path: statement.text(3) ?? "", size: statement.int64(4), sha256: statement.text(5),
                state: statement.text(6) ?? "", lines: statement.int64(7) ?? 0, rejectedLines: statement.int64(12) ?? 0,
                tailOpen: (statement.int64(8) ?? 0) != 0, tailOutcome: statement.text(9), owner: statement.text(10),
                heartbeat: statement.int64(11)))
        }
        return out
    }

    /// Whether a claim by `owner` is held by a process that is still running.
    func isLive(_ candidate: Candidate) -> Bool {
        guard candidate.state == "ingesting", let claim = candidate.owner, claim != owner else { return false }
        return SourcePlanner.claimIsLive(claim, heartbeat: candidate.heartbeat, host: host)
    }

    /// Whether the process that claimed a source (`host:pid`) still runs: on this machine, by its process id; on
    /// another, by a heartbeat in the last two minutes.
    static func claimIsLive(_ claim: String, heartbeat: Int64?, host: String = SourcePlanner.hostName()) -> Bool {
        let parts = claim.split(separator: ":")
        if parts.count >= 2, String(parts[0]) == host, let pid = Int32(parts[parts.count - 1]) {
            return kill(pid, 0) == 0 || errno == EPERM
        }
        return Clock.nowMillis() - (heartbeat ?? 0) < 120_000
    }

    /// A stored source found again under another name whose old name no longer holds it (a log rotated:
    /// `hooks.jsonl` renamed `hooks.jsonl.1`, a new `hooks.jsonl` begun) is recorded under its new name, so that
    /// evidence and the report's commands name the file that holds those lines. A copy (the old name still holds
    /// the same content) changes nothing.
    private func followMove(_ match: Candidate, to displayPath: String) throws(HarnessAuditError) {
        guard match.path != displayPath, match.path != "-", displayPath != "-" else { return }
        var info = stat()
        if stat(match.path, &info) == 0 && Int64(info.st_size) == match.size {
            guard let stored = match.sha256,
                  let current = try? SourceReader.sha256(path: match.path, displayPath: match.path), current != stored else { return }
        }
        _ = try db.rows("UPDATE sources SET path = ? WHERE id = ?", [.text(displayPath), .integer(match.id)])
    }

    /// Plans a regular file. `prefixHash(n)` hashes the file's first `n` bytes; `fullSHA256`
    /// reads the whole file and is called only when a stored source could be identical.
    func plan(displayPath: String, size: Int64, mtime: Int64,
              prefixHash: (Int64) throws(HarnessAuditError) -> String,
              fullSHA256: () throws(HarnessAuditError) -> String) throws(HarnessAuditError) -> Plan {
        var digest: String?
        func identical(_ candidates: [Candidate]) throws(HarnessAuditError) -> Candidate? {
            let finished = candidates.filter { $0.state != "ingesting" && $0.sha256 != nil }
            guard !finished.isEmpty else { return nil }
            if digest == nil { digest = try fullSHA256() }
            return finished.first { $0.sha256 == digest }
        }
        // Outside the write transaction first (hashing a large file must not hold the lock)…
        if let match = try identical(try candidates(where: "size = ?", .integer(size))) {
            try followMove(match, to: displayPath)
            return .identical(existingPath: match.path, rejectedLines: match.rejectedLines, partial: match.state == "partial")
        }
        let fingerprintLength = min(size, Int64(SourceReader.fingerprintBytes))
        let fingerprint = try prefixHash(fingerprintLength)
        return try db.transaction { () throws(HarnessAuditError) -> Plan in
            // …and again inside it: a concurrent ingest of the same content may have finished in between
            // (without this, two processes given the same file could both record it).
            if let match = try identical(try candidates(where: "size = ?", .integer(size))) {
                return .identical(existingPath: match.path, rejectedLines: match.rejectedLines, partial: match.state == "partial")
            }
            // The same file: same path, and its stored prefix is still the prefix of the file.
            var current: [Candidate] = []
            var hashes: [Int64: String] = [fingerprintLength: fingerprint]
            for candidate in try candidates(where: "path = ?", .text(displayPath)) {
                guard let stored = candidate.fingerprint, candidate.fingerprintLength <= size else { continue }
                let length = candidate.fingerprintLength
                if hashes[length] == nil { hashes[length] = try prefixHash(length) }
                if hashes[length] == stored { current.append(candidate) }
            }
            if current.contains(where: isLive) { return .busy }
            // Continue a source that did not finish, or a complete one whose file has grown.
            if let resumable = current.last(where: {
                $0.state != "complete" || ($0.size ?? 0) < size
            }) {
                var lines = resumable.lines
                if resumable.tailOpen && lines > 0 {
                    lines = try rollBackOpenTail(resumable)
                }
                // A tail line read again that made an event keeps the time of the run that stored it.
                let fromLine = resumable.tailOpen && resumable.tailOutcome == "event" ? resumable.lines + 1 : lines + 1
                try claim(id: resumable.id, size: size, mtime: mtime, fromLine: fromLine)
                // The lines rejected before, less an open tail's rejection rolled back to be read again.
                let rolledBack: Int64 = resumable.tailOpen && resumable.lines > 0 && resumable.tailOutcome == "rejected" ? 1 : 0
                return .ingest(SourceStart(sourceID: resumable.id, displayPath: displayPath, skipLines: lines,
                                           resumed: lines > 0, earlierRejectedLines: lines > 0 ? resumable.rejectedLines - rolledBack : 0))
            }
            let id = try insertSource(path: displayPath, size: size, mtime: mtime, fingerprint: fingerprint,
                                      fingerprintLength: fingerprintLength)
            return .ingest(SourceStart(sourceID: id, displayPath: displayPath, skipLines: 0, resumed: false))
        }
    }

    /// Gives back the claim `plan` took for a source this run will not read after all (the run stopped
    /// first): a source it created, with nothing written, is removed; any other becomes `partial` (lines
    /// are left to read), for the next ingest to resume.
    func release(_ start: SourceStart) throws(HarnessAuditError) {
        try db.transaction { () throws(HarnessAuditError) in
            if !start.resumed {
                let remove = try db.prepare("""
                    DELETE FROM sources WHERE id = ?1 AND owner = ?2 AND state = 'ingesting' AND lines = 0
                      AND NOT EXISTS (SELECT 1 FROM raw_blocks r WHERE r.source_id = ?1)
                    """)
                try remove.bind([.integer(start.sourceID), .text(owner)])
                try remove.run()
                let marks = try db.prepare("DELETE FROM source_marks WHERE source_id = ?1 AND NOT EXISTS (SELECT 1 FROM sources WHERE id = ?1)")
                try marks.bind([.integer(start.sourceID)])
                try marks.run()
            }
            let give = try db.prepare("""
                UPDATE sources SET state = 'partial', owner = NULL, problem = coalesce(problem, 'not read: the ingest stopped first')
                WHERE id = ?1 AND owner = ?2 AND state = 'ingesting'
                """)
            try give.bind([.integer(start.sourceID), .text(owner)])
            try give.run()
        }
    }

    /// Plans standard input: always a new source.
    func planStandardInput(displayPath: String) throws(HarnessAuditError) -> SourceStart {
        let id = try db.transaction { () throws(HarnessAuditError) -> Int64 in
            try insertSource(path: displayPath, size: nil, mtime: nil, fingerprint: nil, fingerprintLength: nil)
        }
        return SourceStart(sourceID: id, displayPath: displayPath, skipLines: 0, resumed: false)
    }

    private func insertSource(path: String, size: Int64?, mtime: Int64?, fingerprint: String?,
                              fingerprintLength: Int64?) throws(HarnessAuditError) -> Int64 {
        let statement = try db.prepare("""
            INSERT INTO sources(path, size, mtime, fingerprint, fingerprint_length, state, owner, heartbeat, started_at)
            VALUES (?, ?, ?, ?, ?, 'ingesting', ?, ?, ?)
            """)
        let now = Clock.nowMillis()
        try statement.bind([.text(path), .optional(size), .optional(mtime), .optional(fingerprint),
                            .optional(fingerprintLength), .text(owner), .integer(now), .integer(now)])
        try statement.run()
        let id = db.lastInsertRowID
        try mark(id, fromLine: 1, time: mtime ?? now)
        return id
    }

    /// Claims a source to continue it from `fromLine`: the lines read from there on are placed at the file's
    /// time now; those read before keep theirs (a source stored before marks existed gets one for them first).
    private func claim(id: Int64, size: Int64, mtime: Int64, fromLine: Int64) throws(HarnessAuditError) {
        let earlier = try db.prepare("""
            INSERT OR IGNORE INTO source_marks(source_id, first_line, time)
            SELECT id, 1, coalesce(mtime, started_at) FROM sources WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM source_marks WHERE source_id = ?1)
            """)
        try earlier.bind([.integer(id)])
        try earlier.run()
        let statement = try db.prepare("""
            UPDATE sources SET state = 'ingesting', owner = ?, heartbeat = ?, mtime = ?, finished_at = NULL, problem = NULL
            WHERE id = ?
            """)
        try statement.bind([.text(owner), .integer(Clock.nowMillis()), .integer(mtime), .integer(id)])
        try statement.run()
        try mark(id, fromLine: fromLine, time: mtime)
    }

    /// Records that this run reads the source from `fromLine` on, at `time`.
    private func mark(_ id: Int64, fromLine: Int64, time: Int64) throws(HarnessAuditError) {
        let statement = try db.prepare("INSERT OR REPLACE INTO source_marks(source_id, first_line, time) VALUES (?, ?, ?)")
        try statement.bind([.integer(id), .integer(fromLine), .integer(time)])
        try statement.run()
    }

    /// The last line of the source had no newline when it was read; it is read again
    /// (the file may have grown since), so its accounting is undone first.
    private func rollBackOpenTail(_ source: Candidate) throws(HarnessAuditError) -> Int64 {
        let column: String
        switch source.tailOutcome {
        case "rejected": column = "rejected_lines"
        case "blank": column = "blank_lines"
        default: column = "event_lines"
        }
        let statement = try db.prepare("""
            UPDATE sources SET lines = lines - 1, \(column) = \(column) - 1, tail_open = 0, tail_outcome = NULL
            WHERE id = ?
            """)
        try statement.bind(1, source.id)
        try statement.run()
        let delete = try db.prepare("DELETE FROM rejected WHERE source_id = ? AND line = ?")
        try delete.bind([.integer(source.id), .integer(source.lines)])
        try delete.run()
        return source.lines - 1
    }
}
