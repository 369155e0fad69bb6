/// Action classes (DESIGN §3.1), stored per event as a bit set in `events.classes`.
/// `network`, `privilege` and `obfuscated` extend the DESIGN list: they feed drift
/// (network hosts), privilege escalation, and make unparseable input visible.
public struct ActionClasses: OptionSet, Hashable, Sendable {
    public let rawValue: Int64
    public init(rawValue: Int64) { self.rawValue = rawValue }

    public static let delete = ActionClasses(rawValue: 1 << 0)
    public static let write = ActionClasses(rawValue: 1 << 1)
    public static let read = ActionClasses(rawValue: 1 << 2)
    public static let sensitiveRead = ActionClasses(rawValue: 1 << 3)
    public static let deploy = ActionClasses(rawValue: 1 << 4)
    public static let merge = ActionClasses(rawValue: 1 << 5)
    public static let schema = ActionClasses(rawValue: 1 << 6)
    public static let remoteExec = ActionClasses(rawValue: 1 << 7)
    public static let highRisk = ActionClasses(rawValue: 1 << 8)
    public static let credential = ActionClasses(rawValue: 1 << 9)
    public static let test = ActionClasses(rawValue: 1 << 10)
    public static let vcs = ActionClasses(rawValue: 1 << 11)
    /// Reaches a network host (URL fetch, ssh, package registry).
    public static let network = ActionClasses(rawValue: 1 << 12)
    /// Changes who may do what (RBAC bindings, impersonation, SQL GRANT).
    public static let privilege = ActionClasses(rawValue: 1 << 13)
    /// Could not be analysed statically: a variable or substitution as the command word,
    /// `eval` of dynamic text, encoded payloads.
    public static let obfuscated = ActionClasses(rawValue: 1 << 14)

    /// Every class with its stored name, in bit order.
    public static let all: [(ActionClasses, String)] = [
        (.delete, "delete"), (.write, "write"), (.read, "read"), (.sensitiveRead, "sensitive_read"),
        (.deploy, "deploy"), (.merge, "merge"), (.schema, "schema"), (.remoteExec, "remote_exec"),
        (.highRisk, "high_risk"), (.credential, "credential"), (.test, "test"), (.vcs, "vcs"),
        (.network, "network"), (.privilege, "privilege"), (.obfuscated, "obfuscated"),
    ]

    public var names: [String] { ActionClasses.all.filter { contains($0.0) }.map(\.1) }

    public static func named(_ name: String) -> ActionClasses? {
        all.first { $0.1 == name }?.0
    }
}

/// What an action touches.
public struct ActionTarget: Hashable, Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case path, url, host, namespace, context, cluster, project, workspace, app, branch, remote, table, database,
             resource, secret, image, package, testRunner = "test_runner", command, credential, principal, environment,
             statement
    }

    public var kind: Kind
    public var value: String
    /// `read`, `write`, `delete`, `exec`, `deploy`, … when it matters.
    public var operation: String?
    /// Token lifetime in seconds for `credential` targets.
    public var lifetimeSeconds: Int64?

    public init(_ kind: Kind, _ value: String, operation: String? = nil, lifetimeSeconds: Int64? = nil) {
        self.kind = kind
        self.value = value
        self.operation = operation
        self.lifetimeSeconds = lifetimeSeconds
    }
}

/// The outcome of classifying one action.
public struct Classification: Sendable, Equatable {
    public var classes: ActionClasses = []
    /// Why each class was given, in the order found.
    public var reasons: [Reason] = []
    public var targets: [ActionTarget] = []
    /// The default policy's production verdict (DESIGN §4): evidence when production was detected.
    public var production: [String] = []
    /// Program plus subcommand of each command run (`kubectl delete`, `terraform apply`), for drift.
    public var commandFamilies: [String] = []
    /// Facts that explain why something was not counted (`--dry-run`, quoted text).
    public var notes: [String] = []
    /// A kube context the action selected for later commands of the session.
    public var selectedKubeContext: String?
    /// The terraform (or OpenTofu) workspace the action selected, and the directory it was selected for: it holds for
    /// the session's later runs there (terraform keeps it in that directory's `.terraform/environment`).
    public var selectedTerraformWorkspace: TerraformWorkspace?
    /// The git branch the action switched to for later commands of the session ("": one not known, after
    /// `git checkout -`), the branch before it (`git checkout -` returns to it), and the directory it switched in.
    public var selectedBranch: String?
    public var branchBefore: String?
    public var branchDirectory: String?
    /// What the action did to files that may be shell scripts the session runs later (`ScriptFiles`).
    public var scriptChanges: [ScriptChange] = []

    public struct Reason: Sendable, Equatable {
        public var className: String
        public var text: String
    }

    public init() {}

    public var isProduction: Bool { !production.isEmpty }

    mutating func add(_ cls: ActionClasses, _ reason: String) {
        classes.insert(cls)
        for (bit, name) in ActionClasses.all where cls.contains(bit) {
            if !reasons.contains(where: { $0.className == name && $0.text == reason }) {
                reasons.append(Reason(className: name, text: reason))
            }
        }
    }

    /// Takes a class back, with its reasons, saying why.
    mutating func remove(_ cls: ActionClasses, note text: String) {
        classes.subtract(cls)
        let names = Set(ActionClasses.all.filter { cls.contains($0.0) }.map(\.1))
        reasons.removeAll { names.contains($0.className) }
        note(text)
    }

    mutating func target(_ target: ActionTarget) {
        if !targets.contains(target) { targets.append(target) }
    }

    mutating func family(_ name: String) {
        if !commandFamilies.contains(name) { commandFamilies.append(name) }
    }

    mutating func note(_ text: String) {
        if !notes.contains(text) { notes.append(text) }
    }

    mutating func productionEvidence(_ text: String) {
        if !production.contains(text) { production.append(text) }
    }

    /// The `(kind, value, op)` of targets as stored in `events.targets` (what `targetsJSON` writes).
    static func storedTargets(_ json: String?) -> [(kind: String, value: String, op: String?)] {
        guard let json, !json.isEmpty else { return [] }
        let tape = JSONTape()
        let bytes = Array(json.utf8)
        return bytes.withUnsafeBytes { buffer -> [(kind: String, value: String, op: String?)] in
            do throws(JSONTape.ParseError) { try tape.parse(buffer) } catch { return [] }
            var found: [(kind: String, value: String, op: String?)] = []
            for element in JSONValue(bytes: buffer, tape: tape).elements {
                guard let kind = element["kind"]?.string, let value = element["value"]?.scalarText else { continue }
                found.append((kind, value, element["op"]?.string))
            }
            return found
        }
    }

    /// Targets as the JSON stored in `events.targets`: `[{"kind":…,"value":…,"op":…}]`, nil when none.
    public var targetsJSON: String? {
        guard !targets.isEmpty || !commandFamilies.isEmpty else { return nil }
        var w = JSONWriter()
        w.beginArray()
        for target in targets {
            w.beginObject()
            w.field("kind", target.kind.rawValue)
            w.field("value", target.value)
            if let op = target.operation { w.field("op", op) }
            if let lifetime = target.lifetimeSeconds { w.field("lifetime_s", lifetime) }
            w.endObject()
        }
        for family in commandFamilies {
            w.beginObject()
            w.field("kind", ActionTarget.Kind.command.rawValue)
            w.field("value", family)
            w.endObject()
        }
        w.endArray()
        return w.output
    }
}
