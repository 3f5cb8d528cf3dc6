package import Foundation

/// Runs the real `logfold` executable as a child process, for crash and end-to-end tests.
///
/// The binary sits beside the test bundle in the build's products directory; the test targets
/// depend on the executable so `swift build --build-tests` always produces it.
package final class LogfoldProcess: @unchecked Sendable {
    // @unchecked: the Process and pipes are driven from one test at a time.
    package let process = Process()
    private let stdoutPipe = Pipe()
    private let stderrPipe = Pipe()
    private var pendingOutput = Data()

    /// The built `logfold` binary.
    package static var executableURL: URL {
        get throws {
            var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            // Under `swift test` on Linux the runner is `<products>/<name>.xctest`; on Darwin it is inside a bundle.
            for _ in 0..<4 {
                let candidate = directory.appendingPathComponent("logfold")
                if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
                directory.deleteLastPathComponent()
            }
            let fallback = URL(fileURLWithPath: FileManager.default.currentDirectoryPath + "/.build/debug/logfold")
            if FileManager.default.isExecutableFile(atPath: fallback.path) { return fallback }
            throw CocoaError(
                .fileNoSuchFile,
                userInfo: [NSLocalizedDescriptionKey: "logfold binary not found; run `swift build` first"])
        }
    }

    /// Starts `logfold ARGUMENTS`, with standard input from `stdin` when given.
    package init(_ arguments: [String], stdin: FileHandle? = nil, environment: [String: String] = [:]) throws {
        process.executableURL = try Self.executableURL
        process.arguments = arguments
        process.standardOutput = stdoutPipe
        process.standardError = stderrPipe
        if let stdin { process.standardInput = stdin }
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        try process.run()
    }

    /// The child's pid.
    package var pid: Int32 { process.processIdentifier }

    /// Sends `signal` (for example `SIGKILL`, `SIGTERM`).
    package func send(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// Reads one line of standard output while the child runs; `nil` when it ends first or `timeout` passes.
    package func readLine(timeout: Duration) -> String? {
        let handle = stdoutPipe.fileHandleForReading
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let newline = pendingOutput.firstIndex(of: 0x0A) {
                let line = String(decoding: pendingOutput[..<newline], as: UTF8.self)
                pendingOutput.removeSubrange(...newline)
                return line
            }
            // Wait for output only until the deadline: `availableData` alone blocks for as long as a
            // silent child lives.
            let left = deadline - ContinuousClock.now
            let milliseconds = Int32(clamping: max(1, left.components.seconds * 1_000 + 1))
            var descriptor = pollfd(fd: handle.fileDescriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, milliseconds) > 0 else { continue }
            let chunk = handle.availableData
            if chunk.isEmpty { return nil }  // end of file: the child closed its output
            pendingOutput.append(chunk)
        }
        return nil
    }

    /// Waits for exit and returns the status with everything printed; a child still running after
    /// `timeout` is killed with SIGKILL (status 9 then tells the test it hung instead of hanging the run).
    package func finish(timeout: Duration = .seconds(300)) -> (status: Int32, stdout: String, stderr: String) {
        let process = process
        let seconds = Double(timeout.components.seconds)
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds) {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        // Both pipes at once: a child that fills one while the other is being drained would block forever.
        let errors = ErrorDrain(stderrPipe.fileHandleForReading)
        let out = pendingOutput + stdoutPipe.fileHandleForReading.readDataToEndOfFile()
        let err = errors.wait()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }

    /// Runs `logfold ARGUMENTS` to completion.
    package static func run(_ arguments: [String], stdin: FileHandle? = nil, environment: [String: String] = [:])
        throws -> (status: Int32, stdout: String, stderr: String)
    {
        try LogfoldProcess(arguments, stdin: stdin, environment: environment).finish()
    }
}

/// Polls `condition` every few milliseconds until it holds or `timeout` passes; returns whether it held.
///
/// Used only where a test waits on another process (a child's progress), which no in-process signal can
/// report; never as a substitute for ordering inside one process.
package func eventually(timeout: Duration = .seconds(60), _ condition: () throws -> Bool) rethrows -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while clock.now < deadline {
        if try condition() { return true }
        // A poll: the condition is another process's state, which cannot signal this one.
        Thread.sleep(forTimeInterval: 0.005)
    }
    return try condition()
}

/// Reads a pipe to its end on a thread of its own.
private final class ErrorDrain: @unchecked Sendable {
    // @unchecked: `data` is written by the reading thread before `done` is signalled, read only after.
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}
