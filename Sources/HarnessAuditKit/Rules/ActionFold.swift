import CSQLite
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The fold of events into actions (`ActionModel.foldStatement` says what each column is), streamed:
/// each session's events are read in order through the store's index on (session, time), so no
/// sort of two million wide rows is needed. One thread reads and folds, the calling thread writes
/// the finished actions into the scratch database's `actions_raw`.
///
/// An event without a call id is an action by itself and leaves at once. Events with one are held
/// until their session's events end, keyed by their call id byte for byte. A session that would hold
/// more than `heldBytesLimit` is folded by SQL instead (its events with a call id; `fallbackSessions`),
/// so memory stays bounded whatever one session logged.
///
/// What it writes is what `ActionModel.foldStatement` writes (tested against it, `ParallelCheckTests`):
/// the smallest event id is the action's id; texts are the largest of the call events' (SQLite's
/// `max`: bytes compared, then length), else of the others'; evidence lists the event ids in
/// ascending order.
///
/// It reads every event of a session, not only those that make actions, so that the same pass
/// gathers what `ActionModel.factsStatements` would scan the events again for: each session's
/// first and last times, the contexts it used, and the first working directory it logged
/// (`SessionScan`).
final class ActionFold {
    /// What one pass over a session's events (in time order, then id) says about it.
    struct SessionScan {
        let sessionID: Int64
        var firstTs: Int64?
        var lastTs: Int64?
        /// The context of the first event whose context has a working directory.
        var cwdContext: Int64?
        /// The distinct contexts its events used.
        var contexts: [Int64] = []
    }

    /// One action being folded, then written.
    struct Action {
        var actionID: Int64
        var firstCall: Int64?
        var sessionID: Int64
        var callID: [UInt8]?
        var ts: Int64?
        var ckey: Int64
        var facts: Int64 = 0
        var tool = ActionAggregates.Preference(), context = ActionAggregates.Preference()
        var policy = ActionAggregates.Preference()
        var classes: Int64 = 0, flags: Int64 = 0
        var command = Texts(), targets = Texts(), attrs = Texts()
        var prod = LargestText(), environment = LargestText()
        var callFormat: Int64?, minFormat: Int64
        /// The first event's id, and the others' (none for most single events: no allocation).
        let firstEvent: Int64
        var otherEvents: [Int64] = []
        /// The next held action whose call id has the same hash, or -1.
        var nextSameHash = -1

        init(id: Int64, sessionID: Int64, callID: [UInt8]?, ckey: Int64, format: Int64) {
            actionID = id
            firstEvent = id
            self.sessionID = sessionID
            self.callID = callID
            self.ckey = ckey
            minFormat = format
        }

        /// The subject: the call id, else the content key of the (one) event in 16 hex digits.
        var subject: [UInt8] {
            if let callID { return callID }
            let digits = Array(String(UInt64(bitPattern: ckey), radix: 16).utf8)
            return Array(repeating: UInt8(ascii: "0"), count: 16 - digits.count) + digits
        }

        /// Writes the event ids, ascending and comma-separated (`group_concat`), into `text`.
        func evidence(into text: inout [UInt8]) {
            text.removeAll(keepingCapacity: true)
            for (index, id) in (otherEvents.isEmpty ? [firstEvent] : ([firstEvent] + otherEvents).sorted()).enumerated() {
                if index > 0 { text.append(UInt8(ascii: ",")) }
                text.append(contentsOf: String(id).utf8)
            }
        }
    }

    /// The largest text seen (SQLite's `max` under the binary collation), NULLs ignored.
    struct LargestText {
        var value: [UInt8]?

        mutating func offer(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
            if let value, LargestText.compare(value, bytes) >= 0 { return 0 }
            value = Array(bytes)
            return bytes.count
        }

        /// memcmp over the common length, then the shorter first.
        static func compare(_ a: [UInt8], _ b: UnsafeBufferPointer<UInt8>) -> Int {
            a.withUnsafeBufferPointer { a in
                let common = min(a.count, b.count)
                if common > 0, let x = a.baseAddress, let y = b.baseAddress {
                    let order = memcmp(x, y, common)
                    if order != 0 { return Int(order) }
                }
                return a.count - b.count
            }
        }
    }

