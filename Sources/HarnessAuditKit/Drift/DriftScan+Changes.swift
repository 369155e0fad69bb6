extension DriftScan {
    /// The baseline patterns that declare `kind` for `scope`, with the one allowing `value` if any.
    func baselineVerdict(_ capability: Capability, scope: CapabilityScope) -> (declared: Bool, allowedAt: Int?) {
        var declared = false
        for entry in baseline.allowed where entry.applies(to: scope) {
            guard let patterns = entry.lists[capability.kind] else { continue }
            declared = true
            if let pattern = patterns.first(where: { AllowedCapabilities.allows($0.text, capability.value, kind: capability.kind) }) {
                return (true, pattern.line)
            }
        }
        return (declared, nil)
    }

    /// Whether a reference set (what was used before) covers a capability: the same value, or
    /// for settings one at least as wide.
    static func covers(_ reference: Set<Capability>, _ capability: Capability) -> Bool {
        if reference.contains(capability) { return true }
        guard capability.kind.isSetting else { return false }
        let rank = capability.kind.rank(capability.value)
        guard rank < 9 else { return false }
        if capability.kind.isHarnessDefault(capability.value) { return true }
        return reference.contains { $0.kind == capability.kind && $0.kind.rank($0.value) >= rank && $0.kind.rank($0.value) < 9 }
    }

    func use(_ capability: Capability, _ entry: Accumulator) -> DriftResult.Use {
        var use = DriftResult.Use(capability: capability)
        use.actions = entry.actions
        use.flaggedActions = entry.flagged
        use.sessions = entry.sessions.count
        use.firstSessions = entry.firstSessions
        use.firstTs = entry.firstTs
        use.lastTs = entry.lastTs
        use.classes = entry.classes
        return use
    }

    /// What a scope is compared with: its own use in the previous period; for a scope with none,
    /// its agent's anywhere (another repository, another principal); for a new agent, the fleet's.
    func reference(for scope: CapabilityScope) -> (capabilities: Set<Capability>, label: String) {
        if let own = usage[1][scope], !own.isEmpty { return (Set(own.keys), "previous period") }
        if let agent = previousByAgent[scope.agent], !agent.isEmpty {
            return (agent, "\(scope.agent.isEmpty ? "the agent" : scope.agent) elsewhere in the previous period")
        }
        return (previousFleet, "other agents in the previous period")
    }

    /// Capabilities a scope's own history must cover: a new repository or principal inherits its
    /// agent's (or the fleet's) ordinary tools and commands, never its production targets, secrets,
    /// risky commands or approvals-off settings.
    static func needsOwnHistory(_ capability: Capability, classes: ActionClasses) -> Bool {
        switch capability.kind {
        case .production, .sensitivePath, .secret: return true
        case .command: return !classes.isDisjoint(with: CheckEngine.riskyClasses)
        case .mode, .approvalPolicy, .sandbox: return capability.kind.isApprovalOff(capability.value)
        default: return false
        }
    }

    /// Whether what the scope (or, for a scope new this period, its agent or the fleet) used in the
    /// previous period covers a capability, and what it was compared with.
    func historyCovers(_ capability: Capability, scope: CapabilityScope, classes: ActionClasses) -> (covered: Bool, label: String, code: String) {
        let (reference, label) = reference(for: scope)
        let own = !(usage[1][scope] ?? [:]).isEmpty
        if !own, DriftScan.needsOwnHistory(capability, classes: classes) {
            return (false, "its own previous period", "previous-period")
        }
        let code = own ? "previous-period" : label.hasPrefix("other agents") ? "fleet-history" : "agent-history"
        return (DriftScan.covers(reference, capability), label, code)
    }

    /// New and vanished capabilities per scope, and a finding for each uncovered one.
    func permissionDrift(into drift: inout DriftResult) -> [Finding] {
        var findings: [Finding] = []
        let previousHasData = actionCount[1] > 0
        let scopes = Set(usage[0].keys).union(usage[1].keys).sorted()
        for scope in scopes {
            let current = usage[0][scope] ?? [:], before = usage[1][scope] ?? [:]
            var changes = DriftResult.ScopeChanges(scope: scope)
            changes.firstActive = before.isEmpty
            for capability in current.keys.sorted() {
                let entry = current[capability]!
                var item = use(capability, entry)
                let isNew = before[capability] == nil
                let (declared, allowedAt) = baselineVerdict(capability, scope: scope)
                let history = historyCovers(capability, scope: scope, classes: entry.classes)
                var outside: String?
                if declared {
                    if let allowedAt {
                        item.covered = "baseline line \(allowedAt)"
                        item.coveredBy = "baseline"
                    } else {
                        outside = "outside the baseline's allowed \(capability.kind.plural)" + (isNew ? "" : " (used in the previous period too)")
                    }
                } else if !previousHasData {
                    item.covered = "no previous period"
                    item.coveredBy = "no-previous-period"
                } else if history.covered {
                    item.covered = history.label
                    item.coveredBy = history.code
                } else {
                    outside = before.isEmpty
                        ? "not used by \(history.label) (the first activity of this scope)"
                        : "new since \(previous.title)"
                }
                if let outside {
                    if entry.flagged == entry.actions {
                        item.covered = "reported by check"
                        item.coveredBy = "check"
                    } else {
                        let finding = permissionFinding(capability, scope: scope, entry: entry, why: outside,
                                                        comparedWith: declared ? "baseline" : history.label)
                        item.findingID = finding.id
                        findings.append(finding)
                    }
                }
                if isNew && previousHasData {
                    changes.new.append(item)
                } else if outside != nil {
                    changes.outside.append(item)
                }
                if !isNew { changes.kept += 1 }
            }
            if previousHasData {
                for capability in before.keys.sorted() where current[capability] == nil {
                    changes.vanished.append(use(capability, before[capability]!))
                }
            }
            if !changes.new.isEmpty || !changes.vanished.isEmpty || !changes.outside.isEmpty || changes.kept > 0 {
                drift.scopes.append(changes)
            }
        }
        return findings
    }

    func permissionFinding(_ capability: Capability, scope: CapabilityScope, entry: Accumulator, why: String,
                           comparedWith: String) -> Finding {
        let rule = DriftRules.rule(for: capability, classes: entry.classes)
        let unflagged = entry.actions - entry.flagged
        var reason = "\(scope.title) used the \(capability.kind.noun) `\(capability.value)`, \(why): "
        reason += Format.count(Int64(entry.actions), "action") + " in " + Format.count(Int64(entry.sessions.count), "session")
        if entry.flagged > 0 { reason += " (\(unflagged) not reported by check)" }
        var finding = Finding(
            id: Finding.fingerprint(rule: rule.id, session: nil,
                                    subject: [scope.agent, scope.repo, scope.principal, capability.kind.rawValue, capability.value].joined(separator: "|")),
            rule: rule.id, title: rule.title, category: rule.category, severity: rule.severity, reason: reason,
            session: entry.firstSessions.first, ts: entry.firstTs,
            evidence: entry.evidence.map { Evidence(file: "", line: 0, sourceID: 0, eventID: $0) },
            agent: scope.agent.nonEmpty, actor: nil, principal: scope.principal.nonEmpty, host: nil, repo: scope.repo.nonEmpty,
            target: capability.value, command: entry.firstCommand)
        finding.frameworks = rule.frameworks
        finding.targets = [capability.value]
        if capability.kind == .command { finding.commandFamilies = [capability.value] }
        finding.properties = [
            ("capability", capability.kind.rawValue), ("value", capability.value), ("actions", String(entry.actions)),
            ("sessions", String(entry.sessions.count)), ("first_sessions", entry.firstSessions.joined(separator: ", ")),
            ("compared_with", comparedWith),
        ]
        return finding
    }

    /// Sessions whose configuration is wider than their agent's norm in the previous period.
    func configurationDrift() -> [Finding] {
        guard actionCount[1] > 0 || !sessions[1].isEmpty else { return [] }
        // The norm: the commonest setting of the previous period's sessions, per agent and repository, else per agent.
        // A tie goes to the wider setting: a session is not "widened" against a mode as transient as `plan`.
        var byRepo: [String: [CapabilityKind: [String: Int]]] = [:], byAgent: [String: [CapabilityKind: [String: Int]]] = [:]
        var previousGrants: [String: Set<String>] = [:]
        for (_, record) in sessions[1] {
            let repoKey = record.scope.agent + "\u{1}" + record.scope.repo
            for (kind, setting) in record.settings {
                byRepo[repoKey, default: [:]][kind, default: [:]][setting.value, default: 0] += 1
                byAgent[record.scope.agent, default: [:]][kind, default: [:]][setting.value, default: 0] += 1
            }
            for grant in record.grants.keys { previousGrants[repoKey, default: []].insert(grant.kind.rawValue + ":" + grant.value) }
        }
        func norm(_ counts: [String: Int]?, kind: CapabilityKind) -> String? {
            counts?.max { a, b in a.value != b.value ? a.value < b.value : kind.rank(a.key) < kind.rank(b.key) }?.key
        }
        var findings: [Finding] = []
        for (_, record) in sessions[0].sorted(by: { ($0.value.firstTs ?? 0, $0.value.name) < ($1.value.firstTs ?? 0, $1.value.name) }) {
            let repoKey = record.scope.agent + "\u{1}" + record.scope.repo
            var widened: [String] = [], evidence: [Int64] = [], unrestricted = false
            for kind in CapabilityKind.allCases where kind.isSetting {
                guard let setting = record.settings[kind] else { continue }
                guard let usual = norm(byRepo[repoKey]?[kind], kind: kind) ?? norm(byAgent[record.scope.agent]?[kind], kind: kind) else { continue }
                guard kind.rank(setting.value) > kind.rank(usual) else { continue }
                let capability = Capability(kind, setting.value)
                // Allowed by the baseline, or new for the scope (permission drift reports that), whether or not
                // the baseline lists the kind: adopting a suggested baseline must not add configuration drift.
                if baselineVerdict(capability, scope: record.scope).allowedAt != nil { continue }
                if !historyCovers(capability, scope: record.scope, classes: []).covered { continue }
                // A quarter or more of the repository's own sessions ran this way in the previous period: a habit of this
                // scope, not a change (a stable fleet is not reported every month). Never for approvals or the sandbox off.
                if !kind.isApprovalOff(setting.value), let used = byRepo[repoKey]?[kind] {
                    let wide = used.filter { kind.rank($0.key) >= kind.rank(setting.value) }.values.reduce(0, +)
                    if wide * 4 >= used.values.reduce(0, +) { continue }
                }
                widened.append("\(kind.noun) `\(setting.value)` (norm: `\(usual)`)")
                evidence.append(setting.eventID)
                if kind.isApprovalOff(setting.value) { unrestricted = true }
            }
            for (grant, eventID) in record.grants.sorted(by: { $0.key < $1.key })
            where !(previousGrants[repoKey] ?? []).contains(grant.kind.rawValue + ":" + grant.value) {
                widened.append("new \(grant.kind.noun) `\(grant.value)`")
                evidence.append(eventID)
            }
            guard !widened.isEmpty else { continue }
            let rule = unrestricted ? DriftRules.configWidenedUnrestricted : DriftRules.configWidened
            var finding = Finding(
                id: Finding.fingerprint(rule: rule.id, session: record.name, subject: "configuration"),
                rule: rule.id, title: rule.title, category: rule.category, severity: rule.severity,
                reason: "Session \(record.name) of \(record.scope.title) widened its permissions against \(previous.title): "
                    + widened.joined(separator: "; "),
                session: record.name, ts: record.firstTs, evidence: evidence.map { Evidence(file: "", line: 0, sourceID: 0, eventID: $0) },
                agent: record.scope.agent.nonEmpty, actor: nil, principal: record.scope.principal.nonEmpty, host: nil,
                repo: record.scope.repo.nonEmpty, target: nil, command: nil)
            finding.frameworks = rule.frameworks
            finding.properties = [("widened", widened.joined(separator: "; "))]
            findings.append(finding)
        }
        return findings
    }
}

extension String {
    /// nil when empty.
    var nonEmpty: String? { isEmpty ? nil : self }
}
