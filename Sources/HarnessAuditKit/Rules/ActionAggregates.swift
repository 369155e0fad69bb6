import CSQLite

/// The aggregate functions that fold an action's events into one row of the action model in a
/// single pass (`ActionModel`): each is a C callback with a fixed-size accumulator, so folding two
/// million events costs no Swift values.
///
/// - `ha_action_facts(kind, format, decision, decision_source, has_approver, outcome, flags)`: a bit set
///   of what the events say (`ActionAggregates.Fact`); a bit is set when any event says it (then `resolved`).
/// - `ha_prefer_call(is_call, value)`: the largest integer `value` among the call events, else
///   among all events; NULL when none.
///
/// And one scalar function: `ha_sorted_ids(list)`, a comma-separated list of integers in ascending order.
enum ActionAggregates {
    /// One bit per fact; the action model unpacks them into columns.
    enum Fact: Int64, CaseIterable {
        case hasCall = 1, hasResult = 2, hasRequest = 4, hasDecision = 8, deniedDecision = 16, userAllowed = 32
        case otherAllowed = 64, dialogShown = 128, approved = 256, outcomeDenied = 512, outcomeSuccess = 1024
        case outcomeFailure = 2048
        /// A person's approval the decoder inferred from the policy (`decision_inferred`: Codex asked under `on-request`
        /// or `untrusted` and the call ran). It stands for `userAllowed` unless a record states that something else
        /// approved the call (Codex OTel `source: config`, `automated_reviewer`): who approved is then known.
        case inferredAllowed = 4096

        var column: String {
            switch self {
            case .hasCall: return "has_call"
            case .hasResult: return "has_result"
            case .hasRequest: return "has_request"
            case .hasDecision: return "has_decision"
            case .deniedDecision: return "denied_decision"
            case .userAllowed: return "user_allowed"
            case .otherAllowed: return "other_allowed"
            case .dialogShown: return "dialog_shown"
            case .approved: return "approved"
            case .outcomeDenied: return "outcome_denied"
            case .outcomeSuccess: return "outcome_success"
            case .outcomeFailure: return "outcome_failure"
            case .inferredAllowed: return "inferred_allowed"
            }
        }
    }

    static let callKind = Int64(EventKind.toolCall.rawValue), resultKind = Int64(EventKind.toolResult.rawValue)
    static let requestKind = Int64(EventKind.permissionRequest.rawValue)
    static let decisionKind = Int64(EventKind.permissionDecision.rawValue)
    static let k8s = Int64(LogFormat.k8sAudit.rawValue), hook = Int64(LogFormat.claudeHook.rawValue)
    static let allow = Int64(Decision.allow.rawValue), deny = Int64(Decision.deny.rawValue)
    static let user = Int64(DecisionSource.user.rawValue)
    static let denied = Int64(Outcome.denied.rawValue), success = Int64(Outcome.success.rawValue)
    static let failure = Int64(Outcome.failure.rawValue)

    /// The facts one event contributes. NULL codes are passed as nil; `flags` are the event's (`EventFlags`).
    static func facts(kind: Int64?, format: Int64?, decision: Int64?, decisionSource: Int64?, hasApprover: Bool,
                      outcome: Int64?, flags: Int64) -> Int64 {
        var bits: Int64 = 0
        func set(_ fact: Fact, _ condition: Bool) { if condition { bits |= fact.rawValue } }
        set(.hasCall, kind == callKind)
        set(.hasResult, kind == resultKind)
        set(.hasRequest, kind == requestKind && format != nil && format != k8s)
        set(.hasDecision, kind == decisionKind)
        set(.deniedDecision, decision == deny)
        let inferred = flags & EventFlags.decisionInferred.rawValue != 0
        set(inferred ? .inferredAllowed : .userAllowed, decision == allow && decisionSource == user)
        set(.otherAllowed, decision == allow && decisionSource != nil && decisionSource != user)
        set(.dialogShown, kind == requestKind && format == hook)
        // An approver named beside a source that is no person's (`auto`, `policy`, `hook`: a bot, a policy engine) is
        // not a person's confirmation; nor is one named on a refusal (`decision: deny`, `approved_by` the person who
        // refused): a denial never confirms.
        set(.approved, hasApprover && decision != deny && (decisionSource == nil || decisionSource == user))
        let ran = kind == callKind || kind == resultKind
        set(.outcomeDenied, ran && outcome == denied)
        set(.outcomeSuccess, ran && outcome == success)
        set(.outcomeFailure, ran && outcome == failure)
        return bits
    }

