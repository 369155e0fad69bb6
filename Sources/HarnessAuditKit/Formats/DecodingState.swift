/// State that decoders carry from line to line within one ingest run: call-id inference
/// for records that lack one, `harness-v1` hash chains, and the approval policy last seen
/// in a Codex rollout. Memory is bounded: each table is cleared when it grows too large,
/// which only costs an inference (never correctness of stored lines).
final class DecodingState {
    static let tableLimit = 20_000

    // MARK: Claude PermissionRequest → PreToolUse (same session, tool and input).

    private struct PendingKey: Hashable {
        var session: String
        var tool: String
        var inputHash: UInt64
    }

    private var pendingCalls: [PendingKey: String] = [:]
    private var pendingByTool: [String: [String: Int]] = [:]  // session+tool → call → count marker

    func rememberToolUse(session: String, tool: String, inputHash: UInt64, callID: String) {
        if pendingCalls.count > DecodingState.tableLimit {
            pendingCalls.removeAll()
            pendingByTool.removeAll()
        }
        pendingCalls[PendingKey(session: session, tool: tool, inputHash: inputHash)] = callID
        pendingByTool[session + "\u{1F}" + tool, default: [:]][callID] = 1
    }

    /// The call a permission request is about: the latest tool use with the same input, or
    /// the only pending tool use of that tool in the session.
    func inferCall(session: String, tool: String, inputHash: UInt64) -> String? {
        if let call = pendingCalls[PendingKey(session: session, tool: tool, inputHash: inputHash)] { return call }
        if let calls = pendingByTool[session + "\u{1F}" + tool], calls.count == 1 { return calls.keys.first }
        return nil
    }

    func completeToolUse(session: String, tool: String, callID: String) {
        let key = session + "\u{1F}" + tool
        pendingByTool[key]?[callID] = nil
        if pendingByTool[key]?.isEmpty == true { pendingByTool[key] = nil }
    }

    func endSession(_ session: String) {
        pendingCalls = pendingCalls.filter { $0.key.session != session }
        pendingByTool = pendingByTool.filter { !$0.key.hasPrefix(session + "\u{1F}") }
    }

    // MARK: harness-v1 hash chains

    private var lastLineBySession: [String: [UInt8]] = [:]

    /// Records the line and returns the previous line of the session seen in this run, if any.
    func exchangeChainLine(session: String, line: UnsafeRawBufferPointer) -> [UInt8]? {
        if lastLineBySession.count > DecodingState.tableLimit { lastLineBySession.removeAll() }
        let previous = lastLineBySession[session]
        lastLineBySession[session] = Array(line)
        return previous
    }

    // MARK: Codex rollouts: the latest turn context of the file being read.

    struct CodexTurn {
        var session: String?
        var cwd: String?
        var model: String?
        var policy = PolicyState()
        var context = EventContext()
    }

    var codexTurn = CodexTurn()

    /// Called when a new source starts: per-file state is reset.
    func beginSource() {
        codexTurn = CodexTurn()
    }
}
