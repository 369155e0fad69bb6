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

    // MARK: JSON inside strings

    /// A second parser for JSON carried inside string fields (Codex `arguments`, OTel `tool_parameters`).
    private let nestedTape = JSONTape()

    /// Parses JSON text held in a string field and passes its root to `body` (nil when not JSON).
    func withNestedJSON<T>(_ text: String?, _ body: (JSONValue?) -> T) -> T {
        guard let text, !text.isEmpty else { return body(nil) }
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { buffer in
            do throws(JSONTape.ParseError) {
                try nestedTape.parse(buffer)
            } catch {
                return body(nil)
            }
            return body(JSONValue(bytes: buffer, tape: nestedTape))
        }
    }

    // MARK: Classification

    /// The kube context each session selected last (`kubectl config use-context`).
    private var kubeContexts: [String: String] = [:]

    /// The home inferred from the last working directory seen (consecutive events share it).
    private var lastCwd: String?
    private var lastHome: String?

    func home(for cwd: String?) -> String? {
        if cwd == lastCwd { return lastHome }
        lastCwd = cwd
        lastHome = PathNormalizer.inferHome(from: cwd)
        return lastHome
    }

    /// Classifies an action event from its tool and input, with the session's state.
    func classify(_ event: inout EventRecord, input: JSONValue?) {
        guard let tool = event.tool else { return }
        let session = event.session ?? ""
        let context = ClassificationContext(
            cwd: event.context.cwd, home: event.home ?? home(for: event.context.cwd),
            branch: event.context.branch, kubeContext: kubeContexts[session], environment: event.environment,
            policy: classifier.policy)
        let cached = classifier.cachedClassify(tool: tool, input: input, context: context)
        event.classes |= cached.classification.classes.rawValue
        if let json = cached.targetsJSON { event.targets = json }
        if let production = cached.production { event.production = production }
        if let selected = cached.classification.selectedKubeContext {
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

    // MARK: What a result repeats of its call

    private struct CallRecord {
        var targets: String?
        var command: String?
        var attributes: String?
    }

    private struct CallKey: Hashable {
        var session: String?
        var callID: String
    }

    private var recentCalls: [CallKey: CallRecord] = [:]

    /// A tool result that repeats its call (Claude `PostToolUse` carries `tool_input` and `prompt_id`
    /// again; a result without input still names its tool) stores what it repeats once, on the call:
    /// its targets when they equal the call's or are the call's trailing command families, its command
    /// and its attributes when equal. Its classes stay. Rules read an action's targets, command and
    /// attributes from its call, so nothing they see changes; a result whose call was not seen
    /// earlier in this ingest run keeps everything. Values are compared byte for byte.
    func storeOnceWithCall(_ event: inout EventRecord) {
        guard let callID = event.callID else { return }
        let key = CallKey(session: event.session, callID: callID)
        switch event.kind {
        case .toolCall:
            if recentCalls.count > DecodingState.tableLimit { recentCalls.removeAll() }
            recentCalls[key] = CallRecord(targets: event.targets, command: event.command, attributes: event.attributes)
        case .toolResult:
            guard let call = recentCalls[key] else { return }
            if let targets = event.targets, let callTargets = call.targets,
               targets.utf8.elementsEqual(callTargets.utf8) || DecodingState.isTrailingElements(targets, of: callTargets) {
                event.targets = nil
            }
            if let command = event.command, let callCommand = call.command, command.utf8.elementsEqual(callCommand.utf8) {
                event.command = nil
            }
            if let attributes = event.attributes, let callAttributes = call.attributes,
               attributes.utf8.elementsEqual(callAttributes.utf8) {
                event.attributes = nil
            }
        default:
            break
        }
    }

    /// Whether the JSON array `part` is the last elements of the JSON array `whole`, as the targets
    /// writer prints them (`[{…},{…}]`, no spaces). A `,{` followed by the rest up to the closing
    /// bracket cannot sit inside a string: quotes in strings are escaped.
    static func isTrailingElements(_ part: String, of whole: String) -> Bool {
        guard part.hasPrefix("[{"), part.hasSuffix("}]"), whole.hasSuffix("}]") else { return false }
        let tail = Array(("," + part.dropFirst()).utf8)
        return whole.utf8.count >= tail.count && whole.utf8.suffix(tail.count).elementsEqual(tail)
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

    private var lastDigestBySession: [String: Digest32] = [:]
    let chainHasher = SHA256Hasher()

    /// Records the digest of this session's latest `harness-v1` line; returns the previous one.
    func exchangeChainDigest(session: String, line: UnsafeRawBufferPointer) -> Digest32? {
        if lastDigestBySession.count > DecodingState.tableLimit { lastDigestBySession.removeAll() }
        return lastDigestBySession.updateValue(chainHasher.digest(line), forKey: session)
    }

    // MARK: Per-file state

    /// What a Codex rollout file has said so far: its session and the policy in force.
    struct CodexFile {
        var session: String?
        var context = EventContext(agent: "codex")
        var policy = PolicyState()
        var sawTurnContext = false
    }

    var codexFile = CodexFile()
    /// The session of the Claude transcript being read (summary lines carry none).
    var transcriptSession: String?
    /// The path of the source being read, as given.
    private(set) var sourcePath = ""

    /// Called when a new source starts: per-file state is reset.
    func beginSource(path: String = "") {
        sourcePath = path
        codexFile = CodexFile()
        transcriptSession = nil
        if let id = DecodingState.sessionID(fromRolloutPath: path) { codexFile.session = id }
    }

    /// The thread id at the end of a rollout file name (`rollout-2025-10-01T12-12-33-<uuid>.jsonl`).
    static func sessionID(fromRolloutPath path: String) -> String? {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard name.hasPrefix("rollout-") else { return nil }
        var stem = name
        for suffix in [".gz", ".jsonl", ".json"] where stem.hasSuffix(suffix) { stem.removeLast(suffix.count) }
        guard stem.count >= 36 else { return nil }
        let candidate = String(stem.suffix(36))
        let dashes = candidate.filter { $0 == "-" }.count
        return dashes == 4 ? candidate : nil
    }

    // MARK: Session policy (transcripts carry the mode on prompt entries only)

    private var policyBySession: [String: PolicyState] = [:]

    func rememberPolicy(_ policy: PolicyState, session: String) {
        if policyBySession.count > DecodingState.tableLimit { policyBySession.removeAll() }
        policyBySession[session] = policy
    }

    func lastPolicy(session: String) -> PolicyState? { policyBySession[session] }
}
