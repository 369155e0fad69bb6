#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// State that decoders carry from line to line within one ingest run: call-id inference
/// for records that lack one, `harness-v1` hash chains, and the approval policy last seen
/// in a Codex rollout. Memory is bounded: each table is cleared when it grows too large,
/// which only costs an inference (never correctness of stored lines).
final class DecodingState {
    static let tableLimit = 20_000
    /// Distinct undated lines a source's repeat count holds (`repeats`).
    static let repeatLimit = 500_000
    let classifier: ActionClassifier

    init(classifier: ActionClassifier = ActionClassifier()) {
        self.classifier = classifier
    }

    // MARK: JSON inside strings

    /// A second parser for JSON carried inside string fields (Codex `arguments`, OTel `tool_parameters`).
    private let nestedTape = JSONTape()

    /// Whether the text the last `withNestedJSON` call was given was there but not JSON. Decoders
    /// whose field must hold JSON (a call's arguments) mark the event `invalidField` then: the call is
    /// kept, unclassified, and a rule or analyst can find it.
    private(set) var nestedJSONInvalid = false

    /// Parses JSON text held in a string field and passes its root to `body` (nil when not JSON).
    func withNestedJSON<T>(_ text: String?, _ body: (JSONValue?) -> T) -> T {
        nestedJSONInvalid = false
        guard let text, !text.isEmpty else { return body(nil) }
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { buffer in
            do throws(JSONTape.ParseError) {
                try nestedTape.parse(buffer)
            } catch {
                nestedJSONInvalid = true
                return body(nil)
            }
            return body(JSONValue(bytes: buffer, tape: nestedTape))
        }
    }

    // MARK: harness-v1 session context

    /// What a `harness-v1` session stated last of its context, and the environment its `session_start` or `config`
    /// named: a harness may state them once and omit them on its calls. (A class: merged in place, never copied.)
    final class HarnessV1Session {
        var context = EventContext()
        var environment: String?
    }
    private var harnessV1Sessions: [ExactText: HarnessV1Session] = [:]
    private var lastHarnessV1: (session: String, known: HarnessV1Session)?

    /// Fills what `event` does not state of its context (and, for a call, its environment) from its session's earlier
    /// lines, and remembers what it states.
    func fillHarnessV1Context(_ event: inout EventRecord, setsEnvironment: Bool) {
        guard let session = event.session else { return }
        let known: HarnessV1Session
        if let last = lastHarnessV1, last.session.hasSameBytes(as: session) {
            known = last.known
        } else {
            if let found = harnessV1Sessions[ExactText(session)] {
                known = found
            } else {
                if harnessV1Sessions.count > DecodingState.tableLimit { harnessV1Sessions.removeAll() }
                known = HarnessV1Session()
                harnessV1Sessions[ExactText(session)] = known
            }
            lastHarnessV1 = (session, known)
        }
        // (What a line states is taken as it is: comparing it with what was remembered costs more than storing it.)
        @inline(__always) func merge(_ stated: inout String?, _ remembered: inout String?) {
            if stated != nil {
                remembered = stated
            } else if remembered != nil {
                stated = remembered
            }
        }
        merge(&event.context.agent, &known.context.agent)
        merge(&event.context.agentVersion, &known.context.agentVersion)
        merge(&event.context.actor, &known.context.actor)
        merge(&event.context.principal, &known.context.principal)
        merge(&event.context.host, &known.context.host)
        merge(&event.context.repo, &known.context.repo)
        merge(&event.context.branch, &known.context.branch)
        merge(&event.context.cwd, &known.context.cwd)
        merge(&event.context.model, &known.context.model)
        if setsEnvironment {
            if let environment = event.environment { known.environment = environment }
        } else if event.environment == nil, let environment = known.environment {
            event.environment = environment
        }
    }

    /// Whether the text the last `withSalvagedJSON` call was given parsed only once closed (it was cut short).
    private(set) var nestedJSONSalvaged = false

    /// `withNestedJSON`, and for an object cut short (an exporter's size limit: `{"command":"curl … | sh && rm -rf /sr…`)
    /// what it holds up to the cut, closed. `nestedJSONInvalid` still says it was not JSON as given.
    func withSalvagedJSON<T>(_ text: String?, _ body: (JSONValue?) -> T) -> T {
        nestedJSONSalvaged = false
        var parsed = false
        let whole = withNestedJSON(text) { json -> T? in
            guard let json else { return nil }
            parsed = true
            return body(json)
        }
        if parsed, let whole { return whole }
        guard let text, !text.isEmpty, text.utf8.first == UInt8(ascii: "{"), nestedJSONInvalid else { return body(nil) }
        let base = text.hasSuffix("\\") ? String(text.dropLast()) : text
        for closing in ["\"}", "}", "\"}}", "}}", "\"]}", "]}", "null}"] {
            var found = false
            let result = withNestedJSON(base + closing) { json -> T? in
                guard let json, json.isObject else { return nil }
                found = true
                return body(json)
            }
            if found, let result {
                nestedJSONInvalid = true
                nestedJSONSalvaged = true
                return result
            }
        }
        nestedJSONInvalid = true
        return body(nil)
    }

    // MARK: Classification

    /// The kube context each session selected last (`kubectl config use-context`).
    private var kubeContexts: [ExactText: String] = [:]
    /// The terraform workspace each session selected last, for the directory it selected it in.
    private var terraformWorkspaces: [ExactText: TerraformWorkspace] = [:]

