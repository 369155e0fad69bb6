/// The last pipeline stage: writes parsed batches to the store. Each batch is one
/// transaction holding its events, its raw block, its rejections and the source's new
/// progress, so a kill at any moment leaves a store that is consistent and resumable.
final class EventWriter {
    let db: Database
    private let insertEvent: Statement
    private let insertRaw: Statement
    private let insertChainBreak: Statement
    private let insertRejected: Statement
    private let updateProgress: Statement
    /// Keyed byte for byte: Swift's `==` would give a decomposed "é" the id of a composed one.
    private var sessionIDs: [ExactText: Int64] = [:]
    private var nameIDs: [ExactText: Int64] = [:]
    private var contextIDs: [EventContext: Int64] = [:]
    private var policyIDs: [PolicyState: Int64] = [:]
    /// The last session, context and policy interned: consecutive events mostly share them, and comparing
    /// costs less than hashing (a context is nine strings).
    private let lastSession = LastInterned<ExactText>()
    private let lastContext = LastInterned<EventContext>()
    private let lastPolicy = LastInterned<PolicyState>()

    /// One value and its id.
    private final class LastInterned<Value: Equatable> {
        var value: Value?
        var id: Int64 = 0

        /// The id when `candidate` is the value remembered.
        func id(of candidate: borrowing Value) -> Int64? {
            if let value, value == candidate { return id }
            return nil
        }

        func remember(_ value: Value, _ id: Int64) -> Int64 {
            self.value = value
            self.id = id
            return id
        }
    }