    /// An action's facts once all its events are in: an inferred approval is a person's unless another record says
    /// what else approved the call, or that it was denied.
    static func resolved(_ bits: Int64) -> Int64 {
        guard bits & Fact.inferredAllowed.rawValue != 0,
              bits & (Fact.otherAllowed.rawValue | Fact.deniedDecision.rawValue) == 0 else { return bits }
        return bits | Fact.userAllowed.rawValue
    }

    /// The accumulator of `ha_prefer_call`: the best value among calls and among all, with flags.
    struct Preference {
        var call: Int64 = 0, any: Int64 = 0
        var hasCall = false, hasAny = false
        static let valueBits: Int64 = 48

        /// Takes one non-NULL value, from a call event or another; a higher `rank` wins over a larger value.
        mutating func add(_ value: Int64, isCall: Bool, rank: Int64 = 0) {
            let keyed = rank << Preference.valueBits | value
            if !hasAny || keyed > any { any = keyed }
            hasAny = true
            if isCall {
                if !hasCall || keyed > call { call = keyed }
                hasCall = true
            }
        }

        /// The value of the highest rank, then the largest, among calls, else among all; nil when none.
        var result: Int64? {
            let mask: Int64 = (1 << Preference.valueBits) - 1
            return hasCall ? call & mask : hasAny ? any & mask : nil
        }
    }

    /// A comma-separated list of integers, in ascending order (unchanged when it is already).
    static func sortedIDs(_ list: String) -> String {
        let ids = list.split(separator: ",").compactMap { Int64($0) }
        guard zip(ids, ids.dropFirst()).contains(where: { $0 > $1 }) else { return list }
        return ids.sorted().map(String.init).joined(separator: ",")
    }

    static func register(_ db: Database) throws(HarnessAuditError) {
        try db.registerFunction("ha_sorted_ids", arity: 1) { args in
            guard case .text(let list) = args[0] else { return args[0] }
            return .text(ActionAggregates.sortedIDs(list))
        }
        try db.registerAggregate("ha_action_facts", arity: 7, step: { context, _, values in
            guard let accumulator = sqlite3_aggregate_context(context, 8)?.assumingMemoryBound(to: Int64.self) else { return }
            let v = values!
            accumulator.pointee |= ActionAggregates.facts(
                kind: Database.value(v[0]).int64, format: Database.value(v[1]).int64, decision: Database.value(v[2]).int64, decisionSource: Database.value(v[3]).int64,
                hasApprover: sqlite3_value_int64(v[4]) != 0, outcome: Database.value(v[5]).int64, flags: sqlite3_value_int64(v[6]))
        }, final: { context in
            let accumulator = sqlite3_aggregate_context(context, 0)?.assumingMemoryBound(to: Int64.self)
            sqlite3_result_int64(context, ActionAggregates.resolved(accumulator?.pointee ?? 0))
        })
        try db.registerAggregate("ha_prefer_call", arity: 2, step: { context, _, values in
            let size = Int32(MemoryLayout<Preference>.stride)
            guard let raw = sqlite3_aggregate_context(context, size) else { return }
            let preference = raw.assumingMemoryBound(to: Preference.self)
            guard let value = Database.value(values![1]).int64 else { return }
            preference.pointee.add(value, isCall: sqlite3_value_int64(values![0]) != 0)
        }, final: { context in
            guard let raw = sqlite3_aggregate_context(context, 0),
                  let value = raw.assumingMemoryBound(to: Preference.self).pointee.result else { return sqlite3_result_null(context) }
            sqlite3_result_int64(context, value)
        })
    }
}