    /// The branch each session's agent switched to last (`git checkout -b`), with the branch the harness
    /// reported then and the working directory it switched in. It holds for the session's later actions in
    /// that directory while the harness still reports that branch (a newer report wins). Formats that report
    /// the branch on every record (harness-v1, Claude transcripts) are trusted instead: a switch that failed
    /// or was refused changes nothing there.
    private var branches: [ExactText: (selected: String, before: String?, reported: String?, cwd: String?)] = [:]

    /// The branch a session's action runs on, and the one before it when the agent switched.
    func branches(session: String, reported: String?, cwd: String?, remember: Bool = true) -> (branch: String?, previous: String?) {
        guard !branches.isEmpty, let tracked = branches[ExactText(session)] else { return (reported, nil) }
        guard ExactText.same(tracked.reported, reported), ExactText.same(tracked.cwd, cwd) else {
            if remember, !ExactText.same(tracked.reported, reported) { branches[ExactText(session)] = nil }
            return (reported, nil)
        }
        return (tracked.selected, tracked.before ?? tracked.reported)
    }

    /// What a call's selections replaced (the kube context and terraform workspace before it), by call: given back when
    /// the call turns out to have failed or not run (`terraform workspace select prod` answered "doesn't exist").
    private var selectionUndo: [ExactText: (session: ExactText, kube: String?, workspace: TerraformWorkspace?)] = [:]
    /// Whether a call's selections wait for its outcome (`settleSelections` has work).
    var selectionsUnsettled: Bool { !selectionUndo.isEmpty }

    /// Remembers what an action selected for the session's later actions.
    func remember(_ classification: Classification, event: EventRecord) {
        let session = ExactText(event.session ?? "")
        if classification.selectedKubeContext != nil || classification.selectedTerraformWorkspace != nil,
           event.kind != .toolResult, let undo = DecodingState.undoKey(event), selectionUndo[undo] == nil {
            if selectionUndo.count > DecodingState.tableLimit { selectionUndo.removeAll() }
            selectionUndo[undo] = (session, kubeContexts[session], terraformWorkspaces[session])
        }
        if let selected = classification.selectedKubeContext {
            if kubeContexts.count > DecodingState.tableLimit { kubeContexts.removeAll() }
            kubeContexts[session] = selected
        }
        if let selected = classification.selectedTerraformWorkspace {
            if terraformWorkspaces.count > DecodingState.tableLimit { terraformWorkspaces.removeAll() }
            terraformWorkspaces[session] = selected
        }
        if let selected = classification.selectedBranch {
            let session = ExactText(event.session ?? "")
            let reported = event.context.branch
            let reportsEveryRecord = reported != nil && event.format.reportsBranchPerRecord
            if selected.isEmpty || reportsEveryRecord || ExactText.same(selected, reported) {
                branches[session] = nil
            } else {
                if branches.count > DecodingState.tableLimit { branches.removeAll() }
                branches[session] = (selected, classification.branchBefore, reported, classification.branchDirectory ?? event.context.cwd)
            }
        }
    }

    /// The home inferred from the last working directory seen (consecutive events share it).
    private var lastCwd: String?
    private var lastHome: String?

    func home(for cwd: String?) -> String? {
        if ExactText.same(cwd, lastCwd) { return lastHome }
        lastCwd = cwd
        lastHome = PathNormalizer.inferHome(from: cwd)
        return lastHome
    }

    /// What the session's earlier actions selected, for classifying one of its events: the branch (tracked, unless
    /// `branch` is given; `rememberBranch: false` reads the tracking without moving it), kube context, terraform
    /// workspace.
    @inline(__always)
    private func sessionContext(_ event: EventRecord, home: String?, branch given: String? = nil,
                                rememberBranch: Bool = true) -> ClassificationContext {
        let session = event.session ?? ""
        let branch = given.map { (branch: Optional($0), previous: String?.none) }
            ?? branches(session: session, reported: event.context.branch, cwd: event.context.cwd, remember: rememberBranch)
        var context = ClassificationContext(
            cwd: event.context.cwd, home: home, branch: branch.branch,
            kubeContext: kubeContexts.isEmpty ? nil : kubeContexts[ExactText(session)],
            environment: event.environment, policy: classifier.policy)
        context.previousBranch = branch.previous
        if !terraformWorkspaces.isEmpty { context.terraformWorkspace = terraformWorkspaces[ExactText(session)] }
        return context
    }

    /// Classifies an action event from its tool and input, with the session's state.
    func classify(_ event: inout EventRecord, input: JSONValue?) {
        guard let tool = event.tool else { return }
        let session = event.session ?? ""
        var context = sessionContext(event, home: event.home ?? home(for: event.context.cwd))
        if !scripts.isEmpty, let input { context.scripts = scripts(session: session, named: input.rawBytes) }
        let cached = classifier.cachedClassify(tool: tool, input: input, context: context)
        event.classes |= cached.classification.classes.rawValue
        if let json = cached.targetsJSON { event.targets = json }
        if let production = cached.production { event.production = production }
        remember(cached.classification, event: event)
        // Most actions write no script, in sessions that have none: nothing of the event is handed on then.
        if !cached.classification.scriptChanges.isEmpty || !scripts.isEmpty { rememberScripts(cached.classification, event: event) }
    }

