import ArgumentParser
import HarnessAuditKit

struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "List, show and test the rules (the built-in pack and --rules DIR).",
        subcommands: [RulesListCommand.self, RulesShowCommand.self, RulesTestCommand.self])
}

/// `--rules DIR`, for the rules subcommands.
struct RuleSourceOptions: ParsableArguments {
    @Option(name: .customLong("rules"), help: ArgumentHelp("A directory of extra rules (*.sql); repeatable.", valueName: "dir"))
    var ruleDirectories: [String] = []

    func load() throws -> [Rule] { try RuleLoader.load(extra: ruleDirectories) }

    /// The SQL rules and the rules `drift` evaluates, for `rules list` and `rules show`.
    func catalogue() throws -> [Rule] { try load() + DriftAnalyzer.rules }
}

struct RulesListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the rules.")

    @OptionGroup var source: RuleSourceOptions

    @Option(help: "Output format.")
    var format: OutputFormat = .text

    func run() throws {
        let rules = try source.catalogue()
        switch format {
        case .text: try Terminal.emit(TerminalText.sanitize(RulesRenderer.list(rules), keepNewlines: true))
        case .json: try Terminal.emit(RulesRenderer.listJSON(rules))
        }
    }
}

struct RulesShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one rule: what it finds, why, how to fix, its controls and query.")

    @Argument(help: "The rule id.")
    var id: String

    @OptionGroup var source: RuleSourceOptions

    @Option(help: "Output format.")
    var format: OutputFormat = .text

    func run() throws {
        let rules = try source.catalogue()
        guard let rule = rules.first(where: { $0.id == id }) else {
            let near = rules.map(\.id).filter { $0.contains(id) || id.contains($0) }
            throw HarnessAuditError.usage("no rule `\(id)`" + (near.isEmpty ? "; see `harness-audit rules list`" : "; did you mean \(near.joined(separator: ", "))?"))
        }
        switch format {
        case .text: try Terminal.emit(TerminalText.sanitize(RulesRenderer.show(rule), keepNewlines: true))
        case .json: try Terminal.emit(RulesRenderer.showJSON(rule))
        }
    }
}

struct RulesTestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run every rule's fixtures: the positive one must raise it in every session, the negative one not at all.",
        discussion: "Exit 0 when every fixture passes, 1 when one fails, 3 when a rule is broken.")

    @Argument(help: "Rule ids to test (default: all).")
    var ids: [String] = []

    @OptionGroup var source: RuleSourceOptions

    func run() throws {
        var rules = try source.load()
        if !ids.isEmpty {
            let unknown = ids.filter { id in !rules.contains { $0.id == id } }
            if !unknown.isEmpty { throw HarnessAuditError.usage("no rule \(unknown.joined(separator: ", ")); see `harness-audit rules list`") }
            rules = rules.filter { ids.contains($0.id) }
        }
        let outcomes = try RuleTester.run(rules)
        try Terminal.emit(RulesRenderer.testResults(outcomes))
        if outcomes.contains(where: { !$0.passed }) { throw ExitCode(ExitStatus.findings) }
    }
}
