/// Builds the tightest baseline that would have authorized a period's activity that raised no
/// `check` finding (Access Analyzer's policy generation, for agents): one `allowed` entry per
/// agent, repository and principal listing every capability kind, with the values its
/// unflagged actions used (an empty list where it used none, so nothing else is allowed).
/// Activity that raised findings stays out: the findings are the decision to take, and
/// `drift` ignores such actions the same way, so the suggestion round-trips with no drift.
public enum BaselineSuggester {
    /// `period` defaults as for `drift` and `report`: the last full month in the data.
    /// The default period is taken from `check.now`.
    public static func suggest(_ check: CheckOptions, period: ReportPeriod?) throws(HarnessAuditError) -> BaselineSuggestion {
        var checkOptions = check
        checkOptions.since = nil
        checkOptions.until = nil
        checkOptions.previousFindingIDs = nil
        let session = try CheckSession(checkOptions)
        let period = try ReportPeriod.resolved(period, store: session.db, now: check.now)
        let result = try session.run(since: period.since, until: period.until)
        let flagged = DriftScan.flaggedEvents([result])
        var options = DriftOptions(check: check, current: period, previous: ReportPeriod(since: period.since, until: period.since, kind: .range))
        options.trackingDays = max(1, Int((period.until - period.since) / 86_400_000))
        var scan = DriftScan(options: options, trackingSince: period.since, flaggedEvents: flagged)
        try scan.loadGrants(session.db)
        try scan.scanActions(session.db)

        var suggestion = BaselineSuggestion(period: period)
        var unknownSettings: [String] = []
        for (scope, capabilities) in scan.usage[0].sorted(by: { $0.key < $1.key }) {
            var lists: [CapabilityKind: [String]] = [:]
            for kind in CapabilityKind.allCases { lists[kind] = [] }
            for (capability, use) in capabilities {
                // A setting this version cannot rank cannot be allowed in a baseline: it stays drift, said so below.
                if capability.kind.isSetting, capability.kind.rank(capability.value) == 9 {
                    if use.flagged < use.actions {
                        unknownSettings.append("\(scope.title) used the \(capability.kind.noun) `\(capability.value)`, which harness-audit cannot rank; it is left out and drifts until it is known")
                    }
                    continue
                }
                if use.flagged < use.actions { lists[capability.kind, default: []].append(capability.value) }
            }
            for kind in CapabilityKind.allCases { lists[kind]?.sort() }
            // A scope all of whose activity raised findings has nothing to allow: no entry (an empty one is invalid).
            guard lists.values.contains(where: { !$0.isEmpty }) else { continue }
            suggestion.entries.append(BaselineSuggestion.Entry(scope: scope, lists: lists))
        }
        suggestion.flaggedActions = scan.flaggedCount[0]
        suggestion.actions = scan.actionCount[0] - scan.flaggedCount[0]
        suggestion.changes = changes(suggestion.entries, scan: scan, baseline: check.baseline)
        suggestion.notes = notes(scan: scan, result: result, baseline: check.baseline, period: period) + unknownSettings
        if scan.usage[0].contains(where: { scope, capabilities in
            scope.agent.lowercased().contains("claude") && capabilities.contains { $0.key.kind == .mode && PermissionMode.normalize($0.key.value) == .bypass }
        }) {
            suggestion.notes.append("bypassPermissions ran in the period: the Claude Code settings below turn it off for good (disableBypassPermissionsMode)")
        }
        suggestion.yaml = yaml(suggestion, baseline: check.baseline)
        suggestion.claudeSettings = HarnessSettingsSnippets.claude(scan.usage[0])
        suggestion.codexConfig = HarnessSettingsSnippets.codex(scan.usage[0], grants: scan.grants, lastWrite: scan.lastWrite, since: period.since)
        return suggestion
    }

    /// Recommended against current: per scope and kind, values kept (=), added (+), newly
    /// declared (*: the current baseline does not list that kind), and current values nothing
    /// used (-).
    static func changes(_ entries: [BaselineSuggestion.Entry], scan: DriftScan, baseline: Baseline) -> [BaselineSuggestion.Change] {
        var changes: [BaselineSuggestion.Change] = []
        for entry in entries {
            for kind in CapabilityKind.allCases {
                for value in entry.lists[kind] ?? [] {
                    let verdict = scan.baselineVerdict(Capability(kind, value), scope: entry.scope)
                    let change: BaselineSuggestion.Change.Kind = verdict.allowedAt != nil ? .kept : verdict.declared ? .added : .undeclared
                    changes.append(.init(kind: change, scope: entry.scope.title, capability: kind, value: value, line: verdict.allowedAt))
                }
            }
        }
        for current in baseline.allowed {
            let scopes = entries.filter { current.applies(to: $0.scope) }
            for kind in current.lists.keys.sorted() {
                for pattern in current.lists[kind] ?? [] {
                    let used = scopes.contains { entry in
                        (entry.lists[kind] ?? []).contains { AllowedCapabilities.allows(pattern.text, $0, kind: kind) }
                    }
                    if !used {
                        let who = [current.agent, current.repo, current.principal].compactMap { $0 }.joined(separator: " ")
                        changes.append(.init(kind: .removed, scope: who.isEmpty ? "every agent" : who, capability: kind,
                                             value: pattern.text, line: pattern.line))
                    }
                }
            }
        }
        return changes
    }