    /// Classifies an action event as if it ran in `context` (a call's own directory, the file's context), keeping the
    /// event's own context: only its classes, targets and production verdict change.
    func classify(_ event: inout EventRecord, input: JSONValue?, in context: EventContext) {
        var copy = event
        copy.context = context
        classify(&copy, input: input)
        event.classes = copy.classes
        event.targets = copy.targets
        event.production = copy.production
    }

    /// Classifies a shell command line given without a tool input object.
    func classify(_ event: inout EventRecord, command: String) {
        let session = event.session ?? ""
        var context = sessionContext(event, home: event.home ?? PathNormalizer.inferHome(from: event.context.cwd))
        if !scripts.isEmpty {
            var text = command
            context.scripts = text.withUTF8 { scripts(session: session, named: UnsafeRawBufferPointer($0)) }
        }
        let result = ShellAnalyzer.classify(command, context: context)
        apply(result, to: &event)
        remember(result, event: event)
        if !result.scriptChanges.isEmpty || !scripts.isEmpty { rememberScripts(result, event: event) }
    }

    /// A command line classified as the session would run it, without touching the session's state (its branch, kube
    /// context, scripts): for a command another record ran already (a result's `gitOperation`, a process polled).
    func classifyDetached(_ command: String, for event: EventRecord, branch: String? = nil) -> Classification {
        let context = sessionContext(event, home: event.home ?? PathNormalizer.inferHome(from: event.context.cwd), branch: branch,
                                     rememberBranch: false)
        return ShellAnalyzer.classify(command, context: context)
    }

    // MARK: Scripts written, then run

    /// Each session's shell scripts (`ScriptFiles`), by absolute path. Bounded in bytes and sessions: when
    /// full it is cleared, which only means a later run of a script is not followed into it.
    private var scripts: [ExactText: [String: String]] = [:]
    private var scriptBytes = 0
    static let scriptBytesLimit = 16 << 20

    /// The session's scripts whose file name the input mentions, and those their text mentions in turn (a script
    /// that runs another): only those can be run by it, and only those join the classification cache's key.
    private func scripts(session: String, named bytes: UnsafeRawBufferPointer) -> [String: String] {
        guard let known = scripts[ExactText(session)], let base = bytes.baseAddress else { return [:] }
        func mentioned(_ path: String, in text: UnsafeRawBufferPointer) -> Bool {
            guard let start = text.baseAddress else { return false }
            var name = ShellAnalyzer.basename(path)
            return name.withUTF8 { !$0.isEmpty && StringSearch.find(start, text.count, UnsafeRawPointer($0.baseAddress!), $0.count) != nil }
        }
        var found = known.filter { path, _ in mentioned(path, in: UnsafeRawBufferPointer(start: base, count: bytes.count)) }
        var queue = Array(found.values)
        while let text = queue.popLast(), found.count < known.count {
            var text = text
            text.withUTF8 { content in
                for (path, script) in known where found[path] == nil && mentioned(path, in: UnsafeRawBufferPointer(content)) {
                    found[path] = script
                    queue.append(script)
                }
            }
        }
        return found
    }

    /// What an action's call changed in the session's scripts, by call, to undo when the call turns out not to
    /// have run (denied) or to have failed (a file tool's edit that did not apply).
    private var scriptUndo: [ExactText: (shell: Bool, before: [(path: String, content: String?)])] = [:]
    /// Whether a call's script changes wait for its outcome (`settleScripts` has work).
    var scriptsUnsettled: Bool { !scriptUndo.isEmpty }
    /// The calls whose script changes were applied, by session and call id.
    private var appliedCalls: Set<ExactText> = []

    private static func undoKey(_ event: EventRecord) -> ExactText? {
        guard let callID = event.callID else { return nil }
        return ExactText((event.session ?? "") + "\u{0}" + callID)
    }

    /// Whether the event says its call did not change files: refused, or a file tool that failed (a shell command
    /// that failed may have written its files before it did). `shell` says the call's tool is a shell, when the
    /// event (a result) does not name its tool.
    private static func changedNothing(_ event: EventRecord, shell: Bool? = nil) -> Bool {
        if event.outcome == .denied || event.decision == .deny { return true }
        guard event.outcome == .failure else { return false }
        return !(shell ?? event.tool.map { ActionClassifier.shellTools.contains($0.lowercased()) } ?? true)
    }

    /// Applies what an action wrote to the session's scripts; a deleted script is forgotten.
    private func rememberScripts(_ classification: Classification, event: EventRecord) {
        let key = ExactText(event.session ?? "")
        var changes = classification.scriptChanges
        if let known = scripts[key] {
            for target in classification.targets where target.kind == .path && target.operation == "delete" && known[target.value] != nil {
                changes.append(ScriptChange(path: target.value, kind: .unknown))
            }
        }
        guard !changes.isEmpty, !DecodingState.changedNothing(event) else { return }
        // One call logged again (a hook after it, a transcript beside the hooks) changes the script once: a chain of
        // edits applied twice would not find its first old text.
        if let call = DecodingState.undoKey(event), !classification.scriptChanges.isEmpty {
            if appliedCalls.contains(call) { return }
            if appliedCalls.count > DecodingState.tableLimit { appliedCalls.removeAll() }
            appliedCalls.insert(call)
        }
        var table = scripts[key] ?? [:]
        if event.kind != .toolResult, let undo = DecodingState.undoKey(event) {
            if scriptUndo.count > DecodingState.tableLimit { scriptUndo.removeAll() }
            var entry = scriptUndo[undo] ?? (event.tool.map { ActionClassifier.shellTools.contains($0.lowercased()) } ?? true, [])
            for change in changes where !entry.before.contains(where: { $0.path == change.path }) {
                entry.before.append((change.path, table[change.path]))
            }
            scriptUndo[undo] = entry
        }
        ScriptFiles.apply(changes, to: &table)
        store(table, for: key)
        if scriptBytes > DecodingState.scriptBytesLimit || scripts.count > DecodingState.tableLimit {
            scripts.removeAll()
            scriptUndo.removeAll()
            scriptBytes = 0
        }
    }

