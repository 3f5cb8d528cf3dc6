import Foundation
import LogfoldEngine
import LogfoldTestSupport
import Testing

/// Ids and names from the platform never reach an operator's terminal as control sequences.
@Suite(.offThePool) struct TerminalTextTests {
    @Test("control characters are shown as \\u{XX}; other text, tabs where asked, and non-ASCII letters pass")
    func visible() {
        #expect(TerminalText.visible("1141260") == "1141260")
        #expect(TerminalText.visible("a\u{1B}[2Jb") == "a\\u{1B}[2Jb")
        #expect(TerminalText.visible("x\u{7F}\u{9B}y\u{0}") == "x\\u{7F}\\u{9B}y\\u{0}")
        #expect(TerminalText.visible("a\tb") == "a\\u{9}b")
        #expect(TerminalText.visible("a\tb", tabs: true) == "a\tb")
        #expect(TerminalText.visible("Zoë Ødegård") == "Zoë Ødegård")
    }

    @Test("outbox and customer print a customer id holding an escape sequence as text")
    func printedIDs() throws {
        let directory = try TemporaryDirectory()
        let data = directory.file("data")
        let input = directory.file("in.jsonl")
        let line =
            #"{"id":5,"at":"2020-05-15T13:03:56-04:00","type":"login","customer":{"id":"x\u001b]0;pwned\u0007","email":"e@example.com"}}"#
        try Data((line + "\n").utf8).write(to: URL(fileURLWithPath: input))
        #expect(try LogfoldProcess.run(["ingest", "--data", data, input]).status == 0)
        #expect(try LogfoldProcess.run(["project", "--data", data]).status == 0)
        let outbox = try LogfoldProcess.run(["outbox", "--data", data])
        #expect(
            !outbox.stdout.contains("\u{1B}") && outbox.stdout.contains("x\\u{1B}]0;pwned\\u{7}"), "\(outbox.stdout)")
        let customer = try LogfoldProcess.run(["customer", "--data", data, "x\u{1B}]0;pwned\u{7}"])
        #expect(customer.status == 0, "\(customer.stderr)")
        #expect(!customer.stdout.contains("\u{1B}") && customer.stdout.contains("customer      x\\u{1B}]0;pwned\\u{7}"))
    }
}

/// The command-line surface's own answers: help, version, and a misspelt command.
@Suite(.offThePool) struct CommandLineHelpTests {
    @Test("--help and a subcommand's --help print usage on stdout and exit 0; --version prints the version")
    func help() throws {
        let root = try LogfoldProcess.run(["--help"])
        #expect(root.status == 0, "\(root.stderr)")
        #expect(root.stdout.contains("USAGE: logfold <subcommand>") && root.stdout.contains("replay"), "\(root.stdout)")
        #expect(!root.stderr.contains("error"), "\(root.stderr)")
        let replay = try LogfoldProcess.run(["replay", "--help"])
        #expect(
            replay.status == 0 && replay.stdout.contains("USAGE: logfold replay"), "\(replay.stdout)\(replay.stderr)")
        let version = try LogfoldProcess.run(["--version"])
        #expect(version.status == 0 && version.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0.1.0")
    }

    @Test("an unknown subcommand is a usage error (exit 64) that names it")
    func unknownCommand() throws {
        let result = try LogfoldProcess.run(["bogus"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("Unexpected argument 'bogus'"), "\(result.stderr)")
    }
}
