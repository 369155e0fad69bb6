/// The files a one-line program (`python3 -c`, `node -e`, `ruby -e`, `perl -e`, `php -r`) reads and writes,
/// found by the calls that take a written-out path: `open('~/.bashrc', 'a')`, `Path('…').write_text(…)`,
/// `fs.readFileSync('…')`, `File.write('…', …)`, `file_put_contents('…', …)`, `open(F, '>>', '…')`.
/// A path the code names that is none of these calls' (`shutil.copy('~/.ssh/id_rsa', …)`) is reported as
/// `named`: the caller treats it as read when it is secret material. Paths built at run time (`f'{home}/…'`,
/// `"$ENV{HOME}/…"`) are not followed.
struct InlineCodeFiles {
    enum Access: Equatable {
        /// `copied`: the source of a copy (`shutil.copy(src, dst)`), whose destination is the next literal, written.
        case read, write, named, copied
    }

    struct File: Equatable {
        var path: String
        var access: Access
    }

    /// What each file literal of `code` is used for, in order of appearance.
    static func scan(_ code: String) -> [File] {
        let literals = stringLiterals(code)
        var files: [File] = []
        for (index, literal) in literals.enumerated() {
            var path = literal.text
            // Perl's two-argument open names its mode in the path: `open(F, ">>/etc/profile")`.
            let perlMode = ["+>>", "+<", "+>", ">>", ">", "<"].first { path.hasPrefix($0) }
            if let perlMode, literal.before.hasSuffix("open(") || literal.before.hasSuffix(",") && literal.before.contains("open") {
                path = String(path.dropFirst(perlMode.count).drop { $0 == " " })
                if isPlausible(path) { files.append(File(path: path, access: perlMode.contains(">") || perlMode == "+<" ? .write : .read)) }
                continue
            }
            guard isPlausible(path) else { continue }
            // Perl's three-argument open: the mode is the literal before.
            if index > 0, literal.before.hasSuffix(","), literals[index - 1].after.hasPrefix(","),
               let mode = ["+>>", "+<", "+>", ">>", ">", "<"].first(where: { literals[index - 1].text == $0 }) {
                files.append(File(path: path, access: mode == "<" ? .read : .write))
                continue
            }
            var access = access(of: literal, next: literals.dropFirst(index + 1).first)
            // A copy's second argument is its destination.
            if access == .named, literal.before == ",", files.last?.access == .copied, index > 0, literals[index - 1].after.hasPrefix(",") {
                access = .write
            }
            // A literal no call takes counts only when it reads as a path.
            if access == .named && !looksLikePath(path) { continue }
            files.append(File(path: path, access: access))
        }
        return files
    }

    /// A string literal with the code just before its opening quote and just after its closing one, lowercased
    /// and without spaces, so call names compare whatever the spacing.
    struct Literal {
        var text: String
        var before: String
        var after: String
    }

    private static let readCalls = ["readfilesync(", "readfile(", "createreadstream(", "file.read(", "io.read(", "file.readlines(",
                                    "io.readlines(", "file.foreach(", "io.foreach(", "file_get_contents(", "file.binread(", "loadtxt(", "read_csv(", "yaml.load_file(", "json.load(open("]
    private static let writeCalls = ["writefilesync(", "writefile(", "appendfilesync(", "appendfile(", "createwritestream(",
                                     "file.write(", "io.write(", "file.binwrite(", "file_put_contents(", "symlinksync("]
    private static let copyCalls = ["copyfilesync(", "copyfile(", "shutil.copy(", "shutil.copy2(", "shutil.copyfile(", "shutil.move(",
                                     "fileutils.cp(", "fileutils.mv(", "fs.cpsync(", "fs.renamesync(", "renamesync(", "os.rename(",
                                     "os.replace("]
    private static let openCalls = ["open(", "fopen(", "file.open(", "io.open(", "codecs.open(", "os.open(", "fs.opensync(", "fs.open("]
    /// Calls that only turn a written-out path into a path object or expand it, looked through.
    static let wrappers = ["os.path.expanduser(", "expanduser(", "pathlib.path(", "file.expand_path(", "path.resolve(",
                           "os.path.join(", "path.join(", "os.path.abspath(", "os.path.realpath(", "realpath(", "path("]