    /// Keeps a session's scripts, counting the bytes they hold.
    private func store(_ table: [String: String], for key: ExactText) {
        func size(_ table: [String: String]?) -> Int { table?.values.reduce(0) { $0 + $1.utf8.count } ?? 0 }
        scriptBytes += size(table) - size(scripts[key])
        scripts[key] = table.isEmpty ? nil : table
    }

    /// Every decoded event passes here: a call refused or failed gives back what it changed in the session's
    /// scripts (`Write deploy.sh` the person rejected did not write the file); a result settles its call.
    func settleScripts(_ event: EventRecord) {
        guard let undo = DecodingState.undoKey(event) else { return }
        guard let entry = scriptUndo[undo] else { return }
        if DecodingState.changedNothing(event, shell: entry.shell) {
            let key = ExactText(event.session ?? "")
            var table = scripts[key] ?? [:]
            for (path, content) in entry.before { table[path] = content }
            store(table, for: key)
            scriptUndo[undo] = nil
        } else if event.kind == .toolResult, event.outcome != nil {
            scriptUndo[undo] = nil
        }
    }

    /// Every decoded event passes here while a selection waits: a call that failed or did not run selected nothing; a
    /// successful result settles its call.
    func settleSelections(_ event: EventRecord) {
        guard let undo = DecodingState.undoKey(event), let entry = selectionUndo[undo] else { return }
        if event.outcome == .failure || event.outcome == .denied || event.decision == .deny {
            kubeContexts[entry.session] = entry.kube
            terraformWorkspaces[entry.session] = entry.workspace
            selectionUndo[undo] = nil
        } else if event.kind == .toolResult, event.outcome != nil {
            selectionUndo[undo] = nil
        }
    }

    /// The policy's production verdicts on names (Kubernetes namespaces, environments), remembered: a log
    /// names the same few again and again, and tokenizing a name costs more than the lookup.
    private var productionVerdicts: [ExactText: String?] = [:]

    func productionToken(_ name: String) -> String? {
        if let known = productionVerdicts[ExactText(name)] { return known }
        if productionVerdicts.count > DecodingState.tableLimit { productionVerdicts.removeAll() }
        let verdict = classifier.policy.production.match(name)
        productionVerdicts[ExactText(name)] = verdict
        return verdict
    }

    func apply(_ result: Classification, to event: inout EventRecord) {
        event.classes |= result.classes.rawValue
        if let json = result.targetsJSON { event.targets = json }
        if result.isProduction { event.production = result.production.joined(separator: "; ") }
    }

    // MARK: Call ids a harness reuses

    private struct IssuedCallID {
        var session: String?
        var callID: String
        /// What the call did: another call under the same id differs in one of them.
        var tool: String?, command: String?, targets: String?, classes: Int64
        var stored: String
        var generation: Int
        /// A result (or an outcome) of the call was logged.
        var ended: Bool
        /// When the call was logged: the same call logged again (a copy serialized otherwise) has its time; the same
        /// command run again after its result (re-run once a person allowed it) has a later one.
        var ts: Int64?

        func isSameCall(as event: EventRecord) -> Bool {
            classes == event.classes && DecodingState.sameBytes(tool, event.tool) && DecodingState.sameBytes(command, event.command)
                && DecodingState.sameBytes(targets, event.targets) && (ts == nil || event.ts == nil || ts == event.ts)
        }
    }

    /// The latest `harness-v1` calls, newest at `issuedNext - 1`: the id each is stored under; `issuedSlots` finds the
    /// slot of a call id's latest call by a hash of the id (a slot reused for another call leaves the map).
    private var issuedCallIDs: [IssuedCallID] = []
    private var issuedKeys: [UInt64] = []
    private var issuedSlots: [UInt64: Int] = [:]
    private var issuedNext = 0

    /// FNV-1a of a call id's bytes.
    private static func callKey(_ callID: String) -> UInt64 {
        var text = callID
        return text.withUTF8 { bytes in
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            return hash
        }
    }