    /// A text taken from the call events when any has one, else the largest of the others'.
    /// (When no call event has one, the largest of all is the largest of the others.)
    /// (A result flagged `resultTargets` offers its targets before any call's.)
    struct Texts {
        var call = LargestText(), other = LargestText(), result = LargestText()
        var value: [UInt8]? { result.value ?? call.value ?? other.value }

        mutating func offer(_ bytes: UnsafeBufferPointer<UInt8>, isCall: Bool, supersedes: Bool = false) -> Int {
            if supersedes { return result.offer(bytes) }
            if isCall { return call.offer(bytes) }
            // Once a call event has one, the others' cannot matter.
            return call.value == nil ? other.offer(bytes) : 0
        }
    }

    /// The columns the reader selects, in order.
    enum Column: Int32 {
        case id, session, kind, callID, ts, ckey, format, decision, decisionSource, hasApprover, outcome, tool, context, policy
        case classes, command, targets, prod, environment, attrs, flags
    }

    /// Every event of the sessions (those of `temp.range_sessions` when `restricted`), session by
    /// session, each in time order (undated first, as SQLite orders NULLs), then by id.
    static func readStatement(restricted: Bool) -> String {
        """
            SELECT e.id, e.session_id, e.kind, e.call_id, e.ts, e.ckey, e.format, e.decision, e.decision_source,
                   e.approver IS NOT NULL, e.outcome, e.tool_id, e.context_id, e.policy_id, e.classes, e.command, e.targets,
                   e.prod, e.environment, e.attrs, e.flags
            FROM store.events AS e INDEXED BY events_session_ts
            WHERE e.id <= :snapshot\(restricted ? "\n  AND e.session_id IN (SELECT r.session_id FROM temp.range_sessions r)" : "")
            -- The index's own order (its last column is the rowid): no sort.
            ORDER BY e.session_id, e.ts, e.id
            """
    }

    /// Rows handed from the reader to the writer at a time.
    static let batchSize = 1024
    /// What one session may hold in memory before it is folded by SQL instead.
    static let defaultHeldBytesLimit = 48 << 20

    private let statement: Statement
    /// The contexts that have a working directory.
    private let contextsWithCwd: Set<Int64>
    private let heldBytesLimit: Int
    private let output: BlockingQueue<[Action]>
    private var batch: [Action] = []
    /// The current session's actions with a call id, and where each is in `held`.
    private var held: [Action] = []
    /// The first held action of each call-id hash; the others of that hash follow `nextSameHash`.
    private var heldIndex: [Int: Int] = [:]
    private var heldBytes = 0
    private var session: Int64?
    private var overflowed = false
    /// Sessions whose actions with a call id are left to SQL.
    private(set) var fallbackSessions: [Int64] = []
    /// Every session read, in id order.
    private(set) var sessions: [SessionScan] = []
    /// Whether a permission request of a tool named no call (`ActionModel.hasLoneRequests`).
    private(set) var loneRequests = false
    /// The policies that turn approvals off, and the events (not actions) that stated one: (session, time, id).
    private var bypassPolicies = Set<Int64>()
    static let transcriptFormat = Int64(LogFormat.claudeTranscript.rawValue)
    static let promptStatingFormats = Set(ActionModel.promptStatingFormats.map { Int64($0.rawValue) })
    private(set) var modeStatements: [(session: Int64, ts: Int64?, id: Int64)] = []

    private init(statement: Statement, contextsWithCwd: Set<Int64>, heldBytesLimit: Int, output: BlockingQueue<[Action]>) {
        self.statement = statement
        self.contextsWithCwd = contextsWithCwd
        self.heldBytesLimit = heldBytesLimit
        self.output = output
    }

    /// What the fold hands back besides the actions it wrote.
    struct Outcome {
        /// The sessions left to SQL (`ActionModel.foldStatement(restricted:fallback:)`).
        var fallbackSessions: [Int64]
        /// Every session with events, in id order.
        var sessions: [SessionScan]
        /// Whether a permission request of a tool named no call.
        var loneRequests = false
        /// The events that stated a bypass policy (`ActionModel`'s `mode_statements`).
        var modeStatements: [(session: Int64, ts: Int64?, id: Int64)] = []
    }

