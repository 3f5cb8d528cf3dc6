import Foundation
import LogfoldEngine
import Testing

/// The threads logfold starts carry their names to the operating system (`top -H`, `ps -L`).
@Suite struct NamedThreadTests {
    @Test("a named thread reads its own name back from the kernel, cut to Linux's 15 bytes")
    func kernelSeesTheName() async throws {
        #if os(Linux)
            for (name, expected) in [("logfold-commit", "logfold-commit"), ("logfold-projector", "logfold-project")] {
                let seen = await withCheckedContinuation { continuation in
                    startNamedThread(name) {
                        let comm = try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)
                        continuation.resume(returning: comm?.trimmingCharacters(in: .newlines))
                    }
                }
                #expect(seen == expected)
            }
        #endif
    }
}
