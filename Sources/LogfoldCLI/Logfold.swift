import ArgumentParser
import Foundation
import LogfoldStore

/// `logfold`: the command-line surface operators' scripts drive (see docs/operations.md).
@main
struct Logfold: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logfold",
        abstract: "Turn a subscription platform's system log into Klaviyo marketing history, exactly once.",
        discussion: """
            Entries flow: ingest (JSON Lines → LMDB journal) → project (state + outbox) → send (Klaviyo).
            Every command takes --data DIR (default ./data, or $LOGFOLD_DATA).
            """,
        version: "0.1.0",
        subcommands: [
            IngestCommand.self, ProjectCommand.self, ReplayCommand.self, DigestCommand.self, OutboxCommand.self,
            CustomerCommand.self, SendCommand.self, StatusCommand.self, JournalCommand.self, GenerateCommand.self,
            SandboxCommand.self, RunCommand.self, DestinationCommand.self,
        ]
    )

    /// The one place a failure becomes what the operator reads: argument errors, help and `--version`
    /// as ArgumentParser prints them; a failure of the work as one `logfold: error:` line on stderr
    /// (what went wrong, where, what to do) and exit status 1, as the command-line contract requires.
    static func main() async {
        AllocatorTuning.applyIfNeeded()
        // Before any command opens a database: SQLite takes its process-wide settings only then.
        StateStore.tuneSQLiteForThisProcess()
        let command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exit(withError: error)
        }
        do {
            if var asynchronous = command as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                var synchronous = command
                try synchronous.run()
            }
        } catch let exit as ExitCode {
            Self.exit(withError: exit)
        } catch let clean as CleanExit {
            Self.exit(withError: clean)
        } catch  where isArgumentParserError(error) {
            // `--help` parses into ArgumentParser's own help command, whose run throws its (internal) help
            // request: ArgumentParser prints that, and any other error of its own, as it would by itself.
            Self.exit(withError: error)
        } catch {
            FileHandle.standardError.write(Data("logfold: error: \(error)\n".utf8))
            Self.exit(withError: ExitCode.failure)
        }
    }

    /// Whether `error` is one of ArgumentParser's internal errors (a help request), which it prints itself.
    ///
    /// Those types are not public, so they are known by their module. A `ValidationError` thrown by a
    /// command's work is a failure of the work, reported as one `logfold: error:` line.
    private static func isArgumentParserError(_ error: any Error) -> Bool {
        !(error is ValidationError) && String(reflecting: type(of: error)).hasPrefix("ArgumentParser.")
    }
}