    /// Folds the events `reader` reads (a connection with the store attached as `store`, and
    /// `temp.range_sessions` when `restricted`) up to `snapshot` into `writer`'s `main.actions_raw`.
    static func run(reader: Database, writer: Database, snapshot: Int64, restricted: Bool,
                    heldBytesLimit: Int = ActionFold.defaultHeldBytesLimit) throws(HarnessAuditError) -> Outcome {
        var contextsWithCwd = Set<Int64>()
        let contexts = try reader.prepare("SELECT id FROM store.contexts WHERE cwd <> ''")
        while try contexts.step() { if let id = contexts.int64(0) { contextsWithCwd.insert(id) } }
        let statement = try reader.prepare(readStatement(restricted: restricted))
        try statement.bind(statement.parameterIndex(":snapshot") ?? 1, snapshot)
        let queue = BlockingQueue<[Action]>(capacity: 4)
        let fold = ActionFold(statement: statement, contextsWithCwd: contextsWithCwd, heldBytesLimit: heldBytesLimit, output: queue)
        let bypass = try reader.prepare(ActionModel.bypassPolicies)
        while try bypass.step() { if let id = bypass.int64(0) { fold.bypassPolicies.insert(id) } }
        let failure = ThreadFailure()
        let thread = WorkerThread {
            do throws(HarnessAuditError) { try fold.read() } catch { failure.error = error }
            queue.close()
        }
        var writeFailure: HarnessAuditError?
        do {
            try ActionFold.write(from: queue, into: writer, reader: failure)
        } catch {
            writeFailure = error
            queue.close()
            while queue.pop() != nil {}
        }
        thread.join()
        if let error = failure.error ?? writeFailure { throw error }
        return Outcome(fallbackSessions: fold.fallbackSessions, sessions: fold.sessions, loneRequests: fold.loneRequests,
                       modeStatements: fold.modeStatements)
    }

    // MARK: Reading (on the reader's thread)

