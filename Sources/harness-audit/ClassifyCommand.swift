import ArgumentParser
import HarnessAuditKit

struct ClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Explain how one action is classified: classes, targets, environment, and why.",
        discussion: """
            Example: harness-audit classify --tool Bash --input '{"command":"rm -rf dist && kubectl --context prod apply -f k8s/"}' --cwd /srv/app
            """)

    @Option(help: "The tool name as the harness logs it (Bash, Write, exec_command, mcp__postgres__query, …).")
    var tool: String

    @Option(help: ArgumentHelp("The tool input as JSON (for shell tools, a bare command line also works).", valueName: "json"))
    var input: String

    @Option(help: ArgumentHelp("The session's working directory, for relative paths.", valueName: "dir"))
    var cwd: String?

    @Option(help: ArgumentHelp("The user's home directory, for ~ (default: inferred from --cwd).", valueName: "dir"))
    var home: String?

    @Option(help: ArgumentHelp("The session's current git branch (a bare `git push` pushes it).", valueName: "name"))
    var branch: String?

    @Option(help: "Output format.")
    var format: OutputFormat = .text

    @Flag(name: .customLong("no-redact"), help: "Show secrets found in the input (tokens, passwords) in clear text.")
    var noRedact = false

    func run() throws {
        let context = ClassificationContext(cwd: cwd, home: home ?? PathNormalizer.inferHome(from: cwd), branch: branch)
        let result = ActionClassifier().classify(tool: tool, inputJSON: input, context: context)
        let redactor = Redactor(enabled: !noRedact)
        switch format {
        case .text: try Terminal.emit(TerminalText.sanitize(ClassificationRenderer.text(result, tool: tool, redactor: redactor),
                                                            keepNewlines: true))
        case .json: try Terminal.emit(ClassificationRenderer.json(result, tool: tool, context: context, redactor: redactor))
        }
    }
}
