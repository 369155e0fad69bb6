/// A source line that is evidence for a finding: the file as given to `ingest`, and the
/// 1-based line in its decompressed stream.
public struct Evidence: Sendable, Equatable, Hashable {
    public var file: String
    public var line: Int64
    public var sourceID: Int64
    public var eventID: Int64?

    /// `items` sorted by file and line, each line of a source once (the first of its events, by id); the other
    /// events of lines listed more than once. (Sources can share a path: standard input, a file replaced by
    /// rotation.)
    static func byLine(_ items: some Sequence<Evidence>) -> (evidence: [Evidence], sameLineEvents: [Int64]) {
        var evidence: [Evidence] = [], others: [Int64] = []
        for item in items.sorted(by: { ($0.file, $0.line, $0.sourceID, $0.eventID ?? -1) < ($1.file, $1.line, $1.sourceID, $1.eventID ?? -1) }) {
            if let last = evidence.last, last.file == item.file, last.line == item.line, last.sourceID == item.sourceID {
                if let id = item.eventID { others.append(id) }
            } else {
                evidence.append(item)
            }
        }
        return (evidence, others)
    }
}

/// One finding: a rule matched, with its evidence.
public struct Finding: Sendable, Equatable {
    /// A fingerprint stable across runs and stores: the rule, the session and the action's
    /// call id (or the content key of its line).
    public var id: String
    public var rule: String
    public var title: String
    public var category: String
    public var severity: Severity
    public var reason: String
    public var session: String?
    public var ts: Int64?
    public var evidence: [Evidence]
    public var agent: String?
    public var actor: String?
    public var principal: String?
    public var host: String?
    public var repo: String?
    public var target: String?
    public var command: String?
    /// Why the action has the classes behind this finding (from the classifier).
    public var details: [String] = []
    /// Other columns the rule returned.
    public var properties: [(String, String)] = []
    public var frameworks: [FrameworkCatalog.Framework: [String]] = [:]
    /// The values of the action's targets (paths, contexts, namespaces, …), for authorizations and the report.
    public var targets: [String] = []
    /// The commands the action ran (`npm publish`, `kubectl apply`), for authorizations by command.
    public var commandFamilies: [String] = []
    /// Set when a waiver accepted the finding.
    public var waiver: Waivers.Waiver? {
        get { acceptance?.waiver }
        set { acceptance = Acceptance(waiver: newValue, authorization: authorization) }
    }
    /// Set when the baseline authorizes it.
    public var authorization: Baseline.Authorization? {
        get { acceptance?.authorization }
        set { acceptance = Acceptance(waiver: waiver, authorization: newValue) }
    }
    /// The waiver and authorization, kept out of line: few findings have either, and a check holds tens of
    /// thousands of findings in arrays it copies, whose elements they would otherwise more than double.
    var acceptance: Acceptance?
    /// The event that anchors the finding (the action's call), for session timelines.
    public var anchorEventID: Int64?
    /// For a finding with no time (its action's log has none: Claude Code hook payloads), where it is placed in
    /// time: its log file's time, as windows place it. Charts use it; `ts` stays what the log said.
    public var placedTs: Int64?
    /// The other events of its evidence lines (a line that holds several records, as an OTLP batch does, is
    /// listed once): what the finding covers, for `drift`.
    public var sameLineEventIDs: [Int64] = []

    public static func == (a: Finding, b: Finding) -> Bool {
        a.id == b.id && a.rule == b.rule && a.severity == b.severity && a.reason == b.reason && a.evidence == b.evidence
    }

    /// The fingerprint of a rule, session and subject.
    public static func fingerprint(rule: String, session: String?, subject: String) -> String {
        let digest = SHA256Digest.digest(Array("\(rule)|\(session ?? "")|\(subject)".utf8))
        return String(SHA256Digest.hex(digest).prefix(16))
    }

    /// A finding's waiver and authorization (immutable; a change makes a new one).
    final class Acceptance: Sendable {
        let waiver: Waivers.Waiver?
        let authorization: Baseline.Authorization?

        init?(waiver: Waivers.Waiver?, authorization: Baseline.Authorization?) {
            if waiver == nil, authorization == nil { return nil }
            self.waiver = waiver
            self.authorization = authorization
        }
    }
}