    private func read() throws(HarnessAuditError) {
        let s = statement.handle
        let call = Int64(EventKind.toolCall.rawValue), request = Int64(EventKind.permissionRequest.rawValue)
        // The kinds that make actions; the others only tell about their session.
        var folded = [Bool](repeating: false, count: 64)
        for kind in [EventKind.toolCall, .toolResult, .permissionRequest, .permissionDecision] { folded[kind.rawValue] = true }
        var states = [Bool](repeating: false, count: 64)
        for kind in ActionModel.statementKinds { states[kind.rawValue] = true }
        // The current session's facts, kept in locals (the hot loop touches them for every event).
        var scan = SessionScan(sessionID: -1)
        // The session's last prompt in a Claude transcript (whose mode the transcript's next calls carry) and its last mode
        // change another log dated (an OTel `permission_mode_changed`): a change after the prompt is the mode of the calls
        // after it, whatever the transcript carries.
        var lastPromptTs: Int64?
        var lastModeChange: (policy: Int64, ts: Int64)?
        let promptKind = Int64(EventKind.prompt.rawValue), modeChangeKind = Int64(EventKind.modeChange.rawValue)
        var lastContext: Int64 = -1
        var contextSet = Set<Int64>()
        while try statement.step() {
            let id = sqlite3_column_int64(s, Column.id.rawValue)
            let sessionID = sqlite3_column_int64(s, Column.session.rawValue)
            if sessionID != session {
                if session != nil { sessions.append(scan) }
                if !finishSession() { return }
                session = sessionID
                scan = SessionScan(sessionID: sessionID)
                lastPromptTs = nil
                lastModeChange = nil
                lastContext = -1
                if !contextSet.isEmpty { contextSet = [] }
            }
            if sqlite3_column_type(s, Column.ts.rawValue) != SQLITE_NULL {
                let ts = sqlite3_column_int64(s, Column.ts.rawValue)
                if scan.firstTs == nil || ts < scan.firstTs! { scan.firstTs = ts }
                if scan.lastTs == nil || ts > scan.lastTs! { scan.lastTs = ts }
            }
            let context = sqlite3_column_int64(s, Column.context.rawValue)
            if context != lastContext {
                lastContext = context
                // A session has few contexts; one with many is looked up in a set, not searched.
                let isNew: Bool
                if scan.contexts.count < 16 {
                    isNew = !scan.contexts.contains(context)
                } else {
                    if contextSet.isEmpty { contextSet = Set(scan.contexts) }
                    isNew = contextSet.insert(context).inserted
                }
                if isNew { scan.contexts.append(context) }
                if scan.cwdContext == nil && contextsWithCwd.contains(context) { scan.cwdContext = context }
            }
            let kind = sqlite3_column_int64(s, Column.kind.rawValue)
            if kind >= 0 && kind < 64 && states[Int(kind)], !bypassPolicies.isEmpty,
               bypassPolicies.contains(sqlite3_column_int64(s, Column.policy.rawValue)),
               kind != promptKind || ActionFold.promptStatingFormats.contains(sqlite3_column_int64(s, Column.format.rawValue)) {
                let ts = sqlite3_column_type(s, Column.ts.rawValue) == SQLITE_NULL ? nil : sqlite3_column_int64(s, Column.ts.rawValue)
                modeStatements.append((sessionID, ts, id))
            }
            let format = sqlite3_column_int64(s, Column.format.rawValue)
            let eventTs = ActionFold.integer(s, Column.ts.rawValue)
            if kind == promptKind && format == ActionFold.transcriptFormat, let eventTs { lastPromptTs = eventTs }
            if kind == modeChangeKind && format != ActionFold.transcriptFormat, let eventTs,
               let policy = ActionFold.integer(s, Column.policy.rawValue) {
                lastModeChange = (policy, eventTs)
            }
            guard kind >= 0 && kind < 64 && folded[Int(kind)] else { continue }
            var modeChange: Int64?
            if format == ActionFold.transcriptFormat, let change = lastModeChange, let eventTs, change.ts <= eventTs,
               change.ts > lastPromptTs ?? Int64.min {
                modeChange = change.policy
            }
            let isCall = kind == call
            let callID = ActionFold.bytes(s, Column.callID.rawValue)
            if callID != nil && overflowed { continue }
            let ckey = sqlite3_column_int64(s, Column.ckey.rawValue)
            if let callID {
                let index = heldAction(callID, id: id, sessionID: sessionID, ckey: ckey, format: format)
                heldBytes += add(to: &held[index], id: id, kind: kind, isCall: isCall, ckey: ckey, format: format, modeChange: modeChange)
                if heldBytes > heldBytesLimit {
                    fallbackSessions.append(sessionID)
                    overflowed = true
                    clearHeld()
                }
            } else {
                if kind == request && sqlite3_column_type(s, Column.tool.rawValue) != SQLITE_NULL { loneRequests = true }
                var single = Action(id: id, sessionID: sessionID, callID: nil, ckey: ckey, format: format)
                _ = add(to: &single, id: id, kind: kind, isCall: isCall, ckey: ckey, format: format, modeChange: modeChange)
                if !emit(single) { return }
            }
        }
        if session != nil { sessions.append(scan) }
        if finishSession() && !batch.isEmpty { output.push(batch) }
    }

    /// The index in `held` of the action with this call id, added when new.
    private func heldAction(_ callID: UnsafeBufferPointer<UInt8>, id: Int64, sessionID: Int64, ckey: Int64, format: Int64) -> Int {
        var hasher = Hasher()
        hasher.combine(bytes: UnsafeRawBufferPointer(callID))
        let hash = hasher.finalize()
        let first = heldIndex[hash] ?? -1
        var index = first
        while index >= 0 {
            if let key = held[index].callID, LargestText.compare(key, callID) == 0 { return index }
            index = held[index].nextSameHash
        }
        var action = Action(id: id, sessionID: sessionID, callID: Array(callID), ckey: ckey, format: format)
        action.nextSameHash = first
        heldIndex[hash] = held.count
        held.append(action)
        heldBytes += 256 + callID.count
        return held.count - 1
    }

