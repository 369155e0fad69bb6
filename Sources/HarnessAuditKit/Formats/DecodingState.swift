/// State that decoders carry from line to line within one ingest run: call-id inference
/// for records that lack one, `harness-v1` hash chains, and the approval policy last seen
/// in a Codex rollout. Memory is bounded: each table is cleared when it grows too large,
/// which only costs an inference (never correctness of stored lines).
final class DecodingState {
    static let tableLimit = 20_000
    let classifier: ActionClassifier

    init(classifier: ActionClassifier = ActionClassifier()) {
        self.classifier = classifier
    }

    // MARK: Classification

    /// The kube context each session selected last (`kubectl config use-context`).
    private var kubeContexts: [String: String] = [:]

    /// Classifies an action event from its tool and input, with the session's state.
    func classify(_ event: inout EventRecord, input: JSONValue?) {
        guard let tool = event.tool else { return }
        let session = event.session ?? ""
        let context = ClassificationContext(
            cwd: event.context.cwd, home: event.home ?? PathNormalizer.inferHome(from: event.context.cwd),
            branch: event.context.branch, kubeContext: kubeContexts[session], environment: event.environment,
            policy: classifier.policy)
        let result = classifier.cachedClassify(tool: tool, input: input, context: context)
        apply(result, to: &event)
        if let selected = result.selectedKubeContext {
            if kubeContexts.count > DecodingState.tableLimit { kubeContexts.removeAll() }
            kubeContexts[session] = selected
        }
    }

    /// Classifies a shell command line given without a tool input object.
    func classify(_ event: inout EventRecord, command: String) {
        let session = event.session ?? ""
        let context = ClassificationContext(
            cwd: event.context.cwd, home: event.home ?? PathNormalizer.inferHome(from: event.context.cwd),
            branch: event.context.branch, kubeContext: kubeContexts[session], environment: event.environment,
            policy: classifier.policy)
        apply(ShellAnalyzer.classify(command, context: context), to: &event)
    }

    func apply(_ result: Classification, to event: inout EventRecord) {
        event.classes |= result.classes.rawValue
        if let json = result.targetsJSON { event.targets = json }
        if result.isProduction { event.production = result.production.joined(separator: "; ") }
    }

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