    /// The call id a `harness-v1` event is stored under. A harness that numbers calls per turn reuses an id (`call_0`)
    /// for a different call: a tool call whose id one of the last 256 calls had in its session, once that call's result
    /// was logged, with another tool, command, targets or classes, is a new call, stored as `call_0#2` (then `#3`…), and
    /// the results and decisions after it are its. Before its result (an input a hook rewrote), and for the same call
    /// logged again (a retry, a copy serialized otherwise), the id stays.
    func harnessV1CallID(_ event: EventRecord, callID: String) -> String {
        // The key: the call id and the session (one id in many sessions is many calls).
        var key = DecodingState.callKey(callID)
        if let session = event.session { key = key &* 31 &+ DecodingState.callKey(session) }
        var latest: Int?
        if let slot = issuedSlots[key], issuedCallIDs[slot].callID == callID,
           DecodingState.sameBytes(issuedCallIDs[slot].session, event.session) {
            latest = slot
        }
        let ends = event.kind == .toolResult || event.outcome != nil
        // A call, or the permission request that comes before it and says what it will run (its decision names no input):
        // either may open a new call under an id the previous call ended with.
        let opens = event.kind == .toolCall || event.kind == .permissionRequest && (event.command != nil || event.targets != nil)
        guard opens else {
            guard let latest else { return callID }
            if ends { issuedCallIDs[latest].ended = true }
            return issuedCallIDs[latest].stored
        }
        if let latest, !issuedCallIDs[latest].ended || issuedCallIDs[latest].isSameCall(as: event) {
            if ends { issuedCallIDs[latest].ended = true }
            return issuedCallIDs[latest].stored
        }
        let generation = latest.map { issuedCallIDs[$0].generation + 1 } ?? 1
        let record = IssuedCallID(session: event.session, callID: callID, tool: event.tool, command: event.command, targets: event.targets,
                                  classes: event.classes, stored: generation == 1 ? callID : "\(callID)#\(generation)",
                                  generation: generation, ended: ends, ts: event.ts)
        if let latest {
            issuedCallIDs[latest] = record   // the newest of its id: found first from now on
            return record.stored
        }
        if issuedCallIDs.count < DecodingState.recentCallLimit {
            issuedCallIDs.append(record)
            issuedKeys.append(key)
        } else {
            // The oldest call leaves: its id is no longer found.
            if issuedSlots[issuedKeys[issuedNext]] == issuedNext { issuedSlots[issuedKeys[issuedNext]] = nil }
            issuedCallIDs[issuedNext] = record
            issuedKeys[issuedNext] = key
        }
        issuedSlots[key] = issuedNext
        issuedNext = (issuedNext + 1) % DecodingState.recentCallLimit
        return record.stored
    }

    // MARK: What a result repeats of its call

    private struct CallRecord {
        var session: String?
        var callID: String
        var targets: String?
        var command: String?
        var attributes: String?
    }

    /// The latest calls, newest at `recentNext - 1`: a result follows its call closely, and a
    /// short ring costs less per event than a table keyed by session and call id.
    private var recentCalls: [CallRecord] = []
    private var recentNext = 0
    static let recentCallLimit = 256

    /// A tool result that repeats its call (Claude `PostToolUse` carries `tool_input` and `prompt_id`
    /// again; a result without input still names its tool) stores what it repeats once, on the call:
    /// its targets when they equal the call's or are the call's trailing command families, its command
    /// and its attributes when equal. Its classes stay. Rules read an action's targets, command and
    /// attributes from its call, so nothing they see changes; a result whose call is not among the
    /// last 256 calls of this ingest run keeps everything. Values are compared byte for byte.
    func storeOnceWithCall(_ event: inout EventRecord) {
        guard let callID = event.callID else { return }
        switch event.kind {
        case .toolCall:
            let record = CallRecord(session: event.session, callID: callID, targets: event.targets, command: event.command,
                                    attributes: event.attributes)
            if recentCalls.count < DecodingState.recentCallLimit {
                recentCalls.append(record)
            } else {
                recentCalls[recentNext] = record
            }
            recentNext = (recentNext + 1) % DecodingState.recentCallLimit
        case .toolResult:
            guard let call = recentCall(session: event.session, callID: callID) else { return }
            if let targets = event.targets, let callTargets = call.targets,
               DecodingState.sameBytes(targets, callTargets) || DecodingState.isTrailingElements(targets, of: callTargets) {
                event.targets = nil
            }
            if let command = event.command, DecodingState.sameBytes(command, call.command) { event.command = nil }
            if let attributes = event.attributes, DecodingState.sameBytes(attributes, call.attributes) {
                event.attributes = nil
            }
        default:
            break
        }
    }

    /// Whether a failed tool result shows the platform refused its call (`PlatformRefusal`), and what it said: its
    /// output says so, and its command is one command: the result's own (OTel `tool_result` records carry the call's
    /// arguments), else its call's, found among the last 256 calls (a call with no shell command at all counts too).
    func platformRefusal(_ event: EventRecord) -> String? {
        // (A record that is call and result at once, as Gemini CLI's `tool_call` is, carries its own command.)
        guard event.kind == .toolResult || event.kind == .toolCall && event.command != nil, event.outcome == .failure,
              let attributes = event.attributes,
              PlatformRefusal.phrases.contains(where: { attributes.containsASCII($0.phrase) }) else { return nil }
        // The output the decoder kept: the error text, or the output and its streams.
        let output = withNestedJSON(attributes) { root in
            ["error", "output", "stderr", "stdout"].compactMap { root?[$0]?.string }.joined(separator: "\n")
        }
        guard let reason = PlatformRefusal.reason(in: output) else { return nil }
        if let command = event.command { return PlatformRefusal.isSingleCommand(command) ? reason : nil }
        guard let callID = event.callID, let call = recentCall(session: event.session, callID: callID) else { return nil }
        guard let command = call.command else { return reason }
        return PlatformRefusal.isSingleCommand(command) ? reason : nil
    }

