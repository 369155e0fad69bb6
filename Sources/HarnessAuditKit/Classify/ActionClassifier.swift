/// Classifies one action from its tool name and input (DESIGN §3.1), for every harness:
/// Claude Code tools, Codex tools, Gemini CLI tools, MCP tools, and the free-form tool
/// names of `harness-v1` (recognised by name and by the shape of their input).
public final class ActionClassifier {
    public let policy: ClassificationPolicy
    private var cache: [CacheKey: Cached] = [:]

    /// A classification with what storing it needs, computed once per distinct input. A class, so a
    /// cache hit costs one retain, not one per string and array inside.
    final class Cached {
        let classification: Classification
        let targetsJSON: String?
        let production: String?

        init(classification: Classification, targetsJSON: String?, production: String?) {
            self.classification = classification
            self.targetsJSON = targetsJSON
            self.production = production
        }
    }
    static let cacheLimit = 20_000

    private struct CacheKey: Hashable {
        var a: UInt64
        var b: UInt64
    }

    public init(policy: ClassificationPolicy = .default) {
        self.policy = policy
    }

    /// Classifies a tool call whose input is given as JSON text (the `classify` command).
    public func classify(tool: String, inputJSON: String, context: ClassificationContext) -> Classification {
        let tape = JSONTape()
        let bytes = Array(inputJSON.utf8)
        return bytes.withUnsafeBytes { buffer -> Classification in
            do throws(JSONTape.ParseError) {
                try tape.parse(buffer)
            } catch {
                // Not JSON: for a shell tool, the text is its command line, read as a logged one is (a Windows line in a
                // Windows directory as PowerShell or cmd.exe).
                if ActionClassifier.shellTools.contains(tool.lowercased()) || ["powershell", "pwsh"].contains(tool.lowercased()) {
                    return classify(tool: tool, inputJSON: JSONWriter.quoted(inputJSON), context: context)
                }
                var result = Classification()
                result.note("the input is not JSON (\(error.description))")
                return result
            }
            return classify(tool: tool, input: JSONValue(bytes: buffer, tape: tape), context: context)
        }
    }

    /// Classifies with a cache keyed by tool, input bytes and context.
    /// The session's branches (current and before) matter only to git (a bare push, a push of `HEAD`,
    /// `git checkout -`), its kube context only to cluster clients: they join the key only when the
    /// input could use them, so per-session branches do not defeat the cache.
    func cachedClassify(tool: String, input: JSONValue?, context: ClassificationContext) -> Cached {
        let bytes = input?.rawBytes ?? UnsafeRawBufferPointer(start: nil, count: 0)
        var seed = ContentHash.hash(tool)
        func add(_ part: String?) { seed = ContentHash.combine(seed, part.map { ContentHash.hash($0) } ?? 0x5bd1e995) }
        add(context.cwd)
        add(context.home)
        add(context.environment)
        if context.branch != nil || context.previousBranch != nil,
           ActionClassifier.mentions(bytes, "git") || ActionClassifier.mentions(bytes, "hub") {
            add(context.branch)
            add(context.previousBranch)
        }
        if context.kubeContext != nil, ActionClassifier.mentions(bytes, "kube") || ActionClassifier.mentions(bytes, "helm")
            || ActionClassifier.mentions(bytes, "oc ") || ActionClassifier.mentions(bytes, "argocd") || ActionClassifier.mentions(bytes, "k9s") {
            add(context.kubeContext)
        }
        // Scripts the session wrote, named by the input: running one runs what it holds.
        if !context.scripts.isEmpty {
            for (path, content) in context.scripts.sorted(by: { $0.key < $1.key }) {
                add(path)
                add(content)
            }
        }
        let key = CacheKey(a: ContentHash.hash(bytes, seed: seed), b: ContentHash.hash(bytes, seed: seed ^ 0xA5A5_A5A5_A5A5_A5A5))
        if let hit = cache[key] { return hit }
        let result = classify(tool: tool, input: input, context: context)
        let cached = Cached(classification: result, targetsJSON: result.targetsJSON,
                            production: result.isProduction ? result.production.joined(separator: "; ") : nil)
        if cache.count >= ActionClassifier.cacheLimit { cache.removeAll(keepingCapacity: true) }
        cache[key] = cached
        return cached
    }