    /// Folds the current row into `action`; returns the bytes of text it kept. `modeChange`: the policy of a mode change
    /// another log dated after the transcript's last prompt, for a transcript's row.
    private func add(to action: inout Action, id: Int64, kind: Int64, isCall: Bool, ckey: Int64, format: Int64,
                     modeChange: Int64? = nil) -> Int {
        let s = statement.handle
        var kept = 0
        if id != action.firstEvent {
            action.actionID = min(action.actionID, id)
            action.otherEvents.append(id)
            kept += MemoryLayout<Int64>.stride
        }
        if isCall { action.firstCall = min(action.firstCall ?? id, id) }
        action.ckey = max(action.ckey, ckey)
        if sqlite3_column_type(s, Column.ts.rawValue) != SQLITE_NULL {
            let ts = sqlite3_column_int64(s, Column.ts.rawValue)
            action.ts = min(action.ts ?? ts, ts)
        }
        action.facts |= ActionAggregates.facts(
            kind: kind, format: format, decision: ActionFold.integer(s, Column.decision.rawValue),
            decisionSource: ActionFold.integer(s, Column.decisionSource.rawValue),
            hasApprover: sqlite3_column_int64(s, Column.hasApprover.rawValue) != 0, outcome: ActionFold.integer(s, Column.outcome.rawValue),
            flags: sqlite3_column_int64(s, Column.flags.rawValue))
        if let value = ActionFold.integer(s, Column.tool.rawValue) { action.tool.add(value, isCall: isCall) }
        if let value = ActionFold.integer(s, Column.context.rawValue) { action.context.add(value, isCall: isCall) }
        if let value = ActionFold.integer(s, Column.policy.rawValue) {
            // The mode a record states for its own call (a hook payload's `permission_mode`, a rollout's turn context) wins
            // over one a Claude transcript carries from its last prompt; between records alike, approvals off wins. So the
            // order files were ingested in (which decides policy ids) does not decide the action's mode.
            let stated: Int64 = format == ActionFold.transcriptFormat ? 0 : 4
            action.policy.add(value, isCall: isCall, rank: stated + (bypassPolicies.contains(value) ? 1 : 0))
        }
        // A mode change dated between the transcript's prompt and this row wins over the mode the transcript carries, not
        // over one a record states for its own call.
        if let modeChange { action.policy.add(modeChange, isCall: isCall, rank: 2 + (bypassPolicies.contains(modeChange) ? 1 : 0)) }
        action.classes |= sqlite3_column_int64(s, Column.classes.rawValue)
        action.flags |= sqlite3_column_int64(s, Column.flags.rawValue)
        if isCall { action.callFormat = max(action.callFormat ?? format, format) }
        action.minFormat = min(action.minFormat, format)
        if let text = ActionFold.bytes(s, Column.command.rawValue) { kept += action.command.offer(text, isCall: isCall) }
        if let text = ActionFold.bytes(s, Column.targets.rawValue) {
            let supersedes = sqlite3_column_int64(s, Column.flags.rawValue) & EventFlags.resultTargets.rawValue != 0
            kept += action.targets.offer(text, isCall: isCall, supersedes: supersedes)
        }
        if let text = ActionFold.bytes(s, Column.attrs.rawValue) { kept += action.attrs.offer(text, isCall: isCall) }
        if let text = ActionFold.bytes(s, Column.prod.rawValue) { kept += action.prod.offer(text) }
        if let text = ActionFold.bytes(s, Column.environment.rawValue) { kept += action.environment.offer(text) }
        return kept
    }

    /// Hands the held actions of the session that ended to the writer, in id order. False once the
    /// writer stopped.
    private func finishSession() -> Bool {
        // Usually in order already: an action's first event comes first in time.
        if held.indices.dropFirst().contains(where: { held[$0 - 1].actionID > held[$0].actionID }) {
            held.sort { $0.actionID < $1.actionID }
        }
        for action in held where !emit(action) { return false }
        clearHeld()
        overflowed = false
        return true
    }