    private static func access(of literal: Literal, next: Literal?) -> Access {
        var before = Substring(literal.before)
        var wrapped = false
        while let wrapper = wrappers.first(where: { before.hasSuffix($0) }) {
            before = before.dropLast(wrapper.count)
            wrapped = true
        }
        // `Path('…').write_text(…)`, `Path('~/.bashrc').expanduser().open('a')`.
        let chain = literal.after.prefix(80).prefix { $0 != ";" && $0 != "\n" }
        if chain.contains(".write_text(") || chain.contains(".write_bytes(") || chain.contains(".symlink_to(") { return .write }
        if chain.contains(".read_text(") || chain.contains(".read_bytes(") { return .read }
        if wrapped, let open = chain.range(ofASCII: ".open(") {
            // The mode is the call's first argument: `Path('…').open('a')`.
            let argument = chain[open.upperBound...]
            if argument.hasPrefix("'") || argument.hasPrefix("\""), let next, let access = access(ofMode: next.text) { return access }
            return .read
        }
        if writeCalls.contains(where: { before.hasSuffix($0) }) { return .write }
        if copyCalls.contains(where: { before.hasSuffix($0) }) { return .copied }
        if openCalls.contains(where: { before.hasSuffix($0) }) { return mode(after: Substring(literal.after), next: next) ?? .read }
        if readCalls.contains(where: { before.hasSuffix($0) }) { return .read }
        return .named
    }

    /// The mode the literal after a path gives `open`: written when it has `w`, `a`, `x` or `+` (Python, Ruby,
    /// PHP, Node's flags), or names `O_WRONLY`, `O_RDWR`, `O_APPEND`, `O_CREAT`.
    private static func mode(after text: Substring, next: Literal?) -> Access? {
        let rest = text.drop { $0 == ")" }
        if rest.hasPrefix(","), rest.contains("o_wronly") || rest.contains("o_rdwr") || rest.contains("o_append") || rest.contains("o_creat") {
            return .write
        }
        guard rest.hasPrefix(","), let next else { return nil }
        let between = rest.dropFirst().prefix { $0 != "\"" && $0 != "'" }
        guard between.isEmpty || between == "mode=" || between == "mode:" || between == "{flag:" else { return nil }
        return access(ofMode: next.text)
    }

    /// `r`, `rb`, `w`, `a+`, `x`…: written when the mode has `w`, `a`, `x` or `+`.
    private static func access(ofMode text: String) -> Access? {
        let mode = text.lowercased()
        guard !mode.isEmpty, mode.count <= 4, mode.allSatisfy({ "rwxabt+".contains($0) }) else { return nil }
        return mode.contains(where: { "wax+".contains($0) }) ? .write : .read
    }

    /// A literal a call can take as a file name.
    private static func isPlausible(_ text: String) -> Bool {
        !text.isEmpty && text.count < 512 && !text.contains("$") && !text.contains("{") && !text.contains("\n") && !text.contains("://")
    }

    /// A literal that can be a file's path: a path with a directory, a home-relative path, or a dot-file.
    private static func looksLikePath(_ text: String) -> Bool {
        guard isPlausible(text) else { return false }
        return text.hasPrefix("/") || text.hasPrefix("~/") || text.hasPrefix("./") || text.hasPrefix("../")
            || text.contains("/") && !text.contains(" ") || text.hasPrefix(".") && text.count > 1 && !text.contains(" ")
    }

    /// The code's single- and double-quoted literals (Python's triple quotes read as empty literals around one),
    /// with what surrounds each.
    static func stringLiterals(_ code: String) -> [Literal] {
        let chars = Array(code)
        var literals: [Literal] = []
        var i = 0
        var lastEnd = 0
        while i < chars.count {
            let c = chars[i]
            guard c == "\"" || c == "'" || c == "`" else { i += 1; continue }
            var j = i + 1
            var text = ""
            while j < chars.count, chars[j] != c {
                if chars[j] == "\\", j + 1 < chars.count {
                    text.append(chars[j + 1])
                    j += 2
                    continue
                }
                text.append(chars[j])
                j += 1
            }
            let before = compact(chars[max(lastEnd, i - 60)..<i])
            let after = compact(chars[min(j + 1, chars.count)..<min(chars.count, j + 81)])
            // A template literal with a placeholder is built at run time.
            if c == "`" && text.contains("${") { text = "$" }
            literals.append(Literal(text: text, before: before, after: after))
            lastEnd = min(j + 1, chars.count)
            i = j + 1
        }
        return literals
    }

    private static func compact(_ chars: ArraySlice<Character>) -> String {
        String(chars.filter { $0 != " " && $0 != "\t" }).lowercased()
    }
}
