import ArgumentParser
import Foundation
import LogfoldEngine

/// `--data DIR`, which every command takes.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: "The data directory (journal, state, outbox). Default: $LOGFOLD_DATA or ./data.")
    var data: String?

    var directory: DataDirectory { DataDirectory(data) }
}

/// Runs a command body and turns any failure into one line on stderr and a non-zero exit, as the
/// command-line contract requires.
func reportingFailures<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let exit as ExitCode {
        throw exit
    } catch {
        FileHandle.standardError.write(Data("logfold: error: \(error)\n".utf8))
        throw ExitCode.failure
    }
}

/// Prints to standard output.
func say(_ text: String) {
    print(text)
}