    private func clearHeld() {
        held.removeAll(keepingCapacity: held.count < 65_536)
        heldIndex.removeAll(keepingCapacity: heldIndex.count < 65_536)
        heldBytes = 0
    }

    private func emit(_ action: Action) -> Bool {
        batch.append(action)
        guard batch.count >= ActionFold.batchSize else { return true }
        defer { batch = []; batch.reserveCapacity(ActionFold.batchSize) }
        return output.push(batch)
    }

    /// A column's text, in place (valid until the next step), or nil for NULL.
    @inline(__always)
    static func bytes(_ s: OpaquePointer, _ column: Int32) -> UnsafeBufferPointer<UInt8>? {
        guard sqlite3_column_type(s, column) != SQLITE_NULL else { return nil }
        let text = sqlite3_column_text(s, column)
        let count = Int(sqlite3_column_bytes(s, column))
        return UnsafeBufferPointer(start: count > 0 ? text : UnsafePointer(bitPattern: 1), count: count)
    }

    @inline(__always)
    static func integer(_ s: OpaquePointer, _ column: Int32) -> Int64? {
        sqlite3_column_type(s, column) == SQLITE_NULL ? nil : sqlite3_column_int64(s, column)
    }

    // MARK: Writing (on the calling thread)

    /// Writes what the reader hands over, in one transaction, committed only when the reader ended
    /// without `reader` holding an error.
    private static func write(from queue: BlockingQueue<[Action]>, into db: Database, reader: ThreadFailure) throws(HarnessAuditError) {
        let insert = try db.prepare("INSERT INTO main.actions_raw VALUES (\(Array(repeating: "?", count: 31).joined(separator: ", ")))")
        try db.execute("BEGIN")
        var committed = false
        defer { if !committed { try? db.execute("ROLLBACK") } }
        let s = insert.handle
        func integer(_ index: Int32, _ value: Int64?) {
            if let value { sqlite3_bind_int64(s, index, value) } else { sqlite3_bind_null(s, index) }
        }
        func text(_ index: Int32, _ value: [UInt8]?) {
            guard let value else { return _ = sqlite3_bind_null(s, index) }
            if value.isEmpty { return _ = sqlite3_bind_text(s, index, "", 0, ha_sqlite_transient()) }
            value.withUnsafeBufferPointer { bytes in
                _ = bytes.withMemoryRebound(to: CChar.self) { text in
                    sqlite3_bind_text(s, index, text.baseAddress, Int32(text.count), ha_sqlite_transient())
                }
            }
        }
        // The columns of `ActionModel.actionsTable` that come from the facts, by position.
        let factColumns: [(Int32, ActionAggregates.Fact)] = [
            (7, .hasCall), (8, .hasResult), (9, .hasRequest), (10, .hasDecision), (22, .deniedDecision), (23, .userAllowed),
            (24, .otherAllowed), (25, .dialogShown), (26, .approved), (27, .outcomeDenied), (28, .outcomeSuccess), (29, .outcomeFailure),
        ]
        var evidence: [UInt8] = []
        while let actions = queue.pop() {
            for action in actions {
                integer(1, action.actionID)
                integer(2, action.firstCall ?? action.actionID)
                integer(3, action.sessionID)
                text(4, action.callID)
                text(5, action.subject)
                integer(6, action.ts)
                let facts = ActionAggregates.resolved(action.facts)
                for (index, fact) in factColumns { integer(index, facts & fact.rawValue != 0 ? 1 : 0) }
                integer(11, action.tool.result)
                integer(12, action.context.result)
                integer(13, action.policy.result)
                integer(14, action.classes)
                text(15, action.command.value)
                text(16, action.targets.value)
                text(17, action.prod.value)
                text(18, action.environment.value)
                integer(19, action.callFormat ?? action.minFormat)
                text(20, action.attrs.value)
                integer(21, action.flags)
                action.evidence(into: &evidence)
                text(30, evidence)
                integer(31, action.ts)
                try insert.run()
            }
        }
        // The reader records its error before it closes the queue; the queue's lock orders the two for this thread.
        if let error = reader.error { throw error }
        try db.execute("COMMIT")
        committed = true
    }
}
