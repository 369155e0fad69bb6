/// The parsed form of a shell command line: a flat list of simple commands with their
/// pipeline structure, plus the scripts nested in command and process substitutions.
public struct ShellScript: Sendable {
    public var commands: [ShellCommand] = []
    /// Scripts found inside `$(…)`, backticks and `<(…)`/`>(…)`; they run too.
    public var substitutions: [ShellScript] = []
    /// Things the parser could not make sense of (unterminated quote, unbalanced parenthesis).
    public var problems: [String] = []
    /// The functions the script defines (`name() { … }`, `function name { … }`): the text of each body, the last
    /// definition of a name winning.
    public var functions: [String: String] = [:]

    public init() {}

    /// Every simple command, including those inside substitutions, depth first.
    public var allCommands: [ShellCommand] {
        commands + substitutions.flatMap(\.allCommands)
    }
}

/// One word after quote removal. Expansions (`$VAR`, `${…}`, `$(…)`) stay in the text
/// as written, and `hasExpansion` says their value is not known statically.
public struct ShellWord: Sendable, Equatable {
    public var text: String
    /// Some part of the word was quoted.
    public var quoted: Bool = false
    /// The word contains a parameter, command or arithmetic expansion.
    public var hasExpansion: Bool = false
    /// The word contains a command substitution (`$(…)` or backticks).
    public var hasCommandSubstitution: Bool = false
    /// The word contains an unquoted glob character.
    public var hasGlob: Bool = false
    /// Part of the word was written with `$'…'` escapes (`$'\x72\x6d'`).
    public var hasANSIC: Bool = false
    /// UTF-8 length of the leading part of `text` written without quotes or escapes.
    public var plainPrefix: Int = 0

    public init(text: String, quoted: Bool = false, hasExpansion: Bool = false,
                hasCommandSubstitution: Bool = false, hasGlob: Bool = false, plainPrefix: Int? = nil) {
        self.text = text
        self.plainPrefix = plainPrefix ?? text.utf8.count
        self.quoted = quoted
        self.hasExpansion = hasExpansion
        self.hasCommandSubstitution = hasCommandSubstitution
        self.hasGlob = hasGlob
    }
}

/// A redirection such as `> out.txt`, `2>&1`, `&>> log`, `<<EOF`.
public struct ShellRedirection: Sendable, Equatable {
    public var fd: Int?
    public var op: String
    public var target: ShellWord?
    /// The body of a here-document, or the word of a here-string.
    public var body: String?

    /// Whether this redirection writes to a file (not to another descriptor).
    public var writesFile: Bool {
        guard let target else { return false }
        switch op {
        case ">", ">>", ">|", "&>", "&>>", "<>": return !target.text.isEmpty
        case ">&": return !target.text.allSatisfy(\.isNumber) && target.text != "-"
        default: return false
        }
    }

    public var readsFile: Bool { op == "<" || op == "<>" }
}

/// One simple command: assignments, words (argv) and redirections.
public struct ShellCommand: Sendable {
    public var assignments: [(name: String, value: ShellWord)] = []
    public var words: [ShellWord] = []
    public var redirections: [ShellRedirection] = []
    /// Commands joined by `|` share a pipeline number; `pipelinePosition` counts from 0.
    public var pipeline: Int = 0
    public var pipelinePosition: Int = 0
    /// The list operator that follows (`;`, `&&`, `||`, `&`, newline, or empty at the end).
    public var separator: String = ""
    /// The `( … )` subshells the command runs in, outermost first, each by its number in the script
    /// (empty: the script's own shell).
    public var subshells: [Int] = []
    /// The redirections belong to a compound command that just closed (`( … ) > f`, `for …; done > f`,
    /// `{ …; } > f`), not to a command of their own: its output goes to the file.
    public var closesCompound = false
    /// `! cmd`: the pipeline this command starts has its exit status inverted.
    public var negated = false
    /// The function whose body the command is in (the innermost), if any: it runs when the function is called.
    public var function: String?

    public init() {}

    /// Text fed to standard input by a here-document or here-string.
    public var stdinText: String? {
        redirections.last(where: { $0.op == "<<" || $0.op == "<<-" || $0.op == "<<<" })?.body
    }
}