    init(db: Database) throws(HarnessAuditError) {
        self.db = db
        insertEvent = try db.prepare("""
            INSERT OR IGNORE INTO events(source_id, line, record, format, ts, session_id, seq, kind, name_id, tool_id,
                call_id, context_id, policy_id, decision, decision_source, approver, environment, outcome, duration_ms,
                classes, command, targets, attrs, flags, ckey, prev_hash, prod)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        insertChainBreak = try db.prepare("""
            INSERT OR IGNORE INTO chain_breaks(source_id, line, session_id, seq, ts, ckey) VALUES (?, ?, ?, ?, ?, ?)
            """)
        insertRaw = try db.prepare("""
            INSERT OR REPLACE INTO raw_blocks(source_id, first_line, line_count, raw_size, data) VALUES (?, ?, ?, ?, ?)
            """)
        insertRejected = try db.prepare("""
            INSERT OR REPLACE INTO rejected(source_id, line, reason, detail, keys, raw, raw_length, raw_truncated, raw_sha256)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        updateProgress = try db.prepare("""
            UPDATE sources SET lines = lines + ?, event_lines = event_lines + ?, rejected_lines = rejected_lines + ?,
                blank_lines = blank_lines + ?, events_added = events_added + ?, events_duplicate = events_duplicate + ?,
                first_ts = min(coalesce(first_ts, ?), coalesce(?, first_ts)),
                last_ts = max(coalesce(last_ts, ?), coalesce(?, last_ts)),
                tail_open = ?, tail_outcome = ?, heartbeat = ?
            WHERE id = ?
            """)
    }

    /// Forgets interned ids (after a rollback they may not exist).
    private func resetCaches() {
        sessionIDs.removeAll()
        nameIDs.removeAll()
        contextIDs.removeAll()
        policyIDs.removeAll()
        lastSession.value = nil
        lastContext.value = nil
        lastPolicy.value = nil
    }

    struct BatchResult {
        var added: Int64
        var duplicate: Int64
    }

    func write(_ batch: ParsedBatch) throws(HarnessAuditError) -> BatchResult {
        do {
            return try db.transaction { () throws(HarnessAuditError) -> BatchResult in
                try writeInTransaction(batch)
            }
        } catch {
            resetCaches()
            throw error
        }
    }

    private func writeInTransaction(_ batch: ParsedBatch) throws(HarnessAuditError) -> BatchResult {
        var added: Int64 = 0
        var duplicate: Int64 = 0
        var firstTS: Int64?
        var lastTS: Int64?
        // Each event is read where it lies in the batch: copying it out would retain and release its dozen strings.
        try batch.events.withUnsafeBufferPointer { (events) throws(HarnessAuditError) in
            for index in events.indices {
                if try insert(events.baseAddress! + index, sourceID: batch.sourceID) {
                    added += 1
                } else {
                    duplicate += 1
                    if events[index].chainBreakInFile { try keepChainBreak(events[index], sourceID: batch.sourceID) }
                }
                // The file's own times, its copies' events included: they place the file's gaps in time.
                if let ts = events[index].ts {
                    firstTS = min(firstTS ?? ts, ts)
                    lastTS = max(lastTS ?? ts, ts)
                }
            }
        }
        for rejection in batch.rejections {
            try insertRejected.bind([
                .integer(batch.sourceID), .integer(rejection.line), .text(rejection.reason), .text(rejection.detail),
                .optional(rejection.keys), .blob(rejection.raw), .integer(rejection.rawLength),
                .integer(rejection.rawTruncated ? 1 : 0), .optional(rejection.rawSHA256),
            ])
            try insertRejected.run()
        }
        if batch.lineCount > 0 {
            try insertRaw.bind([.integer(batch.sourceID), .integer(batch.firstLine), .integer(Int64(batch.lineCount)),
                                .integer(Int64(batch.rawSize)), .blob(batch.compressed)])
            try insertRaw.run()
        }
        try updateProgress.bind([
            .integer(Int64(batch.lineCount)), .integer(Int64(batch.eventLines)),
            .integer(Int64(batch.rejections.count)), .integer(Int64(batch.blankLines)), .integer(added),
            .integer(duplicate), .optional(firstTS), .optional(firstTS), .optional(lastTS), .optional(lastTS),
            .integer(batch.tailOutcome == nil ? 0 : 1), .optional(batch.tailOutcome), .integer(Clock.nowMillis()),
            .integer(batch.sourceID),
        ])
        try updateProgress.run()
        return BatchResult(added: added, duplicate: duplicate)
    }

    /// The break of a harness-v1 line's chain in its file, when the store already has the line's event.
    private func keepChainBreak(_ event: EventRecord, sourceID: Int64) throws(HarnessAuditError) {
        try insertChainBreak.bind([.integer(sourceID), .integer(event.line), .integer(try intern(session: event.session ?? "")),
                                   .optional(event.seq), .optional(event.ts), .integer(ContentHash.signed(event.contentKey))])
        try insertChainBreak.run()
    }

    /// Inserts one event; false when the store has it already (same session and content key).
    private func insert(_ event: UnsafePointer<EventRecord>, sourceID: Int64) throws(HarnessAuditError) -> Bool {
        let e = insertEvent
        let sessionID = try intern(session: event.pointee.session ?? "")
        let contextID = try intern(context: event.pointee.context)
        let policyID: Int64? = event.pointee.policy.isEmpty ? nil : try intern(policy: event.pointee.policy)
        let nameID: Int64? = try event.pointee.name.map { (name) throws(HarnessAuditError) in try intern(name: name) }
        let toolID: Int64? = try event.pointee.tool.map { (tool) throws(HarnessAuditError) in try intern(name: tool) }
        try e.bind(1, sourceID)
        try e.bind(2, event.pointee.line)
        try e.bind(3, Int64(event.pointee.recordIndex))
        try e.bind(4, Int64(event.pointee.format.rawValue))
        try e.bind(5, event.pointee.ts)
        try e.bind(6, sessionID)
        try e.bind(7, event.pointee.seq)
        try e.bind(8, Int64(event.pointee.kind.rawValue))
        try e.bind(9, nameID)
        try e.bind(10, toolID)
        try e.bind(11, event.pointee.callID)
        try e.bind(12, contextID)
        try e.bind(13, policyID)
        try e.bind(14, event.pointee.decision.map { Int64($0.rawValue) })
        try e.bind(15, event.pointee.decisionSource.map { Int64($0.rawValue) })
        try e.bind(16, event.pointee.approver)
        try e.bind(17, event.pointee.environment)
        try e.bind(18, event.pointee.outcome.map { Int64($0.rawValue) })
        try e.bind(19, event.pointee.durationMs)
        try e.bind(20, event.pointee.classes)
        try e.bind(21, event.pointee.command)
        try e.bind(22, event.pointee.targets)
        try e.bind(23, event.pointee.attributes)
        try e.bind(24, event.pointee.flags.rawValue)
        try e.bind(25, ContentHash.signed(event.pointee.contentKey))
        try e.bind(26, blob: event.pointee.prevHash)
        try e.bind(27, event.pointee.production)
        try e.run()
        return db.changes > 0
    }

    /// Marks a source finished (complete, or partial with the problem).
    func finish(_ end: SourceEnd) throws(HarnessAuditError) {
        try db.transaction { () throws(HarnessAuditError) in
            let statement = try db.prepare("""
                UPDATE sources SET state = ?, problem = ?, size = ?, sha256 = ?, compression = ?, gzip_members = ?,
                    finished_at = ?, owner = NULL, tail_open = ?,
                    tail_outcome = CASE WHEN ? = 0 THEN NULL ELSE tail_outcome END
                WHERE id = ?
                """)
            try statement.bind([
                .text(end.problem == nil ? "complete" : "partial"), .optional(end.problem), .integer(end.size),
                .text(end.sha256), .text(end.compression), .integer(Int64(end.gzipMembers)),
                .integer(Clock.nowMillis()), .integer(end.tailOpen ? 1 : 0), .integer(end.tailOpen ? 1 : 0),
                .integer(end.sourceID),
            ])
            try statement.run()
        }
    }

    // MARK: Interning

    /// Interning caches are cleared past this many entries, so memory stays flat on any input.
    static let cacheLimit = 50_000

    // Each `intern` below answers from the last value when it is the same, without a closure (passing the
    // lookup as one allocated a context three times an event).
    private func intern(session: String) throws(HarnessAuditError) -> Int64 {
        let exact = ExactText(session)
        if let id = lastSession.id(of: exact) { return id }
        return lastSession.remember(exact, try internSession(exact))
    }

    private func internSession(_ session: ExactText) throws(HarnessAuditError) -> Int64 {
        if let id = sessionIDs[session] { return id }
        if sessionIDs.count > EventWriter.cacheLimit { sessionIDs.removeAll(keepingCapacity: true) }
        let id = try internText(table: "sessions", column: "name", value: session.text)
        sessionIDs[session] = id
        return id
    }

    private func intern(name: String) throws(HarnessAuditError) -> Int64 {
        let exact = ExactText(name)
        if let id = nameIDs[exact] { return id }
        if nameIDs.count > EventWriter.cacheLimit { nameIDs.removeAll(keepingCapacity: true) }
        let id = try internText(table: "names", column: "value", value: name)
        nameIDs[exact] = id
        return id
    }

    private func internText(table: String, column: String, value: String) throws(HarnessAuditError) -> Int64 {
        let select = try db.prepare("SELECT id FROM \(table) WHERE \(column) = ?")
        try select.bind(1, value)
        if try select.step(), let id = select.int64(0) { return id }
        let insert = try db.prepare("INSERT INTO \(table)(\(column)) VALUES (?)")
        try insert.bind(1, value)
        try insert.run()
        return db.lastInsertRowID
    }

    private func intern(context: borrowing EventContext) throws(HarnessAuditError) -> Int64 {
        if let id = lastContext.id(of: context) { return id }
        let value = copy context
        return lastContext.remember(value, try internContext(value))
    }

    private func internContext(_ context: EventContext) throws(HarnessAuditError) -> Int64 {
        if let id = contextIDs[context] { return id }
        if contextIDs.count > EventWriter.cacheLimit { contextIDs.removeAll(keepingCapacity: true) }
        let values: [SQLValue] = [
            .text(context.agent ?? ""), .text(context.agentVersion ?? ""), .text(context.actor ?? ""),
            .text(context.principal ?? ""), .text(context.host ?? ""), .text(context.repo ?? ""),
            .text(context.branch ?? ""), .text(context.cwd ?? ""), .text(context.model ?? ""),
        ]
        let select = try db.prepare("""
            SELECT id FROM contexts WHERE agent = ? AND agent_version = ? AND actor = ? AND principal = ? AND host = ?
                AND repo = ? AND branch = ? AND cwd = ? AND model = ?
            """)
        try select.bind(values)
        let id: Int64
        if try select.step(), let found = select.int64(0) {
            id = found
        } else {
            let insert = try db.prepare("""
                INSERT INTO contexts(agent, agent_version, actor, principal, host, repo, branch, cwd, model)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            try insert.bind(values)
            try insert.run()
            id = db.lastInsertRowID
        }
        contextIDs[context] = id
        return id
    }

    private func intern(policy: borrowing PolicyState) throws(HarnessAuditError) -> Int64 {
        if let id = lastPolicy.id(of: policy) { return id }
        let value = copy policy
        return lastPolicy.remember(value, try internPolicy(value))
    }

    private func internPolicy(_ policy: PolicyState) throws(HarnessAuditError) -> Int64 {
        if let id = policyIDs[policy] { return id }
        if policyIDs.count > EventWriter.cacheLimit { policyIDs.removeAll(keepingCapacity: true) }
        let values: [SQLValue] = [
            .optional(policy.mode.map { Int64($0.rawValue) }), .text(policy.rawMode ?? ""),
            .text(policy.approvalPolicy ?? ""), .text(policy.sandbox ?? ""), .text(policy.writableRoots ?? ""),
            .integer(policy.networkAccess.map { $0 ? 1 : 0 } ?? -1),
        ]
        let select = try db.prepare("""
            SELECT id FROM policies WHERE mode IS ? AND raw_mode = ? AND approval_policy = ? AND sandbox = ?
                AND writable_roots = ? AND network = ?
            """)
        try select.bind(values)
        let id: Int64
        if try select.step(), let found = select.int64(0) {
            id = found
        } else {
            let insert = try db.prepare("""
                INSERT INTO policies(mode, raw_mode, approval_policy, sandbox, writable_roots, network)
                VALUES (?, ?, ?, ?, ?, ?)
                """)
            try insert.bind(values)
            try insert.run()
            id = db.lastInsertRowID
        }
        policyIDs[policy] = id
        return id
    }
}