    static func mentions(_ bytes: UnsafeRawBufferPointer, _ word: StaticString) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        return StringSearch.find(base, bytes.count, UnsafeRawPointer(word.utf8Start), word.utf8CodeUnitCount) != nil
    }

    /// kubectl's commands, for a tool given one without the program's name.
    static let kubectlVerbs: Set<String> = [
        "get", "describe", "logs", "apply", "create", "delete", "edit", "patch", "replace", "scale", "rollout", "exec", "attach",
        "port-forward", "cp", "run", "expose", "set", "label", "annotate", "drain", "cordon", "uncordon", "taint", "top", "auth",
        "debug", "wait", "autoscale", "certificate", "proxy", "events", "diff", "kustomize",
    ]

    /// Words of an MCP server's name that say its files are this machine's (`filesystem`, `desktop-commander`).
    static let localFileServerWords: Set<String> = ["filesystem", "fs", "file", "files", "desktop"]

    static let shellTools: Set<String> = [
        "bash", "shell", "sh", "zsh", "exec", "run", "run_command", "execute", "execute_command", "terminal", "cmd",
        "command", "run_shell_command", "shell_command", "exec_command", "local_shell", "container.exec", "run_terminal_cmd",
        "bash_tool", "terminal_command", "run_in_terminal", "shell_exec", "execute_bash", "runcommand",
    ]

    /// Classifies a tool call.
    public func classify(tool: String, input: JSONValue?, context: ClassificationContext) -> Classification {
        var context = context
        context.policy = policy
        var result = Classification()
        defer { _ = result }
        let lower = tool.lowercased()
        let server = ActionClassifier.mcpServer(tool)
        // A tool named after a program, given its arguments as a list (`rm {"args": ["-rf", "data"]}`, `cat {"args": […]}`):
        // the command line it is, before any file tool of the same name.
        if ActionClassifier.programTools.contains(lower), (input?["args"] ?? input?["argv"])?.isArray == true,
           let argv = ActionClassifier.programLine(lower, input) {
            return withEnvironment(ActionClassifier.classify(argv: argv, context: context), context)
        }
        switch lower {
        case _ where ActionClassifier.shellToolNames.contains(lower):
            result = shellCall(input, context: context, windowsShell: lower == "run_shell_command")
        case "write_stdin", "send_input", "terminal_input":
            // Codex's interactive sessions: the text typed into a shell it started (`exec_command {"cmd":"bash"}`) is
            // a command line like any other. (Typed into another program, it is analysed as a shell would read it.)
            let typed = input?["chars"]?.string ?? input?["input"]?.string ?? input?["text"]?.string ?? ""
            if typed.contains(where: { $0.isLetter }) {
                result = ShellAnalyzer.classify(typed, context: context)
                result.add(.write, "\(tool) types into a running process")
            }
            result.family(tool)
        case "powershell", "pwsh":
            if let command = input?["command"]?.string ?? input?.string {
                result = PowerShellAnalyzer.classify(script: command, context: context)
            }
        case "read", "read_file", "view", "view_file", "open_file", "cat", "readfile", "read_text_file", "view_image":
            for path in ActionClassifier.paths(input) { readFile(path, tool: tool, context: context, into: &result) }
        case "read_many_files", "read_multiple_files":
            // Gemini CLI: `include` (paths or globs; `paths` in older builds).
            for path in ActionClassifier.paths(input) + ActionClassifier.strings(input?["include"]) {
                if path.contains(where: { $0 == "*" || $0 == "?" }) {
                    sensitiveGlob(path, tool: tool, context: context, into: &result)
                } else {
                    readFile(path, tool: tool, context: context, into: &result)
                }
            }
        case "write", "write_file", "create_file", "edit", "multiedit", "edit_file", "notebookedit", "replace",
             "str_replace", "str_replace_editor", "str_replace_based_edit_tool", "append_file", "insert", "patch_file",
             "apply_diff", "search_replace", "edit_notebook", "writefile", "create", "write_to_file", "insert_edit_into_file":
            for path in ActionClassifier.paths(input) {
                writeFile(path, tool: tool, lower: lower, input: input, context: context, into: &result)
            }
            if input?["command"]?.isString("view") == true, lower.contains("str_replace") {
                result = Classification()
                for path in ActionClassifier.paths(input) { readFile(path, tool: tool, context: context, into: &result) }
            }
            result.family(tool)
        case "delete", "delete_file", "remove_file", "rm", "unlink", "delete_path":
            for path in ActionClassifier.paths(input) {
                let resolved = PathNormalizer.absolute(path, cwd: context.cwd, home: context.home)
                result.target(ActionTarget(.path, resolved, operation: "delete"))
                result.add(.delete, "\(tool) deletes \(resolved)")
            }
            result.family(tool)
        case "grep", "grep_search", "search_file_content", "search", "rg", "ripgrep", "search_files", "search_in_files",
             "find_in_files":
            result.family(tool)
            // Gemini CLI names the directory `dir_path` (`path` in older builds).
            for path in ActionClassifier.paths(input) + ActionClassifier.strings(input?["dir_path"]) {
                readFile(path, tool: tool, context: context, into: &result)
                // A search tool reads every file under the directory it is given.
                let resolved = PathNormalizer.absolute(path, cwd: context.cwd, home: context.home)
                if !result.classes.contains(.sensitiveRead),
                   let inside = policy.sensitivePaths.sensitiveFileInside(directory: resolved, home: context.home) {
                    result.add(.sensitiveRead, "\(tool) searches \(resolved), which holds secret material (\(inside.pattern))")
                    // What it reaches, for the rules (the directory itself is no secret path).
                    result.target(ActionTarget(.path, inside.path, operation: "read"))
                }
            }
            for glob in ActionClassifier.strings(input?["glob"]) + ActionClassifier.strings(input?["include"])
                + ActionClassifier.strings(input?["include_pattern"]) {
                sensitiveGlob(glob, tool: tool, context: context, into: &result)
            }
        case "glob", "list_directory", "ls", "list_files", "find_files", "file_search":
            result.family(tool)
        case "webfetch", "web_fetch", "fetch", "http_get", "browse", "open_url", "fetch_url", "http_request", "curl":
            result.family(tool)
            var urls: [String] = []
            if let url = input?["url"]?.string ?? input?["uri"]?.string { urls.append(url) }
            if lower == "web_fetch", let prompt = input?["prompt"]?.string {
                urls += prompt.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init).filter { $0.hasPrefix("http") }
            }
            for url in urls {
                result.target(ActionTarget(.url, url))
                if let host = ShellAnalyzer.urlHost(url) { result.target(ActionTarget(.host, host)) }
                result = ActionClassifier.merge(result, ActionClassifier.fetchedSecret(tool, url: url, context: context))
                result.add(.network, "\(tool) fetches \(ShellAnalyzer.urlHost(url) ?? url)")
            }
            if let request = ActionClassifier.httpRequest(tool, input: input, context: context) {
                result = ActionClassifier.merge(result, request)
            }
        case "websearch", "web_search", "google_web_search", "web_search_call", "search_web":
            result.family(tool)
            result.add(.network, "\(tool) searches the web")
        case "apply_patch", "applypatch":
            // The patch text (`input`, `patch`, `command` in Codex hook payloads), or the changes a patch made
            // (`patch_apply_end.changes`: path → add, delete or update).
            let text = input?["input"]?.string ?? input?["patch"]?.string ?? input?["command"]?.string ?? input?.string ?? ""
            if text.isEmpty, let changes = input?["changes"], changes.isObject {
                result = patch(changes.members.map { path, change in
                    let type = change["type"]?.string ?? (change["update"] != nil ? "update" : change["delete"] != nil ? "delete" : "add")
                    let destination = change["move_path"]?.string ?? change["update"]?["move_path"]?.string
                    let operation: PatchParser.Operation = type == "delete" ? .delete : type == "add" ? .add
                        : destination != nil ? .move : .update
                    var file = PatchParser.FileChange(operation: operation, path: path, destination: destination)
                    // What it wrote: an added file's `content`, an update's `unified_diff`.
                    if operation == .add, let content = change["content"]?.string ?? change["add"]?["content"]?.string {
                        file.added = content
                        file.after = content
                    } else if let diff = change["unified_diff"]?.string ?? change["update"]?["unified_diff"]?.string {
                        file.read(unifiedDiff: diff)
                    }
                    return file
                }, context: context)
            } else {
                result = patch(text, context: context)
            }
        case "use_mcp_tool", "use_mcp_server_tool", "call_mcp_tool", "mcp_tool":
            // Cline's (and others') call of an MCP server's tool by name: judged as that tool, `mcp__server__tool`.
            if let server = (input?["server_name"] ?? input?["server"] ?? input?["serverName"])?.string, !server.isEmpty,
               let name = (input?["tool_name"] ?? input?["tool"] ?? input?["toolName"])?.string, !name.isEmpty {
                let arguments = input?["arguments"] ?? input?["args"] ?? input?["input"]
                if let text = arguments?.string {
                    result = classify(tool: "mcp__\(server)__\(name)", inputJSON: text, context: context)
                } else {
                    result = classify(tool: "mcp__\(server)__\(name)", input: arguments, context: context)
                }
            }
            result.family(tool)
        case "execute_ipython_cell", "ipython", "run_ipython", "jupyter_execute", "execute_python", "run_python", "python_repl",
             "python", "execute_code", "run_code", "code_interpreter":
            // Python code (OpenHands' IPython cell): its `!cmd` lines are shell commands, the rest one program.
            if let code = (input?["code"] ?? input?["source"] ?? input?["script"])?.string ?? input?.string, !code.isEmpty {
                let lines = code.split(separator: "\n", omittingEmptySubsequences: false)
                let shellLines = lines.map { $0.drop { $0 == " " || $0 == "\t" } }.filter { $0.hasPrefix("!") }.map { String($0.dropFirst()) }
                let python = lines.filter { !$0.drop { $0 == " " || $0 == "\t" }.hasPrefix("!") && !$0.hasPrefix("%") }.joined(separator: "\n")
                if !python.trimmingSpaces.isEmpty {
                    result = ShellAnalyzer.classify(argv: ["python3", "-c", python], context: context)
                }
                for line in shellLines { result = ActionClassifier.merge(result, ShellAnalyzer.classify(line, context: context)) }
            } else if lower == "python", let line = ActionClassifier.programLine("python", input) {
                result = ActionClassifier.classify(argv: line, context: context)
            }
            result.family(tool)
        case "use_aws", "aws", "call_aws", "aws_cli":
            // Amazon Q's AWS call (`{"service_name": "s3", "operation_name": "rm", "parameters": {…}}`): the aws command it is.
            if let service = input?["service_name"]?.string ?? input?["service"]?.string,
               let operation = input?["operation_name"]?.string ?? input?["operation"]?.string {
                var argv = ["aws", service, ActionClassifier.kebab(operation)]
                if let parameters = input?["parameters"], parameters.isObject {
                    for (key, value) in parameters.members {
                        argv.append("--" + ActionClassifier.kebab(key))
                        if value.bool != true { argv.append(value.scalarText ?? value.rawText) }
                    }
                }
                if let region = input?["region"]?.string { argv += ["--region", region] }
                if let profile = input?["profile_name"]?.string ?? input?["profile"]?.string { argv += ["--profile", profile] }
                result = ShellAnalyzer.classify(argv: argv, context: context)
            } else {
                result = generic(tool: tool, lower: lower, server: server, input: input, context: context)
            }
        case "task", "agent", "spawn_agent", "invoke_agent", "todowrite", "exitplanmode", "enterplanmode",
             "askuserquestion", "skill", "update_plan", "write_todos", "save_memory", "monitor", "slashcommand":
            result.family(tool)
        default:
            result = generic(tool: tool, lower: lower, server: server, input: input, context: context)
        }
        return withEnvironment(result, context)
    }

    /// `result` with the session's environment, when it names production (`environment: production`).
    func withEnvironment(_ result: Classification, _ context: ClassificationContext) -> Classification {
        var result = result
        if let environment = context.environment, let token = policy.production.match(environment) {
            result.productionEvidence("environment \(environment) (\(token))")
            result.target(ActionTarget(.environment, environment))
        }
        return result
    }

    // MARK: Shell input

    /// A shell tool's call: its command line run in the call's own directory (Gemini CLI's `dir_path`, `directory` in
    /// older builds; Codex's `workdir`; `cwd` of other harnesses), and no test run when it was sent to the background
    /// (Claude Code's `run_in_background`, Gemini CLI's `is_background`, Copilot's `isBackground`: the call returns at once,
    /// whatever the tests return).
    func shellCall(_ input: JSONValue?, context: ClassificationContext, windowsShell: Bool = false) -> Classification {
        var context = context
        if let dir = (input?["dir_path"] ?? input?["directory"] ?? input?["workdir"] ?? input?["working_directory"]
                      ?? input?["cwd"] ?? input?["Cwd"])?.string, !dir.isEmpty {
            context.cwd = PathNormalizer.absolute(dir, cwd: context.cwd, home: context.home)
        }
        var result = shell(input, context: context, windowsShell: windowsShell)
        if input?["run_in_background"]?.bool == true || input?["is_background"]?.bool == true || input?["isBackground"]?.bool == true,
           result.classes.contains(.test) {
            result.remove(.test, note: "run in the background: the call ends before its tests do")
        }
        return result
    }

    /// The argv of a tool input that gives a program and its arguments apart: a program-named tool's
    /// (`kubectl {"args": […]}`, `programLine`), or a command word with an argument list (`{"command": "rm", "args":
    /// ["-rf", "data"]}`); nil otherwise.
    static func splitArgv(tool: String, _ input: JSONValue?) -> [String]? {
        let lower = tool.lowercased()
        if programTools.contains(lower) { return programLine(lower, input) }
        guard let input, let program = (input["command"] ?? input["cmd"])?.string, !program.isEmpty,
              !program.contains(where: { $0 == " " || $0 == "\t" || $0 == "\n" }),
              let args = input["args"] ?? input["arguments"] ?? input["argv"], args.isArray else { return nil }
        return [program] + args.elements.compactMap(\.scalarText)
    }

    /// A shell tool's command line. `windowsShell`: the tool runs PowerShell in a Windows working directory.
    func shell(_ input: JSONValue?, context: ClassificationContext, windowsShell: Bool = false) -> Classification {
        guard let input else { return Classification() }
        func line(_ text: String) -> Classification {
            if PowerShellAnalyzer.isWindowsLine(text, windowsDirectory: context.cwd.map(PathNormalizer.isWindows) ?? false,
                                                windowsShell: windowsShell) {
                var context = context
                context.policy = policy
                return PowerShellAnalyzer.classify(script: text, context: context)
            }
            return ShellAnalyzer.classify(text, context: context)
        }
        if let text = input.string { return line(text) }
        let commandValue = input["command"] ?? input["cmd"] ?? input["action"]?["command"] ?? input["args"] ?? input["script"]
        guard let commandValue else { return Classification() }
        // A program and its arguments apart (`{"command": "rm", "args": ["-rf", "data"]}`): the argv they make.
        if commandValue.string != nil, let argv = ActionClassifier.splitArgv(tool: "", input) {
            return ActionClassifier.classify(argv: argv, context: context)
        }
        if let text = commandValue.string {
            if PatchParser.isPatch(text) && text.hasPrefix("*** Begin Patch") { return patch(text, context: context) }
            return line(text)
        }
        if commandValue.isArray {
            var argv = commandValue.elements.compactMap(\.scalarText)
            // `bash {"args": ["-c", "rm -rf x"]}`: the shell's own arguments.
            if argv.first?.hasPrefix("-") == true { argv.insert("bash", at: 0) }
            return ActionClassifier.classify(argv: argv, context: context)
        }
        return Classification()
    }

    /// An argv vector: `["bash","-lc","…"]` runs the script; `["apply_patch","…"]` is a patch.
    public static func classify(argv: [String], context: ClassificationContext) -> Classification {
        guard let first = argv.first else { return Classification() }
        let name = ShellAnalyzer.basename(first)
        if (name == "apply_patch" || name == "applypatch"), argv.count >= 2, PatchParser.isPatch(argv[1]) {
            return ActionClassifier(policy: context.policy).patch(argv[1], context: context)
        }
        return ShellAnalyzer.classify(argv: argv, context: context)
    }

    func patch(_ text: String, context: ClassificationContext) -> Classification {
        patch(PatchParser.parse(text), context: context)
    }

    func patch(_ changes: [PatchParser.FileChange], context: ClassificationContext) -> Classification {
        var result = Classification()
        result.family("apply_patch")
        for change in changes {
            let resolved = PathNormalizer.absolute(change.path, cwd: context.cwd, home: context.home)
            if context.scripts[resolved] != nil || change.operation == .add && (ScriptFiles.hasShellExtension(resolved) || change.added.hasPrefix("#!")) {
                result.scriptChanges += ScriptFiles.relevant(
                    [ScriptChange(path: resolved, kind: change.operation == .add ? .whole(change.added) : .unknown)], known: context.scripts)
            }
            // Where the patch leaves content: the file itself, or where a move takes it.
            let written: String
            switch change.operation {
            case .add:
                written = resolved
                result.target(ActionTarget(.path, resolved, operation: "write"))
                result.add(.write, "apply_patch adds \(resolved)")
            case .update:
                written = resolved
                result.target(ActionTarget(.path, resolved, operation: "write"))
                result.add(.write, "apply_patch updates \(resolved)")
            case .move:
                written = PathNormalizer.absolute(change.destination ?? change.path, cwd: context.cwd, home: context.home)
                result.target(ActionTarget(.path, resolved, operation: "write"))
                result.target(ActionTarget(.path, written, operation: "write"))
                result.add(.write, "apply_patch moves \(resolved) to \(written)")
            case .delete:
                result.target(ActionTarget(.path, resolved, operation: "delete"))
                result.add(.delete, "apply_patch deletes \(resolved)")
                continue
            }
            if SensitivePaths.grantsRoot(written) {
                result.add(.privilege, "apply_patch writes \(written), which says who may act as root")
            }
            if let what = SensitivePaths.persistence(written, home: context.home) {
                result.add(.highRisk, "apply_patch writes \(written), \(what) (persistence: it outlasts the session)")
            }
            if let harness = HarnessSettingsFile.harness(of: written),
               let setting = HarnessSettingsFile.loosening(removed: change.removed, added: change.added, after: change.after) {
                result.add(.privilege, "apply_patch writes \(harness)'s own settings \(written) to loosen approvals (\(setting))")
            }
            if let setting = TLSConfigFile.turnsOff(path: written, text: change.added) {
                result.add(.highRisk, "apply_patch writes \(written) to turn off TLS certificate checks (\(setting))")
            }
        }
        return result
    }

    // MARK: Files

    /// A file tool's write of `path`: who may act as root, persistence, the harness's own settings, TLS checks turned
    /// off, scripts written for a later run.
    func writeFile(_ path: String, tool: String, lower: String, input: JSONValue?, context: ClassificationContext,
                   into result: inout Classification) {
        let resolved = PathNormalizer.absolute(path, cwd: context.cwd, home: context.home)
        result.target(ActionTarget(.path, resolved, operation: "write"))
        result.add(.write, "\(tool) writes \(resolved)")
        if SensitivePaths.grantsRoot(resolved) { result.add(.privilege, "\(tool) writes \(resolved), which says who may act as root") }
        if let what = SensitivePaths.persistence(resolved, home: context.home) {
            result.add(.highRisk, "\(tool) writes \(resolved), \(what) (persistence: it outlasts the session)")
        }
        if let harness = HarnessSettingsFile.harness(of: resolved), let setting = ActionClassifier.settingsLoosened(input) {
            result.add(.privilege, "\(tool) writes \(harness)'s own settings \(resolved) to loosen approvals (\(setting))")
        }
        // `strict-ssl=false` into `.npmrc`, `sslVerify = false` into `.gitconfig`: not a setting the edit already had.
        if TLSConfigFile.kind(of: resolved) != nil, let setting = ActionClassifier.writtenText(input).lazy.compactMap({ edit in
            TLSConfigFile.turnsOff(path: resolved, text: edit.new)
                .flatMap { edit.old.flatMap { TLSConfigFile.turnsOff(path: resolved, text: $0) } == $0 ? nil : $0 }
        }).first {
            result.add(.highRisk, "\(tool) writes \(resolved) to turn off TLS certificate checks (\(setting))")
        }
        if context.scripts[resolved] != nil || ScriptFiles.mayStartScript(path: resolved, input: input) {
            result.scriptChanges += ScriptFiles.relevant(ScriptFiles.changes(tool: lower, path: resolved, input: input),
                                                         known: context.scripts)
        }
    }

    func readFile(_ path: String, tool: String, context: ClassificationContext, into result: inout Classification) {
        let resolved = PathNormalizer.absolute(path, cwd: context.cwd, home: context.home)
        result.target(ActionTarget(.path, resolved, operation: "read"))
        result.add(.read, "\(tool) reads \(resolved)")
        result.family(tool)
        if let pattern = policy.sensitivePaths.match(resolved, home: context.home) {
            result.add(.sensitiveRead, "\(tool) reads secret material \(resolved) (matches \(pattern))")
        }
    }

    func sensitiveGlob(_ glob: String, tool: String, context: ClassificationContext, into result: inout Classification) {
        let base = context.cwd ?? "/"
        func found(_ pattern: String) {
            result.add(.sensitiveRead, "\(tool) searches files matching \(glob), which hold secret material (\(pattern))")
            result.target(ActionTarget(.secret, "files matching \(glob)", operation: "read"))
        }
        for variant in [glob.replacingAll("*", with: ""), glob.replacingAll("*", with: "x")] {
            let candidate = PathNormalizer.absolute(variant.replacingAll("{", with: "").replacingAll("}", with: ""),
                                                    cwd: base, home: context.home)
            if let pattern = policy.sensitivePaths.match(candidate, home: context.home) { return found(pattern) }
        }
        // `**/.e*`: the names the last part can match, in the directory before it (any directory for `**`).
        let whole = PathNormalizer.absolute(glob, cwd: base, home: context.home)
        let shallow = whole.replacingAll("/**/", with: "/")
        if let pattern = policy.sensitivePaths.globReaches(shallow, home: context.home) { return found(pattern) }
    }

    /// The approval setting a write or edit's new text turns off (`content`, `new_string`, each of `edits`), or nil.
    static func settingsLoosened(_ input: JSONValue?) -> String? {
        writtenText(input).lazy.compactMap { HarnessSettingsFile.loosening(old: $0.old, new: $0.new) }.first
    }

    /// What a write or edit tool's input puts into its file: whole contents, or each edit's new text with the text it
    /// replaces.
    static func writtenText(_ input: JSONValue?) -> [(old: String?, new: String)] {
        guard let input else { return [] }
        var pairs: [(old: String?, new: String)] = []
        for text in [input["content"], input["file_text"], input["text"], input["contents"]].compactMap({ $0?.string }) {
            pairs.append((nil, text))
        }
        if let new = input["new_string"]?.string ?? input["new_str"]?.string {
            pairs.append((input["old_string"]?.string ?? input["old_str"]?.string, new))
        }
        for edit in input["edits"]?.elements ?? [] {
            if let new = edit["new_string"]?.string { pairs.append((edit["old_string"]?.string, new)) }
        }
        return pairs
    }

    /// A string, or an array's strings (nil and other values: none).
    static func strings(_ value: JSONValue?) -> [String] {
        guard let value else { return [] }
        if let text = value.string { return text.isEmpty ? [] : [text] }
        return value.isArray ? value.elements.compactMap(\.string).filter { !$0.isEmpty } : []
    }

    /// File paths in a tool input, under the names harnesses use.
    static func paths(_ input: JSONValue?) -> [String] {
        guard let input, input.isObject else {
            if let text = input?.string { return [text] }
            return []
        }
        var out: [String] = []
        for key in ["file_path", "path", "filePath", "notebook_path", "absolute_path", "file", "filename", "target_file",
                    "target", "destination", "dest", "source", "uri", "filepath", "TargetFile", "targetFile", "AbsolutePath",
                    "absolutePath", "file_name", "fileName", "source_path", "destination_path", "sourcePath", "destinationPath"] {
            if let value = input.member(key), let text = value.string, !text.isEmpty, !text.contains("://") || text.hasPrefix("file://") {
                out.append(text.hasPrefix("file://") ? ActionClassifier.filePath(ofURI: text) : text)
            }
        }
        // Amazon Q's `fs_read {"operations": [{"mode": "Line", "path": …}]}`.
        if let operations = input.member("operations"), operations.isArray {
            out += operations.elements.compactMap { $0["path"]?.string }
        }
        for key in ["paths", "files", "file_paths"] {
            if let array = input.member(key), array.isArray {
                out += array.elements.compactMap { $0.string ?? $0["path"]?.string }
            }
        }
        return out
    }

    // MARK: MCP and unknown tools

    /// The MCP server of `mcp__server__tool` (Claude) or `server__tool` (Codex), or nil.
    static func mcpServer(_ tool: String) -> String? {
        guard let range = tool.range(ofASCII: "__") else { return nil }
        if tool.hasPrefix("mcp__") {
            let rest = tool.dropFirst(5)
            guard let end = rest.range(ofASCII: "__") else { return String(rest) }
            return String(rest[..<end.lowerBound])
        }
        return String(tool[..<range.lowerBound])
    }

    static func mcpToolName(_ tool: String) -> String {
        var rest = Substring(tool)
        if rest.hasPrefix("mcp__") { rest = rest.dropFirst(5) }
        while let range = rest.range(ofASCII: "__") { rest = rest[range.upperBound...] }
        return String(rest)
    }

    static let databaseWords: Set<String> = ["postgres", "postgresql", "pg", "mysql", "mariadb", "sqlite", "database",
                                             "db", "sql", "bigquery", "snowflake", "supabase", "neon", "duckdb", "clickhouse",
                                             "redshift", "mssql", "sqlserver", "oracle", "cockroach", "planetscale", "turso",
                                             "prisma", "dbhub", "motherduck", "databricks", "athena", "trino"]

    /// The host and database a database tool's input connects to (`{"connection": "postgresql://app@prod-db/shop"}`,
    /// `{"host": "db-prod.internal"}`): targets, and production when their names say so.
    static func connectionTargets(_ input: JSONValue?, policy: ClassificationPolicy, into result: inout Classification) {
        let urls: [String?] = [input?["connection"]?.string, input?["connection_string"]?.string, input?["connectionString"]?.string,
                               input?["database_url"]?.string, input?["databaseUrl"]?.string, input?["url"]?.string,
                               input?["dsn"]?.string, input?["uri"]?.string]
        for case let url? in urls {
            guard let scheme = url.range(ofASCII: "://") else {
                // A named connection (`"connection": "prod"`) or libpq parameters (`"dsn": "host=prod-db dbname=shop"`).
                for part in url.split(separator: " ") {
                    let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
                    let value = pair.count == 2 && ["host", "hostaddr", "dbname", "server", "database"].contains(pair[0].lowercased())
                        ? pair[1] : pair.count == 1 && !url.contains("=") ? pair[0] : nil
                    guard let value, !value.isEmpty else { continue }
                    result.target(ActionTarget(pair.count == 2 && pair[0].lowercased().hasPrefix("host") ? .host : .database, value))
                    if let token = policy.production.match(value) { result.productionEvidence("database connection \(value) (\(token))") }
                }
                continue
            }
            result.target(ActionTarget(.database, ShellAnalyzer.redactedURL(url)))
            if let host = ShellAnalyzer.urlHost(url) {
                result.target(ActionTarget(.host, host))
                if let token = policy.production.match(host) { result.productionEvidence("database host \(host) (\(token))") }
            }
            if let name = ShellAnalyzer.urlDatabase(url), let token = policy.production.match(name) {
                result.productionEvidence("database \(name) (\(token))")
            }
        }
        let hosts: [String?] = [input?["host"]?.string, input?["hostname"]?.string, input?["server"]?.string]
        for case let host? in hosts {
            guard !host.isEmpty, !host.contains("://") else { continue }
            result.target(ActionTarget(.host, host.lowercased()))
            if let token = policy.production.match(host) { result.productionEvidence("database host \(host) (\(token))") }
        }
    }

    func generic(tool: String, lower: String, server: String?, input: JSONValue?, context: ClassificationContext) -> Classification {
        var result = Classification()
        let name = server != nil ? ActionClassifier.mcpToolName(tool).lowercased() : lower
        // Words of the name as written: `RunCommand` and `executeCommand` are `run command` and `execute command`.
        let words = Set(ProductionDetector.tokenize(server != nil ? ActionClassifier.mcpToolName(tool) : tool))
        let serverWords = Set(ProductionDetector.tokenize(server ?? ""))
        result.family(server.map { "mcp \($0)" } ?? tool)
        if let server { result.target(ActionTarget(.resource, "mcp server \(server)")) }
        // SQL arguments of database tools: one statement, or a list of them (`run_sql_transaction {"sqlStatements": […]}`), or
        // a migration's (`prepare_database_migration {"migrationSql": …}`).
        let statementList = (input?["sqlStatements"] ?? input?["sql_statements"] ?? input?["statements"] ?? input?["queries"])?
            .elements.compactMap(\.string) ?? []
        // (A `query` of a tool that searches issues, code or events is words to look for, not SQL.)
        let searches = !words.isDisjoint(with: ["search", "find", "list", "issues", "issue", "events", "code", "docs", "documents", "pages"])
            && serverWords.isDisjoint(with: ActionClassifier.databaseWords) && words.isDisjoint(with: ActionClassifier.databaseWords)
        if let sql = input?["sql"]?.string ?? (searches ? nil : input?["query"]?.string) ?? input?["statement"]?.string
            ?? input?["migrationSql"]?.string ?? input?["migration_sql"]?.string
            ?? (statementList.isEmpty ? nil : statementList.joined(separator: ";\n")),
           !serverWords.isDisjoint(with: ActionClassifier.databaseWords) || !words.isDisjoint(with: ActionClassifier.databaseWords)
            || words.contains("query") || words.contains("execute") || input?["sql"] != nil || ActionClassifier.looksLikeSQL(sql, strict: true) {
            if ActionClassifier.looksLikeSQL(sql) {
                let statements = SQLClassifier.apply(sql, origin: tool, to: &result)
                result.target(ActionTarget(.statement, ActionClassifier.excerpt(sql)))
                // `DROP DATABASE shop_prod`, `USE shop_prod`: the database a statement names is where it acts.
                var databases = statements.filter { $0.verb.hasSuffix("DATABASE") || $0.verb.hasSuffix("SCHEMA") }.flatMap(\.tables)
                for piece in sql.split(whereSeparator: { $0 == ";" || $0 == "\n" }) {
                    let words = piece.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
                    if words.count == 2, words[0].uppercased() == "USE" { databases.append(String(words[1].filter { $0 != "`" && $0 != "\"" })) }
                }
                for database in databases {
                    result.target(ActionTarget(.database, database))
                    if let token = policy.production.match(database) { result.productionEvidence("database \(database) (\(token))") }
                }
                if let database = input?["database"]?.string ?? input?["db"]?.string ?? input?["project_id"]?.string {
                    result.target(ActionTarget(.database, database))
                    if let token = policy.production.match(database) { result.productionEvidence("database \(database) (\(token))") }
                }
                ActionClassifier.connectionTargets(input, policy: policy, into: &result)
                return result
            }
        }
        // An editor tool by another server's name (Goose's `developer__text_editor`): `view` reads, the rest write.
        if ["text_editor", "str_replace_editor", "editor", "file_editor"].contains(name) {
            return ActionClassifier.merge(result, classify(tool: "str_replace_editor", input: input, context: context))
        }
        // A tool named after the program it runs (`git {"args": ["push", "--force"]}`, `helm {"command": "upgrade web ./chart"}`,
        // `terraform {"argv": […]}`): the command line it stands for.
        if server == nil, ActionClassifier.programTools.contains(lower), let line = ActionClassifier.programLine(lower, input) {
            return ActionClassifier.merge(result, ActionClassifier.classify(argv: line, context: context))
        }
        // (`k8s` is three tokens to the tokenizer: the name itself says it.)
        let kubernetesServer = serverWords.contains("kubernetes") || serverWords.contains("kube") || serverWords.contains("kubectl")
            || server.map { $0.lowercased().contains("k8s") } == true
        // A Kubernetes tool given a kubectl command line (`kubectl {"command": "kubectl delete ns prod"}`), or its parts
        // (`kubectl_generic {"command": "delete", "resourceType": "namespace", "name": "prod"}`): the command it is.
        if kubernetesServer || words.contains("kubectl"), let command = input?["command"]?.string, !command.isEmpty {
            let first = command.split(separator: " ").first.map(String.init) ?? ""
            // The namespace and context the tool's input names beside the command line (`{"command": "delete deploy web",
            // "namespace": "prod"}`), unless the line names its own.
            func scoped(_ line: String) -> String {
                let extra = ActionClassifier.kubeScope(line.split(separator: " ").map(String.init),
                                                       program: line.hasPrefix("helm ") ? "helm" : "kubectl", input: input)
                return line + extra.map { " " + ShellQuoting.quote($0) }.joined()
            }
            if ["kubectl", "helm", "oc", "kustomize"].contains(first) {
                return ActionClassifier.merge(result, ShellAnalyzer.classify(scoped(command), context: context))
            }
            // A kubectl tool given the command without its program (`{"command": "delete deploy api -n prod"}`).
            if words.contains("kubectl") || server.map({ $0.lowercased().contains("kubectl") }) == true, command.contains(" "),
               ActionClassifier.kubectlVerbs.contains(first) {
                return ActionClassifier.merge(result, ShellAnalyzer.classify(scoped("kubectl " + command), context: context))
            }
            if words.contains("kubectl"), first == command, first.allSatisfy({ $0.isLetter || $0 == "-" }) {
                var argv = ["kubectl", command]
                if let sub = input?["subCommand"]?.string ?? input?["sub_command"]?.string { argv.append(sub) }
                if let kind = input?["resourceType"]?.string ?? input?["resource_type"]?.string ?? input?["kind"]?.string {
                    argv.append(input?["name"]?.string.map { "\(kind)/\($0)" } ?? kind)
                } else if let name = input?["name"]?.string {
                    argv.append(name)
                }
                if let namespace = input?["namespace"]?.string { argv += ["-n", namespace] }
                if let kubeContext = input?["context"]?.string { argv += ["--context", kubeContext] }
                for value in [input?["flags"], input?["args"]] {
                    if let list = value, list.isArray {
                        argv += list.elements.compactMap(\.scalarText)
                    } else if let text = value?.string {
                        argv += text.split(separator: " ").map(String.init)
                    }
                }
                return ActionClassifier.merge(result, ActionClassifier.classify(argv: argv, context: context))
            }
        }
        // A Kubernetes server's exec into a pod (`pods_exec`, `exec_in_pod`): judged as the kubectl exec it is,
        // the command it runs included (a pod's files are not the workspace's).
        let portForward = words.contains("portforward") || words.contains("port") && words.contains("forward")
        if (words.contains("exec") || words.contains("attach") || portForward)
            && (kubernetesServer || words.contains("pod") || words.contains("pods")) {
            var argv = ["kubectl", portForward ? "port-forward" : words.contains("attach") ? "attach" : "exec"]
            if let namespace = input?["namespace"]?.string ?? input?["ns"]?.string { argv += ["-n", namespace] }
            if let kubeContext = input?["context"]?.string { argv += ["--context", kubeContext] }
            if let cluster = input?["cluster"]?.string { argv += ["--cluster", cluster] }
            let name = input?["name"]?.string ?? input?["pod"]?.string ?? input?["pod_name"]?.string ?? input?["podName"]?.string
                ?? input?["resourceName"]?.string ?? input?["resource_name"]?.string ?? "pod"
            // A port-forward to a service or deployment names its kind (`resourceType`); the client picks the pod.
            let kind = (input?["resourceType"]?.string ?? input?["resource_type"]?.string)?.lowercased()
            argv.append(kind.map { ["pod", "pods", "po"].contains($0) ? name : "\($0)/\(name)" } ?? name)
            if let container = input?["container"]?.string { argv += ["-c", container] }
            let command = input?["command"] ?? input?["cmd"]
            if let inner = command?.elements.compactMap(\.scalarText), !inner.isEmpty {
                argv += ["--"] + inner
            } else if let text = command?.string, !text.isEmpty {
                argv += ["--", "sh", "-c", text]
            }
            var exec = ShellAnalyzer.classify(argv: argv, context: context)
            exec.add(.remoteExec, portForward ? "\(tool) forwards a port into a pod" : "\(tool) runs commands in a pod")
            return ActionClassifier.merge(result, exec)
        }
        if let request = ActionClassifier.httpRequest(tool, input: input, context: context) {
            result = ActionClassifier.merge(result, request)
        }
        // A fetching or browsing tool (`mcp__fetch__fetch`, `puppeteer_navigate`, `browser_navigate`) given the cloud
        // metadata endpoint, or a local file by its URL: a secret read, as WebFetch's is.
        if let url = input?["url"]?.string ?? input?["uri"]?.string {
            result = ActionClassifier.merge(result, ActionClassifier.fetchedSecret(tool, url: url, context: context))
        }
        // A cloud CLI given whole (`call_aws` of the AWS API server: `{"cli_command": "aws s3 rm …"}`): the command it is.
        // (Windsurf's `run_command {"CommandLine": …, "Cwd": …}` the same way.)
        if let cli = input?["cli_command"]?.string ?? input?["command_line"]?.string ?? input?["commandLine"]?.string
            ?? input?["CommandLine"]?.string, !cli.isEmpty {
            var context = context
            if let dir = (input?["Cwd"] ?? input?["cwd"])?.string, !dir.isEmpty {
                context.cwd = PathNormalizer.absolute(dir, cwd: context.cwd, home: context.home)
            }
            return ActionClassifier.merge(result, ShellAnalyzer.classify(cli, context: context))
        }
        // A Kubernetes server's other tools (`resources_get`, `resources_create_or_update`, `helm_install`): what kubectl or
        // helm would do with the same object.
        if kubernetesServer {
            kubernetesTool(tool, words: words, input: input, into: &result)
        }
        // Shell-like tools.
        if (words.contains("command") || words.contains("shell") || words.contains("exec") || words.contains("execute")
            || words.contains("terminal") || words.contains("run") || words.contains("bash")) && (input?["command"] != nil || input?["cmd"] != nil) {
            return ActionClassifier.merge(result, shellCall(input, context: context))
        }
        // A test tool given no command (`RunTests {"path": "tests/"}`, `mcp__jest__run_tests`): it runs the tests.
        if input?["command"] == nil && input?["cmd"] == nil, !words.isDisjoint(with: ["test", "tests", "spec", "specs"]),
           !words.isDisjoint(with: ["run", "execute", "exec"]) {
            result.add(.test, "\(tool) runs tests")
        }
        // The tool that merges (`merge_pull_request`, GitLab's `merge_merge_request` and `accept_merge_request`), not one that
        // creates, reads or updates a merge request (`create_merge_request`: "merge" names the request there).
        var nameWords = ProductionDetector.tokenize(server != nil ? ActionClassifier.mcpToolName(tool) : tool)
        // A client's own MCP prefix (`mcp_github_merge_pull_request`, Windsurf's `mcp0_merge_pull_request`): the tool's
        // name is what follows it, and the server's.
        if server == nil, let first = nameWords.first, first == "mcp" || first.hasPrefix("mcp") && first.dropFirst(3).allSatisfy(\.isNumber) {
            nameWords.removeFirst()
            while nameWords.first?.allSatisfy(\.isNumber) == true { nameWords.removeFirst() }
            if nameWords.count > 1, nameWords.first.map({ ["github", "gitlab", "gitea", "bitbucket", "git"].contains($0) }) == true {
                nameWords.removeFirst()
            }
        }
        let merges = nameWords.first == "merge" || nameWords.filter({ $0 == "merge" }).count > 1 || words.contains("accept")
            || !words.contains("request") && words.isDisjoint(with: ["create", "get", "update", "list", "read", "view", "diff", "diffs",
                                                                     "search", "comment", "comments", "approve", "discussions", "notes"])
        if merges, words.contains("merge") && (words.contains("pull") || words.contains("pr") || words.contains("request") || words.contains("mr")
                                       || words.contains("auto") && words.isDisjoint(with: ["disable", "get", "list", "check", "status", "view"])) {
            var name = "pull request"
            let number = input?["pull_number"]?.scalarText ?? input?["pullNumber"]?.scalarText ?? input?["number"]?.scalarText
                ?? input?["merge_request_iid"]?.scalarText ?? input?["iid"]?.scalarText
            if let number {
                let repository = [input?["owner"]?.string, input?["repo"]?.string].compactMap { $0 }.joined(separator: "/")
                name += " " + (repository.isEmpty ? "" : repository) + "#" + number
            }
            result.target(ActionTarget(.resource, name, operation: "merge"))
            result.add(.merge, "\(tool) merges a pull request")
            result.add(.vcs, "\(tool) merges a pull request")
        }
        if let branch = input?["branch"]?.string,
           words.contains("push") || (words.contains("create") || words.contains("update") || words.contains("delete"))
            && (words.contains("file") || words.contains("files")) && !words.contains("branch") {
            result.target(ActionTarget(.branch, branch, operation: "push"))
            result.add(.vcs, "\(tool) commits to \(branch)")
            if policy.protectedBranches.isProtected(branch) {
                result.add(.merge, "\(tool) commits directly to the protected branch \(branch)")
            }
        }
        // `update_ref {"ref":"heads/main","sha":…,"force":true}`: the branch moved to a commit, with no pull request.
        if words.contains("ref") || words.contains("refs"), words.contains("update") || words.contains("create") || words.contains("set"),
           let ref = input?["ref"]?.string {
            var branch = Substring(ref)
            for prefix in ["refs/heads/", "heads/"] where branch.hasPrefix(prefix) { branch = branch.dropFirst(prefix.count) }
            if !ref.hasPrefix("refs/tags/") && !ref.hasPrefix("tags/") {
                let name = String(branch)
                result.target(ActionTarget(.branch, name, operation: "push"))
                result.add(.vcs, "\(tool) moves branch \(name)")
                if policy.protectedBranches.isProtected(name) {
                    result.add(.merge, "\(tool) moves the protected branch \(name) directly")
                    if input?["force"]?.bool == true { result.add(.highRisk, "\(tool) force-moves the protected branch \(name)") }
                }
            }
        }
        if words.contains("create") && (words.contains("pull") || words.contains("pr") || words.contains("merge")) && words.contains("request")
            || name == "create_pr" {
            result.add(.vcs, "\(tool) opens a pull request")
            // The branch it proposes (`head`, GitLab's `source_branch`): a change leaving the machine, as `gh pr create`'s.
            let head = (input?["head"] ?? input?["source_branch"] ?? input?["sourceBranch"] ?? input?["branch"])?.string
            result.target(ActionTarget(.branch, head ?? "(its branch)", operation: "pull-request"))
        }
        let deleteWords: Set<String> = ["delete", "remove", "drop", "destroy", "purge", "truncate", "wipe", "erase", "uninstall"]
        // What an agent keeps for itself or marks things with (a memory server's entities, a to-do list, a label, a
        // reaction): removing one deletes no file, system or data of anyone's.
        let bookkeeping: Set<String> = ["memory", "memories", "entities", "entity", "observations", "observation", "relations",
                                        "relation", "todo", "todos", "reaction", "reactions", "label", "labels", "bookmark",
                                        "bookmarks", "favorite", "favorites", "scratchpad"]
        if !words.isDisjoint(with: deleteWords), words.isDisjoint(with: bookkeeping), serverWords.isDisjoint(with: bookkeeping) {
            result.add(.delete, "\(tool) deletes")
            // A hosted repository's file (`owner`, `repo`): a path there, not on this machine.
            let hosted = [input?["owner"]?.string, input?["repo"]?.string].compactMap { $0 }
            for path in ActionClassifier.paths(input) {
                if hosted.count == 2 {
                    result.target(ActionTarget(.resource, "\(hosted.joined(separator: "/")):\(path)", operation: "delete"))
                } else {
                    result.target(ActionTarget(.path, PathNormalizer.absolute(path, cwd: context.cwd, home: context.home), operation: "delete"))
                }
            }
        }
        if words.contains("deploy") || words.contains("rollout") || words.contains("release") && !words.contains("list")
            || (words.contains("apply") && (serverWords.contains("kubernetes") || serverWords.contains("k8s") || serverWords.contains("terraform"))) {
            result.add(.deploy, "\(tool) deploys")
        }
        if (words.contains("secret") || words.contains("secrets") || words.contains("credential") || words.contains("credentials")
            || words.contains("password") || words.contains("token")) && (words.contains("get") || words.contains("read")
            || words.contains("reveal") || words.contains("show") || words.contains("list") || words.contains("fetch")) {
            result.add(.sensitiveRead, "\(tool) reads secrets")
            // The secret it names (`namespace/name`), else the tool.
            let name = input?["name"]?.string ?? input?["secret"]?.string ?? input?["secret_name"]?.string ?? input?["secretName"]?.string
            let namespace = input?["namespace"]?.string
            result.target(ActionTarget(.secret, name.map { n in namespace.map { "\($0)/\(n)" } ?? n } ?? tool, operation: "read"))
        }
        let writeWords: Set<String> = ["write", "edit", "create", "update", "put", "set", "push", "move", "rename", "append",
                                       "insert", "upload", "patch", "modify", "save", "replace", "copy", "duplicate"]
        // A file moved or copied (`move_file {"source": "~/.ssh/id_rsa", …}`, `copy_path`) is read where it was: a secret
        // when it is one.
        if !words.isDisjoint(with: ["move", "copy", "rename", "duplicate"]), result.classes.isEmpty,
           server == nil || !serverWords.isDisjoint(with: ActionClassifier.localFileServerWords),
           let source = (input?["source"] ?? input?["source_path"] ?? input?["sourcePath"] ?? input?["src"] ?? input?["from"])?.string,
           !source.isEmpty, !source.contains("://") {
            var read = Classification()
            readFile(source, tool: tool, context: context, into: &read)
            if read.classes.contains(.sensitiveRead) { result = ActionClassifier.merge(result, read) }
        }
        if !words.isDisjoint(with: writeWords) && (result.classes.isEmpty || result.classes == [.read, .sensitiveRead]) {
            let paths = ActionClassifier.paths(input)
            let localFiles = server == nil || !serverWords.isDisjoint(with: ActionClassifier.localFileServerWords)
            if localFiles && !paths.isEmpty && (words.contains("file") || words.contains("files") || words.contains("fs")) {
                // A file tool by another name (`EditFile`, `fs_write`, `save_file`, `replace_in_file`): judged as a write.
                for path in paths { writeFile(path, tool: tool, lower: lower, input: input, context: context, into: &result) }
            } else {
                for path in paths {
                    let resolved = PathNormalizer.absolute(path, cwd: context.cwd, home: context.home)
                    result.target(ActionTarget(.path, resolved, operation: "write"))
                }
                result.add(.write, "\(tool) changes \(paths.isEmpty ? "state" : paths.joined(separator: ", "))")
            }
        }
        let readWords: Set<String> = ["read", "get", "view", "cat", "open", "download"]
        if !words.isDisjoint(with: readWords) && result.classes.isEmpty {
            for path in ActionClassifier.paths(input) { readFile(path, tool: tool, context: context, into: &result) }
        }
        if let url = input?["url"]?.string, let host = ShellAnalyzer.urlHost(url) {
            result.target(ActionTarget(.host, host))
            result.add(.network, "\(tool) reaches \(host)")
        }
        for key in ["namespace", "context", "cluster", "environment", "env", "stage", "project"] {
            if let value = input?.member(key)?.string {
                let kind: ActionTarget.Kind = key == "namespace" ? .namespace : key == "context" ? .context : key == "cluster" ? .cluster : .workspace
                result.target(ActionTarget(kind, value))
                if let token = policy.production.match(value) { result.productionEvidence("\(key) \(value) (\(token))") }
            }
        }
        return result
    }

    /// The path a `file://` URI names, percent-decoded: `file:///c%3A/Users/dan/app/x.py` → `c:/Users/dan/app/x.py`,
    /// `file:///home/a/x` → `/home/a/x`.
    static func filePath(ofURI uri: String) -> String {
        var path = String(uri.dropFirst(7))
        if !path.hasPrefix("/") { path = String(path.drop { $0 != "/" }) }   // `file://host/path`
        var bytes: [UInt8] = []
        var utf8 = Array(path.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%"), utf8.count >= 2, let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        let decoded = String(decoding: bytes, as: UTF8.self)
        // `/c:/Users/…`: a Windows drive path.
        let chars = Array(decoded)
        if chars.count >= 3, chars[0] == "/", chars[1].isLetter, chars[2] == ":" { return String(decoded.dropFirst()) }
        return decoded
    }

    /// `GetSecretValue`, `get_secret_value` → `get-secret-value`: an API operation or parameter as the CLI spells it.
    static func kebab(_ name: String) -> String {
        var out = ""
        for (index, character) in name.enumerated() {
            if character == "_" { out.append("-"); continue }
            if character.isUppercase {
                if index > 0, out.last != "-" { out.append("-") }
                out.append(contentsOf: character.lowercased())
            } else {
                out.append(character)
            }
        }
        return out
    }

    /// The names harnesses give their shell tool (lower case).
    static let shellToolNames: Set<String> = ["bash", "shell", "run_shell_command", "shell_command", "exec_command",
                                              "local_shell", "container.exec", "sh", "zsh", "execute_bash", "run_terminal_cmd",
                                              "bash_tool"]

    /// Tools a harness names after the program they run, given its arguments.
    static let programTools: Set<String> = [
        "git", "gh", "glab", "kubectl", "oc", "helm", "kustomize", "terraform", "tofu", "pulumi", "docker", "podman", "npm",
        "npx", "pnpm", "yarn", "bun", "psql", "mysql", "sqlite3", "aws", "gcloud", "az", "curl", "wget", "make", "cargo", "go",
        "pip", "python", "python3", "node", "ssh", "scp", "rsync", "flyctl", "fly", "vercel", "heroku", "mvn", "gradle",
        "dotnet", "pytest", "rails", "rake", "bundle", "composer", "ansible-playbook", "systemctl", "redis-cli", "mongosh",
        "alembic", "prisma", "flyway", "liquibase", "atlas", "goose", "rm", "mv", "cp", "chmod", "find", "sed",
        "sudo", "cat", "dd", "env", "printenv", "vault", "chown", "tee", "nc", "rsync", "mkfs", "mkfs.ext4", "mkfs.xfs",
        "shred", "truncate", "crontab", "systemctl", "iptables", "useradd", "usermod", "passwd", "openssl", "base64",
    ]

    /// The argv a program-named tool's input gives: its argument list (`args`, `argv`, `arguments`), else its command
    /// line with or without the program (`{"command": "upgrade web ./chart"}`, `{"command": "helm upgrade …"}`), with the
    /// namespace and context it names beside them; nil when it gives neither.
    static func programLine(_ program: String, _ input: JSONValue?) -> [String]? {
        guard let input, input.isObject else { return nil }
        var argv: [String]
        if let list = input["args"] ?? input["argv"] ?? input["arguments"], list.isArray {
            argv = list.elements.compactMap(\.scalarText)
            if ShellAnalyzer.basename(argv.first ?? "") != program { argv.insert(program, at: 0) }
            if let sub = (input["command"] ?? input["subcommand"])?.string, !sub.isEmpty, !sub.contains(" "), sub != program {
                argv.insert(sub, at: 1)
            }
            argv += kubeScope(argv, program: program, input: input)
        } else if let line = (input["command"] ?? input["cmd"] ?? input["args"])?.string, !line.isEmpty {
            let first = line.split(separator: " ").first.map(String.init) ?? ""
            let whole = ShellAnalyzer.basename(first) == program ? line : program + " " + line
            let extra = kubeScope(whole.split(separator: " ").map(String.init), program: program, input: input)
            argv = ["sh", "-c", whole + extra.map { " " + ShellQuoting.quote($0) }.joined()]
        } else {
            return nil
        }
        return argv
    }

    /// The namespace and kube context a Kubernetes client tool's input names beside its command line (`{"command":
    /// "delete deploy web", "namespace": "prod"}`), as options to add, unless the line (`words`) names its own.
    static func kubeScope(_ words: [String], program: String, input: JSONValue?) -> [String] {
        guard ["kubectl", "helm", "oc"].contains(program) else { return [] }
        let present = Set(words.map { String($0.prefix { $0 != "=" }) })
        var extra: [String] = []
        if let namespace = input?["namespace"]?.string, !namespace.isEmpty,
           present.isDisjoint(with: ["-n", "--namespace", "-A", "--all-namespaces"]) {
            extra += ["-n", namespace]
        }
        if let kubeContext = input?["context"]?.string, !kubeContext.isEmpty, present.isDisjoint(with: ["--context", "--kube-context"]) {
            extra += [program == "helm" ? "--kube-context" : "--context", kubeContext]
        }
        return extra
    }

    /// A Kubernetes MCP server's tool on an object: secrets read (`resources_get`/`resources_list` of kind Secret),
    /// objects created or changed and charts installed (a deploy), in the namespace the input or the manifest names.
    func kubernetesTool(_ tool: String, words: Set<String>, input: JSONValue?, into result: inout Classification) {
        // The manifest as text: YAML or JSON in a string, or an object.
        let manifest = ["resource", "manifest", "yaml", "object", "body"].lazy.compactMap { key in
            input?[key].flatMap { $0.string ?? (!$0.members.isEmpty ? $0.rawText : nil) }
        }.first ?? ""
        let kind = (input?["kind"]?.string ?? input?["resourceType"]?.string ?? input?["resource_type"]?.string
            ?? ActionClassifier.manifestField("kind", in: manifest) ?? "").lowercased()
        let name = input?["name"]?.string ?? input?["resourceName"]?.string ?? ActionClassifier.manifestField("name", in: manifest)
        let summary = manifest.isEmpty ? ManifestSummary() : ManifestSummary(text: manifest)
        var namespace = input?["namespace"]?.string
        // The objects' own namespace (`metadata.namespace`), not a binding's subject's.
        if namespace == nil, let named = summary.namespaces.first ?? (summary.kinds.isEmpty ? ActionClassifier.manifestField("namespace", in: manifest) : nil) {
            namespace = named
            result.target(ActionTarget(.namespace, named))
            if let token = policy.production.match(named) { result.productionEvidence("namespace \(named) (\(token))") }
        }
        let reads = !words.isDisjoint(with: ["get", "list", "read", "describe", "view", "watch"])
        let changes = !words.isDisjoint(with: ["create", "update", "apply", "patch", "scale", "install", "upgrade", "rollout", "restart",
                                               "edit", "replace", "set", "run"])
        // A namespace deleted or created is named by the object itself (`resources_delete {"kind":"Namespace","name":"prod"}`).
        if kind == "namespace", let name {
            result.target(ActionTarget(.namespace, name))
            if let token = policy.production.match(name) { result.productionEvidence("namespace \(name) (\(token))") }
        }
        if ["secret", "secrets"].contains(kind), reads, !changes {
            result.add(.sensitiveRead, "\(tool) reads Kubernetes secrets")
            let what = name.map { n in namespace.map { "\($0)/\(n)" } ?? n } ?? (namespace.map { "secrets in \($0)" } ?? "secrets in every namespace")
            result.target(ActionTarget(.secret, what, operation: "read"))
            if namespace == nil { result.target(ActionTarget(.namespace, "*")) }
        }
        if changes, words.isDisjoint(with: ["delete", "uninstall", "remove"]) {
            result.add(.deploy, "\(tool) changes the cluster\(kind.isEmpty ? "" : " (" + kind + (name.map { " " + $0 } ?? "") + ")")")
            let label = words.contains("helm") ? "release" : kind.isEmpty ? "object" : kind
            if let name { result.target(ActionTarget(.resource, "\(label) \(name)")) }
            for key in ["release", "release_name", "chart"] {
                if let value = input?.member(key)?.string, let token = policy.production.match(value) {
                    result.productionEvidence("\(key) \(value) (\(token))")
                }
            }
            // Bindings and roles (`ClusterRoleBinding` to `cluster-admin`), a legacy token Secret.
            if summary.changesRBAC {
                result.add(.privilege, "\(tool) changes RBAC (\(summary.kinds.filter { ManifestSummary.rbacKinds.contains($0) }.joined(separator: ", "))"
                           + (summary.roles.isEmpty ? "" : " to \(summary.roles.joined(separator: ", "))") + ")")
            }
            for secret in summary.legacyTokenSecrets {
                result.add(.credential, "\(tool) creates a legacy, non-expiring service-account token secret")
                result.target(ActionTarget(.credential, "legacy token secret \(secret)", operation: "mint", lifetimeSeconds: Int64.max / 2))
            }
            // A privileged pod in the manifest (YAML or JSON text, or an object) or in the tool's own options
            // (`pods_run {"privileged": true}`).
            if let input, let setting = PrivilegedPod.setting(inManifest: manifest.isEmpty ? input.rawText : manifest) {
                result.add(.highRisk, "\(tool) deploys a privileged pod (\(setting))")
            }
        }
    }

    /// A top-level `key: value` of a YAML manifest (or `"key": "value"` of a JSON one) given as text: the first.
    static func manifestField(_ key: String, in manifest: String) -> String? {
        guard !manifest.isEmpty else { return nil }
        for line in manifest.split(whereSeparator: { $0 == "\n" || $0 == "," || $0 == "{" }) {
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            for prefix in ["\(key):", "\"\(key)\":"] where trimmed.hasPrefix(prefix) {
                let value = trimmed.dropFirst(prefix.count).drop { $0 == " " || $0 == "\"" || $0 == "'" }
                let text = String(value.prefix { $0 != "\"" && $0 != "'" && $0 != " " && $0 != "}" && $0 != "\r" })
                if !text.isEmpty { return text }
            }
        }
        return nil
    }

    static func merge(_ a: Classification, _ b: Classification) -> Classification {
        PowerShellAnalyzer.merged(a, b)
    }

    /// The secret a URL fetched reads, if any: a local file by its URL (`file:///home/alice/.aws/credentials`, read as
    /// `cat` reads it), or the cloud metadata endpoint (its credentials).
    static func fetchedSecret(_ tool: String, url: String, context: ClassificationContext) -> Classification {
        if url.lowercased().hasPrefix("file://") {
            var read = ShellAnalyzer.classify(argv: ["cat", String(url.dropFirst("file://".count))], context: context)
            read.commandFamilies.removeAll { $0 == "cat" }
            read.targets.removeAll { $0.kind == .command }
            return read
        }
        var found = Classification()
        if let host = ShellAnalyzer.urlHost(url), ShellAnalyzer.metadataHosts.contains(host) {
            found.target(ActionTarget(.host, host))
            found.add(.sensitiveRead, "\(tool) reads the cloud metadata endpoint \(host)")
            found.target(ActionTarget(.secret, "cloud metadata \(host)", operation: "read"))
        }
        return found
    }

    /// What an HTTP request tool's call does (`http_request {"method": "DELETE", "url": …}`, `fetch`, an MCP server's
    /// `request`): the request curl would make (a DELETE deletes, a PUT to a pull request's merge endpoint merges), and a
    /// write for any other change. Nil when the input names no method and URL.
    static func httpRequest(_ tool: String, input: JSONValue?, context: ClassificationContext) -> Classification? {
        guard let url = input?["url"]?.string ?? input?["uri"]?.string ?? input?["endpoint"]?.string, url.contains("://"),
              let method = (input?["method"]?.string ?? input?["httpMethod"]?.string ?? input?["http_method"]?.string)?.uppercased(),
              ["POST", "PUT", "PATCH", "DELETE"].contains(method) else { return nil }
        var request = ShellAnalyzer.classify(argv: ["curl", "-X", method, url], context: context)
        request.commandFamilies.removeAll { $0 == "curl" }
        request.targets.removeAll { $0.kind == .command && $0.value == "curl" }
        if request.classes.isDisjoint(with: [.delete, .merge]) {
            request.add(.write, "\(tool) sends an HTTP \(method) to \(ShellAnalyzer.urlHost(url) ?? url)")
        }
        return request
    }

    /// A statement shortened for display: whitespace collapsed, at most 300 characters.
    static func excerpt(_ text: String) -> String {
        let collapsed = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }).joined(separator: " ")
        return collapsed.count > 300 ? String(collapsed.prefix(299)) + "…" : collapsed
    }

    /// Whether text reads as SQL by its first word. `strict`: only words no English sentence starts with as often
    /// (`Use the prod cluster` is a search, not `USE`), for tools not known to run SQL.
    static func looksLikeSQL(_ text: String, strict: Bool = false) -> Bool {
        guard let first = SQLClassifier.tokenize(text).first(where: { $0.kind == .word }) else { return false }
        return sqlFirstWords.contains(first.upper) || !strict && looseSQLFirstWords.contains(first.upper)
    }

    static let sqlFirstWords: Set<String> = [
        "SELECT", "INSERT", "UPDATE", "DELETE", "CREATE", "ALTER", "DROP", "TRUNCATE", "WITH", "MERGE", "GRANT", "REVOKE",
        "RENAME", "REPLACE", "UPSERT", "COPY", "SHOW", "DESCRIBE", "EXPLAIN", "PRAGMA", "BEGIN", "CALL", "DO", "EXEC",
        "EXECUTE", "VALUES", "COMMENT", "VACUUM", "ANALYZE",
    ]
    /// First words of SQL that English sentences also start with.
    static let looseSQLFirstWords: Set<String> = [
        "SET", "START", "USE", "LOCK", "REINDEX", "CLUSTER", "REFRESH", "IMPORT", "LOAD", "OPTIMIZE", "DECLARE",
    ]
}
