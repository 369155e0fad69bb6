extension DriftScan {
    /// Allowances, authorizations and grants nothing exercised in the tracking period.
    func unusedPermissions(authorizationLastUse: [Int: Int64]) -> [Finding] {
        var findings: [Finding] = []
        let file = baseline.file ?? Baseline.defaultFileName
        let window = "the \(options.trackingDays) days to \(Timestamp.formatDate(until - 1))"
        func lastUsed(_ ts: Int64?) -> String {
            ts.map { "; last used \(Timestamp.formatDate($0))" } ?? "; never used before \(Timestamp.formatDate(until))"
        }
        func make(_ rule: RuleMetadata, subject: String, reason: String, session: String? = nil, ts: Int64? = nil,
                  evidence: [Evidence], scope: CapabilityScope? = nil, target: String, last: Int64?) -> Finding {
            var finding = Finding(
                id: Finding.fingerprint(rule: rule.id, session: nil, subject: subject), rule: rule.id, title: rule.title,
                category: rule.category, severity: rule.severity, reason: reason, session: session, ts: ts, evidence: evidence,
                agent: scope?.agent.nonEmpty, actor: nil, principal: scope?.principal.nonEmpty, host: nil, repo: scope?.repo.nonEmpty,
                target: target, command: nil)
            finding.frameworks = rule.frameworks
            finding.targets = [target]
            finding.properties = [("last_used", last.map(Timestamp.format) ?? "never"),
                                  ("tracking_period", Timestamp.formatDate(trackingSince) + "/" + Timestamp.formatDate(until - 1))]
            return finding
        }

        // The baseline's allowed entries.
        for entry in baseline.allowed {
            let scopes = Set(lastUse.keys).filter { entry.applies(to: $0) }
            let who = [entry.agent.map { "agent \($0)" }, entry.repo.map { "repo \($0)" }, entry.principal.map { "principal \($0)" }]
                .compactMap { $0 }.joined(separator: ", ")
            for kind in entry.lists.keys.sorted() {
                for pattern in entry.lists[kind] ?? [] {
                    var last: Int64?
                    for scope in scopes {
                        for (capability, ts) in lastUse[scope] ?? [:] where capability.kind == kind {
                            let exercised = kind.isSetting ? kind.rank(capability.value) == kind.rank(pattern.text)
                                : AllowedCapabilities.allows(pattern.text, capability.value, kind: kind)
                            if exercised { last = max(last ?? ts, ts) }
                        }
                    }
                    guard (last ?? Int64.min) < trackingSince else { continue }
                    let scopeText = who.isEmpty ? "every agent" : who
                    findings.append(make(
                        DriftRules.unusedAllowance,
                        subject: ["allowed", entry.agent ?? "", entry.repo ?? "", entry.principal ?? "", kind.rawValue, pattern.text].joined(separator: "|"),
                        reason: "The baseline allows \(scopeText) the \(kind.noun) `\(pattern.text)`, but nothing used it in \(window)" + lastUsed(last),
                        evidence: [Evidence(file: file, line: Int64(pattern.line), sourceID: 0, eventID: nil)],
                        scope: CapabilityScope(agent: entry.agent, repo: entry.repo, principal: entry.principal),
                        target: pattern.text, last: last))
                }
            }
        }
        // The baseline's write roots (a file's own, not the built-in defaults).
        if baseline.file != nil {
            // The platform's temporary directories (the built-in roots) are not a team's grant.
            let builtIn = Set(Baseline().allowedWriteRoots)
            for (index, root) in baseline.allowedWriteRoots.enumerated() where !builtIn.contains(root) {
                let last = lastWrite(under: root)
                guard (last ?? Int64.min) < trackingSince else { continue }
                let line = index < baseline.allowedWriteRootLines.count ? baseline.allowedWriteRootLines[index] : 1
                findings.append(make(
                    DriftRules.unusedAllowance, subject: "allowed_write_roots|" + root,
                    reason: "The baseline lets agents write under `\(root)`, but nothing wrote there in \(window)" + lastUsed(last),
                    evidence: [Evidence(file: file, line: Int64(line), sourceID: 0, eventID: nil)], target: root, last: last))
            }
        }
        // Authorized contexts.
        for authorization in baseline.authorizations {
            let last = authorizationLastUse[authorization.line]
            guard (last ?? Int64.min) < trackingSince else { continue }
            let what = authorization.rule.map { "rule \($0)" } ?? "category \(authorization.category ?? "?")"
            let scope = [authorization.agent.map { "agent \($0)" }, authorization.repo.map { "repo \($0)" },
                         authorization.principal.map { "principal \($0)" }, authorization.session.map { "session \($0)" },
                         authorization.host.map { "host \($0)" }, authorization.target.map { "target \($0)" }]
                .compactMap { $0 }.joined(separator: ", ")
            findings.append(make(
                DriftRules.unusedAuthorization,
                subject: ["authorized", authorization.category ?? "", authorization.rule ?? "", authorization.agent ?? "",
                          authorization.repo ?? "", authorization.principal ?? "", authorization.session ?? "",
                          authorization.host ?? "", authorization.target ?? ""].joined(separator: "|"),
                reason: "The baseline authorizes \(what) for \(scope), but it covered no finding in \(window)"
                    + (last.map { "; last needed \(Timestamp.formatDate($0))" } ?? "; never needed before \(Timestamp.formatDate(until))"),
                evidence: [Evidence(file: file, line: Int64(authorization.line), sourceID: 0, eventID: nil)],
                scope: CapabilityScope(agent: authorization.agent, repo: authorization.repo, principal: authorization.principal),
                target: authorization.target ?? what, last: last))
        }
        // Grants seen in the agents' own configuration.
        for (grant, record) in grants.sorted(by: { $0.key < $1.key }) where record.inTracking || record.persistent {
            let last: Int64?
            switch grant.kind {
            case .writableRoot:
                last = DriftScan.lastWrite(in: lastWrite[grant.scope] ?? [:], under: grant.value)
            case .mcpServer:
                last = (lastUse[grant.scope] ?? [:]).filter { $0.key.kind == .mcpServer && $0.key.value.lowercased() == grant.value.lowercased() }
                    .values.max()
            default:
                last = grantLastUse[grant]
            }
            guard (last ?? Int64.min) < trackingSince else { continue }
            let how: String
            switch grant.kind {
            case .allowRule:
                how = (record.configured ? "the configuration allows `\(grant.value)`" : "the user accepted the allow rule `\(grant.value)`")
                    + ", but no action fell under it"
            case .directory:
                how = (record.configured ? "the configuration adds the directory `\(grant.value)`" : "the user added the directory `\(grant.value)`")
                    + ", but no action touched it"
            case .writableRoot: how = "the writable root `\(grant.value)` was granted, but nothing wrote there"
            case .approvalPolicy: how = "the approval policy `\(grant.value)` let actions run unasked, but no action needed it"
            case .sandbox: how = "the sandbox `\(grant.value)` was granted, but no action needed more than a workspace sandbox"
            case .mcpServer: how = "the MCP server `\(grant.value)` was configured, but never called"
            }
            let sessions = Format.count(Int64(record.sessions.count), "session")
            findings.append(make(
                DriftRules.unusedAgentGrant, subject: ["grant", grant.scope.agent, grant.scope.repo, grant.scope.principal,
                                                       grant.kind.rawValue, grant.value].joined(separator: "|"),
                reason: "For \(grant.scope.title), \(how) in \(window) (granted in \(sessions))" + lastUsed(last),
                session: record.session, ts: record.firstTs, evidence: [Evidence(file: "", line: 0, sourceID: 0, eventID: record.eventID)],
                scope: grant.scope, target: grant.value, last: last))
        }
        return findings
    }
}