    /// A Claude Code result's `gitOperation` (`{push:{branch}}`, `{pr:{number, action}}`): what the call did in git,
    /// which its command may not say (a bare `git push` in a hook payload, which names no branch; a script that merged
    /// a pull request). The result's targets are then its call's command classified on the branch pushed, plus the
    /// pull request merged, and they stand for the action.
    func applyGitOperation(_ git: JSONValue?, to event: inout EventRecord) {
        guard let git, git.isObject, event.kind == .toolResult, let callID = event.callID else { return }
        let pushed = git["push"]?["branch"]?.string.flatMap { $0.isEmpty ? nil : $0 }
        let pr = git["pr"]
        let merged = pr?["action"]?.string?.lowercased() == "merged" ? pr?["number"]?.scalarText : nil
        guard pushed != nil || merged != nil,
              let command = event.command ?? recentCommand(session: event.session, callID: callID) else { return }
        // (The call changed the session's state already.)
        let found = classifyDetached(command, for: event, branch: pushed)
        var targets = found.targetsJSON ?? "[]"
        var classes = found.classes
        if let merged {
            let value = #""value":"# + JSONWriter.quoted("pull request \(merged)") + #","op":"merge""#
            if !targets.contains(value) {   // (`gh pr merge 12` names it already.)
                let target = #"{"kind":"resource","# + value + "}"
                targets = targets == "[]" ? "[" + target + "]" : String(targets.dropLast()) + "," + target + "]"
            }
            classes.formUnion([.merge, .vcs])
        }
        // Claude Code saw the call push to a protected branch (`gitOperation.push.branch: "main"`) whatever ran it (an
        // alias, a script): a push there.
        if let pushed, !classes.contains(.merge), classifier.policy.protectedBranches.isProtected(pushed) {
            let value = #""value":"# + JSONWriter.quoted(pushed) + #","op":"push""#
            if !targets.contains(value) {
                let target = #"{"kind":"branch","# + value + "}"
                targets = targets == "[]" ? "[" + target + "]" : String(targets.dropLast()) + "," + target + "]"
            }
            classes.formUnion([.merge, .vcs])
        }
        event.classes |= classes.rawValue
        event.targets = targets
        if found.isProduction { event.production = found.production.joined(separator: "; ") }
        event.flags.insert(.resultTargets)
    }

    /// Whether the call `callID` of `session` is among the last 256 calls and runs no shell command (an MCP tool's).
    func recentCallRunsNoCommand(session: String?, callID: String) -> Bool {
        guard let call = recentCall(session: session, callID: callID) else { return false }
        return call.command == nil
    }

    /// The command of the call `callID` of `session`, if it is among the last 256 calls.
    func recentCommand(session: String?, callID: String) -> String? {
        recentCall(session: session, callID: callID)?.command
    }

    /// The call `callID` of `session` among the last 256 calls, newest first.
    private func recentCall(session: String?, callID: String) -> CallRecord? {
        let count = recentCalls.count
        guard count > 0 else { return nil }
        var index = (recentNext + count - 1) % count
        for _ in 0..<count {
            let call = recentCalls[index]
            if DecodingState.sameBytes(call.callID, callID) && DecodingState.sameBytes(call.session, session) { return call }
            index = (index + count - 1) % count
        }
        return nil
    }