    static func notes(scan: DriftScan, result: CheckResult, baseline: Baseline, period: ReportPeriod) -> [String] {
        var notes: [String] = []
        let file = baseline.file ?? Baseline.defaultFileName
        for authorization in result.unusedAuthorizations {
            notes.append("\(file):\(authorization.line): the authorization (\(authorization.rule ?? authorization.category ?? "?")) covered no finding in the period; remove it unless rare work needs it")
        }
        if baseline.file != nil {
            let builtIn = Set(Baseline().allowedWriteRoots)
            for (index, root) in baseline.allowedWriteRoots.enumerated() where !builtIn.contains(root) {
                if (scan.lastWrite(under: root) ?? Int64.min) < period.since {
                    let line = index < baseline.allowedWriteRootLines.count ? baseline.allowedWriteRootLines[index] : 1
                    notes.append("\(file):\(line): nothing wrote under the allowed write root `\(root)` in the period")
                }
            }
        }
        return notes
    }

    /// Whether a value is, or has a word that is, a secret (`heroku <token>`): the suggested file leaves it out,
    /// since the pattern its mask makes would allow any value.
    public static func isSecretValue(_ value: String) -> Bool {
        isSecretValue(redacted: Redactor(enabled: true).redact(value), value: value)
    }

    static func isSecretValue(redacted: String, value: String) -> Bool {
        redacted != value && redacted.split(whereSeparator: { $0 == " " || $0 == "\t" }).contains { $0 == Redactor.mask }
    }

    /// The current baseline (or the built-in one) with its `allowed` list replaced.
    static func yaml(_ suggestion: BaselineSuggestion, baseline: Baseline) -> String {
        let redactor = Redactor(enabled: true)
        var section = "# Suggested by `harness-audit baseline suggest` from \(suggestion.period.title): what each agent used,\n"
        section += "# leaving out actions that raised findings. Review it before you adopt it.\n"
        if suggestion.entries.isEmpty {
            section += "allowed: []\n"
        } else {
            section += "allowed:\n"
            for entry in suggestion.entries {
                var first = true
                func line(_ key: String, _ value: String) {
                    section += (first ? "  - " : "    ") + key + ": " + value + "\n"
                    first = false
                }
                // Values are exact: glob characters in them are escaped, so `*` allows `*` and nothing else. A
                // secret inside one (a password in a repository URL) becomes `**` (a key may hold `/`): the file is
                // meant to be committed, and the pattern still matches the value it stands for. A value that is a
                // secret, or a word of one that is (`heroku <token>`), is left out: its pattern would allow anything.
                var leftOut = 0
                func pattern(_ redacted: String) -> String {
                    JSONWriter.quoted(GlobPattern.escaped(redacted).replacingAll(GlobPattern.escaped(Redactor.mask), with: "**"))
                }
                func exact(_ value: String) -> String? {
                    let redacted = redactor.redact(value)
                    if BaselineSuggester.isSecretValue(redacted: redacted, value: value) {
                        leftOut += 1
                        return nil
                    }
                    return pattern(redacted)
                }
                func scope(_ value: String) -> String { pattern(redactor.redact(value)) }
                if !entry.scope.agent.isEmpty { line("agent", scope(entry.scope.agent)) }
                if !entry.scope.repo.isEmpty { line("repo", scope(entry.scope.repo)) }
                if !entry.scope.principal.isEmpty { line("principal", scope(entry.scope.principal)) }
                for kind in CapabilityKind.allCases {
                    // An entry that names no repository applies to all of its agent's: a kind it never used (the
                    // Kubernetes side of an agent uses no tools) is left undeclared there, not emptied for every
                    // repository.
                    if entry.scope.repo.isEmpty && (entry.lists[kind] ?? []).isEmpty { continue }
                    line(kind.baselineKey, "[" + (entry.lists[kind] ?? []).compactMap(exact).joined(separator: ", ") + "]")
                }
                if leftOut > 0 {
                    section += "    # \(leftOut) value\(leftOut == 1 ? "" : "s") left out: \(leftOut == 1 ? "it is a secret" : "they are secrets"), "
                        + "and a pattern for \(leftOut == 1 ? "it" : "them") would allow any value; list \(leftOut == 1 ? "it" : "them") by hand if needed\n"
                }
            }
        }
        var text = baseline.file == nil ? Baseline.defaultText : baseline.text
        text = removingTopLevelKey("allowed", from: text)
        if !text.hasSuffix("\n") { text += "\n" }
        return text + "\n" + section
    }

    /// The text without a top-level key's block: its line and every line after it up to the next
    /// top-level key (blank lines, comments and list items in between included).
    static func removingTopLevelKey(_ key: String, from text: String) -> String {
        var out: [Substring] = []
        var skipping = false
        // Comments after the block's last blank line belong to the next key: they are kept.
        var trailing: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if skipping {
                if line.trimmingSpaces.isEmpty {
                    trailing = [line]
                    continue
                }
                if line.hasPrefix("#") {
                    if !trailing.isEmpty { trailing.append(line) }
                    continue
                }
                guard let first = line.first, first != " ", first != "\t", first != "-" else {
                    trailing = []
                    continue
                }
                skipping = false
                out += trailing
                trailing = []
            }
            if line.hasPrefix(key + ":") {
                skipping = true
                continue
            }
            out.append(line)
        }
        if skipping { out += trailing.filter { !$0.trimmingSpaces.isEmpty } }
        return out.joined(separator: "\n")
    }
}
