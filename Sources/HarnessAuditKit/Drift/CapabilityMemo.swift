/// Remembers what `CapabilityExtractor` derives from each distinct action for one scan: a fleet repeats
/// the same calls (`npm test` in the same workspace, the same file read again) across its sessions, and
/// parsing the targets and deriving the capabilities was most of the least-privilege scan's work.
/// Actions compare byte for byte, every field the extractor reads. Bounded: it starts over when full,
/// so memory stays flat.
final class CapabilityMemo {
    /// What the extractor derives from one action.
    struct Derived {
        let capabilities: [Capability]
        let writes: [String]
        let targets: [(kind: String, value: String, op: String?)]
    }

    /// An action as a key: every field the extractor reads, compared by bytes.
    private struct Key: Hashable {
        let action: CapabilityExtractor.Action

        static func == (a: Key, b: Key) -> Bool {
            let x = a.action, y = b.action
            return x.classes == y.classes && x.isKubernetes == y.isKubernetes && ExactText.same(x.targets, y.targets)
                && ExactText.same(x.tool, y.tool) && ExactText.same(x.cwd, y.cwd) && ExactText.same(x.production, y.production)
                && ExactText.same(x.mode, y.mode) && ExactText.same(x.approvalPolicy, y.approvalPolicy)
                && ExactText.same(x.sandbox, y.sandbox)
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(action.classes.rawValue)
            hasher.combine(action.isKubernetes)
            ExactText.combine(action.targets, into: &hasher)
            ExactText.combine(action.tool, into: &hasher)
            ExactText.combine(action.cwd, into: &hasher)
            ExactText.combine(action.production, into: &hasher)
            ExactText.combine(action.mode, into: &hasher)
            ExactText.combine(action.approvalPolicy, into: &hasher)
            ExactText.combine(action.sandbox, into: &hasher)
        }
    }

    private let extractor: CapabilityExtractor
    private let capacity: Int
    private var known: [Key: Derived] = [:]

    init(extractor: CapabilityExtractor, capacity: Int = 50_000) {
        self.extractor = extractor
        self.capacity = capacity
    }

    /// The targets, capabilities and writes of `action`, derived once per distinct action.
    func derive(_ action: CapabilityExtractor.Action) -> Derived {
        let key = Key(action: action)
        if let derived = known[key] { return derived }
        let targets = Classification.storedTargets(action.targets)
        let (capabilities, writes) = extractor.capabilities(of: action, targets: targets)
        let derived = Derived(capabilities: capabilities, writes: writes, targets: targets)
        if known.count >= capacity { known.removeAll(keepingCapacity: true) }
        known[key] = derived
        return derived
    }
}