    /// Byte equality of two optional strings; nil equals only nil.
    static func sameBytes(_ a: String?, _ b: String?) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        return a.hasSameBytes(as: b)
    }

    /// Whether the JSON array `part` is the last elements of the JSON array `whole`, as the targets
    /// writer prints them (`[{…},{…}]`, no spaces): `whole` ends with `,` and `part` without its `[`.
    /// A `,{` followed by the rest up to the closing bracket cannot sit inside a string: quotes in
    /// strings are escaped.
    static func isTrailingElements(_ part: String, of whole: String) -> Bool {
        var part = part, whole = whole
        return part.withUTF8 { p in
            whole.withUTF8 { w in
                // `[{` … `}]`, and `whole` has room for at least one more element before it.
                guard p.count >= 4, p[0] == 0x5B, p[1] == 0x7B, p[p.count - 2] == 0x7D, p[p.count - 1] == 0x5D,
                      w.count > p.count + 2 else { return false }
                let start = w.count - (p.count - 1)
                return w[start - 1] == 0x2C && memcmp(w.baseAddress! + start, p.baseAddress! + 1, p.count - 1) == 0
            }
        }
    }

    // MARK: Claude PermissionRequest → PreToolUse (same session, tool and input).

    /// Sessions, tools and calls are told apart byte for byte (Swift's `==` would merge a composed and a
    /// decomposed "é").
    private struct PendingKey: Hashable {
        var session: ExactText
        var tool: ExactText
        var inputHash: UInt64
    }

    private var pendingCalls: [PendingKey: String] = [:]
    private var pendingByTool: [ExactText: [ExactText: UInt64]] = [:]  // session+tool → call → the hash of what it acts on

    /// `subjectHash`: the hash of what the input acts on (the command, the file), whatever else it says.
    func rememberToolUse(session: String, tool: String, inputHash: UInt64, subjectHash: UInt64, callID: String) {
        if pendingCalls.count > DecodingState.tableLimit {
            pendingCalls.removeAll()
            pendingByTool.removeAll()
        }
        pendingCalls[PendingKey(session: ExactText(session), tool: ExactText(tool), inputHash: inputHash)] = callID
        pendingByTool[ExactText(session + "\u{1F}" + tool), default: [:]][ExactText(callID)] = subjectHash
    }

    /// The call a permission request is about: the latest tool use with the same input, else the only pending tool
    /// use of that tool in the session acting on the same thing (the same command or file: its other fields may be
    /// written otherwise). A dialog about another command is about no pending call.
    func inferCall(session: String, tool: String, inputHash: UInt64, subjectHash: UInt64) -> String? {
        if let call = pendingCalls[PendingKey(session: ExactText(session), tool: ExactText(tool), inputHash: inputHash)] { return call }
        let same = pendingByTool[ExactText(session + "\u{1F}" + tool)]?.filter { $0.value == subjectHash } ?? [:]
        return same.count == 1 ? same.keys.first?.text : nil
    }

    func completeToolUse(session: String, tool: String, callID: String) {
        let key = ExactText(session + "\u{1F}" + tool)
        pendingByTool[key]?[ExactText(callID)] = nil
        if pendingByTool[key]?.isEmpty == true { pendingByTool[key] = nil }
    }

    func endSession(_ session: String) {
        let ended = ExactText(session)
        pendingCalls = pendingCalls.filter { $0.key.session != ended }
        let prefix = Array((session + "\u{1F}").utf8)
        pendingByTool = pendingByTool.filter { !$0.key.text.utf8.starts(with: prefix) }
    }

    // MARK: OTel sessions' workspaces (the first directory a call named)

    private var workspaces: [ExactText: String] = [:]

    /// The session's workspace: the first directory any of its calls named that can be one (`proposed`, nil when this one
    /// cannot), nil while there is none.
    func workspace(session: String, proposed: String?) -> String? {
        if workspaces.count > DecodingState.tableLimit { workspaces.removeAll() }
        if let known = workspaces[ExactText(session)] { return known }
        guard let proposed else { return nil }
        workspaces[ExactText(session)] = proposed
        return proposed
    }

    // MARK: Claude OTel decisions without a call id → the next result of that tool

    private var otelDecisions: [ExactText: [String]] = [:]

    /// A decision that allowed a call of `tool` (older builds name no call): the next result of that tool in the
    /// session is that call's.
    func rememberOTelDecision(session: String, tool: String, call: String) {
        if otelDecisions.count > DecodingState.tableLimit { otelDecisions.removeAll() }
        otelDecisions[ExactText(session + "\u{1F}" + tool), default: []].append(call)
    }

    private var lastOTelDecision: (key: ExactText, ts: Int64, count: Int)?

    /// "" for the first decision of a tool in a session at a millisecond, ":2", ":3"… for the next ones.
    func otelDecisionSuffix(session: String, tool: String, ts: Int64) -> String {
        let key = ExactText(session + "\u{1F}" + tool)
        if let last = lastOTelDecision, last.key == key, last.ts == ts {
            lastOTelDecision = (key, ts, last.count + 1)
            return ":\(last.count + 1)"
        }
        lastOTelDecision = (key, ts, 1)
        return ""
    }

    /// The call of the earliest decision of `tool` in the session not yet followed by its result.
    func takeOTelDecision(session: String, tool: String) -> String? {
        let key = ExactText(session + "\u{1F}" + tool)
        guard var calls = otelDecisions[key], !calls.isEmpty else { return nil }
        let call = calls.removeFirst()
        otelDecisions[key] = calls.isEmpty ? nil : calls
        return call
    }

    // MARK: harness-v1 hash chains

    private var lastDigestBySession: [ExactText: (digest: Digest32, source: Int)] = [:]
    let chainHasher = SHA256Hasher()
    /// Which source of the run is being read (the chain's previous line may be another file's).
    private var sourceNumber = 0

    /// Records the digest of this session's latest `harness-v1` line; returns the previous one, and whether it was
    /// a line of the same file.
    func exchangeChainDigest(session: String, line: UnsafeRawBufferPointer) -> (previous: Digest32?, sameSource: Bool) {
        if lastDigestBySession.count > DecodingState.tableLimit { lastDigestBySession.removeAll() }
        let previous = lastDigestBySession.updateValue((chainHasher.digest(line), sourceNumber), forKey: ExactText(session))
        return (previous?.digest, previous?.source == sourceNumber)
    }

    /// The digests of the current source's last rejected lines (at most 16): a `harness-v1` line whose `prev_hash`
    /// names one follows a line that could not be read (its own audit gap), not an altered or removed one.
    private var rejectedDigests: [Digest32] = []

    func noteRejectedLine(_ line: UnsafeRawBufferPointer) {
        noteRejectedDigest(chainHasher.digest(line))
    }

    /// The same for a line known by its digest (one too long to be kept whole: its hash was taken as it streamed by).
    func noteRejectedDigest(_ digest: Digest32) {
        if rejectedDigests.count >= 16 { rejectedDigests.removeFirst() }
        rejectedDigests.append(digest)
    }

    func followsRejectedLine(_ digest: Digest32) -> Bool {
        !rejectedDigests.isEmpty && rejectedDigests.contains(digest)
    }

    // MARK: Per-file state

    /// What a Codex rollout file has said so far: its session and the policy in force.
    struct CodexFile {
        var session: String?
        /// The session this file's session forked from (`forked_from_id`): its `session_meta`, copied with its
        /// history, is not another session's rollout.
        var forkedFrom: String?
        /// When the fork began (its `session_meta`'s time): lines dated before it are the parent's history, copied.
        var forkStart: Int64?
        var context = EventContext(agent: "codex")
        var policy = PolicyState()
        var sawTurnContext = false
        /// Commands the approval policy put to the user: one that asked to run outside the sandbox
        /// (`sandbox_permissions: "require_escalated"`) under `on-request` or `untrusted`, and any command under
        /// `untrusted`. The rollout keeps neither the request nor the answer, so one of these that ran was approved by
        /// the user (log-formats §2.1: inferred from the policy and the call's arguments).
        var escalationsAsked: Set<String> = []
        /// The programs Codex left running (`Process running with session ID 8`), by that id: what `write_stdin` types
        /// into, last the one reading now (a database client started in a shell, over the shell).
        var processes: [String: [String]] = [:]
        /// The `write_stdin` calls: their outputs name the process they typed into, not a new one.
        var typedCalls: Set<String> = []
        /// The processes waiting at a password prompt: the next line typed into one is a secret.
        var awaitingSecret: Set<String> = []
        /// Who answers the policy's questions (`turn_context.approvals_reviewer`): the user unless it names an
        /// automated reviewer (`auto_review`, `guardian_subagent`), whose approval is no person's.
        var reviewer: String?

        /// The source of an approval inferred from the policy: the user's, or an automated reviewer's.
        var inferredApprovalSource: DecisionSource {
            guard let reviewer, !reviewer.isEmpty else { return .user }
            return ["user", "human", "person"].contains(CodexFile.policyName(reviewer)) ? .user : .auto
        }

        static func policyName(_ policy: String?) -> String {
            (policy ?? "").lowercased().filter { $0 != "-" && $0 != "_" }
        }

        /// Whether Codex asks the user before running a call that requests escalation, under approval policy `policy`.
        static func asksForEscalation(_ policy: String?) -> Bool {
            ["onrequest", "untrusted", "unlesstrusted", "unlessallowlisted"].contains(policyName(policy))
        }

        /// Whether Codex asks the user before running any command it does not know to be read-only.
        static func asksForEveryCommand(_ policy: String?) -> Bool {
            // (`unless-allow-listed`: the earliest builds' name for `untrusted`.)
            ["untrusted", "unlesstrusted", "unlessallowlisted"].contains(policyName(policy))
        }
    }

    var codexFile = CodexFile()
    /// The session of the Claude transcript being read (summary lines carry none).
    var transcriptSession: String?
    /// The path of the source being read, as given.
    private(set) var sourcePath = ""

    /// The undated lines of the current source, by content key: how many came so far.
    private var undatedLines: [UInt64: Int] = [:]

    /// How many lines of the current source with no time had `key` before this one. Identical undated lines
    /// can be separate events (a Claude `PermissionRequest` names no call and hook payloads carry no time: two
    /// dialogs for the same command are byte for byte alike), so each repeat takes a key of its own; a copy of
    /// the file repeats them in the same order, so ingesting it again still adds nothing.
    /// The count is kept for up to `repeatLimit` distinct lines of a source (about 20 MB), then starts again.
    func repeats(of key: UInt64) -> Int {
        if undatedLines.count > DecodingState.repeatLimit { undatedLines.removeAll() }
        let seen = undatedLines[key, default: 0]
        undatedLines[key] = seen + 1
        return seen
    }

    /// The key of the current source's first line (in 16 hex digits), for records that name no session: the file's.
    private var fileSession: String?

    func fileSessionKey(_ line: DecodeLine) -> String {
        if let fileSession { return fileSession }
        let key = "file-" + String(DecodeSupport.contentKey(line: line.bytes, record: 0), radix: 16)
        fileSession = key
        return key
    }

    /// Called when a new source starts: per-file state is reset.
    func beginSource(path: String = "") {
        sourcePath = path
        sourceNumber += 1
        undatedLines.removeAll(keepingCapacity: true)
        codexFile = CodexFile()
        transcriptSession = nil
        fileSession = nil
        rejectedDigests.removeAll()
        if let id = DecodingState.sessionID(fromRolloutPath: path) { codexFile.session = id }
    }

    /// The thread id at the end of a rollout file name (`rollout-2025-10-01T12-12-33-<uuid>.jsonl`).
    static func sessionID(fromRolloutPath path: String) -> String? {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard name.hasPrefix("rollout-") else { return nil }
        var stem = name
        for suffix in [".gz", ".zst", ".jsonl", ".json"] where stem.hasSuffix(suffix) { stem.removeLast(suffix.count) }
        guard stem.count >= 36 else { return nil }
        let candidate = String(stem.suffix(36))
        let dashes = candidate.filter { $0 == "-" }.count
        return dashes == 4 ? candidate : nil
    }

    // MARK: Session policy (transcripts carry the mode on prompt entries only)

    private var policyBySession: [ExactText: PolicyState] = [:]

    func rememberPolicy(_ policy: PolicyState, session: String) {
        if policyBySession.count > DecodingState.tableLimit { policyBySession.removeAll() }
        policyBySession[ExactText(session)] = policy
    }

    func lastPolicy(session: String) -> PolicyState? { policyBySession[ExactText(session)] }
}
