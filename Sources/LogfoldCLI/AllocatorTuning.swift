import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// glibc's allocator, tuned for the commands that fold the journal in large batches.
///
/// A fold allocates many small blocks per entry (strings, arrays of the outbox rows) and frees a whole
/// committed batch at once. glibc's per-thread cache keeps only 7 freed blocks of each size, so most of
/// those frees go to the shared bins, and the next batch's allocations sort through them:
/// `_int_malloc` was a fifth of the folding thread in a replay of the synthetic year. A cache of
/// ``tcacheCount`` blocks per size keeps them on the fast path (measured: 209 s of CPU for the year
/// without it, 145 s with 8,000 blocks; with deferred indexes, 156 s with 1,000 and 147 s with 8,000:
/// 4,096 parks less memory in the caches).
///
/// glibc reads its tunables only when a process starts, hence one `exec` of the same binary with the
/// tunable set, before anything else runs. An operator's own `GLIBC_TUNABLES` is left as it is.
enum AllocatorTuning {
    /// Freed blocks glibc keeps per size and thread.
    static let tcacheCount = 4096

    /// The commands whose folds the tuning is for.
    static let commands: Set<String> = ["replay", "project", "destination"]

    /// The commands that drain an outbox window by window.
    static let sendingCommands: Set<String> = ["send"]

    /// A fold's tuning: ``tcacheCount`` blocks per size in each thread's cache.
    static let foldTunables = "glibc.malloc.tcache_count=\(tcacheCount)"

    /// A sender's tuning: one malloc arena, and freed memory kept for the next window, not handed back.
    ///
    /// A sender's threads (Swift's pool, SwiftNIO's event loops, the store's queues) each got an arena of
    /// their own, and glibc gave each window's memory back to the system once freed (`MADV_DONTNEED` for
    /// the threads' arenas), so the next window faulted every page in again, zeroed: the kernel clearing
    /// pages was a tenth of the sender's samples. On the send stage's store (133,485 rows, 8 interleaved
    /// pairs): peak 200 → 151 MiB, minor faults 48,000 → 31,000, CPU 1% lower (7 of 8 pairs). The window's
    /// byte budget still bounds what is kept; the 64 MiB asked of the system each time the heap grows
    /// costs nothing until it is touched. (A larger thread cache, the fold's tuning, measured 4.5% worse
    /// for the sender.)
    static let sendTunables =
        "glibc.malloc.arena_max=1:glibc.malloc.trim_threshold=\(512 << 20):glibc.malloc.top_pad=\(64 << 20)"

    /// The daemon's tuning: one malloc arena, freed memory handed back as glibc does by default.
    ///
    /// Draining the send stage's store (133,485 rows), `logfold run` peaked at 163–182 MiB of anonymous
    /// memory with an arena per thread and at 115–118 MiB with one (7 runs; CPU within the runs' noise).
    /// A daemon idles between bursts, so it keeps glibc's trimming and gives memory back.
    static let daemonTunables = "glibc.malloc.arena_max=1"

    /// The tunables for `command`, `nil` for a command left untuned.
    static func tunables(for command: String) -> String? {
        if commands.contains(command) { return foldTunables }
        if sendingCommands.contains(command) { return sendTunables }
        if command == "run" { return daemonTunables }
        return nil
    }

    /// Re-runs this process with `GLIBC_TUNABLES` set when the command folds the journal, sends or runs the
    /// daemon and the environment does not set it; returns (doing nothing) everywhere else, or if the
    /// `exec` fails.
    static func applyIfNeeded(arguments: [String] = CommandLine.arguments) {
        #if os(Linux)
            guard arguments.count > 1, let tunables = tunables(for: arguments[1]) else { return }
            guard getenv("GLIBC_TUNABLES") == nil else { return }
            // The binary's own path, not /proc/self/exe: the process name (`ps`, `pkill logfold`) stays its own.
            guard let executable = Bundle.main.executablePath ?? CommandLine.arguments.first else { return }
            setenv("GLIBC_TUNABLES", tunables, 1)
            // The same pid, arguments, descriptors and signal dispositions: only the allocator differs.
            execv(executable, CommandLine.unsafeArgv)
            // exec failed (the path is not the binary, for one): run untuned, as before.
            unsetenv("GLIBC_TUNABLES")
        #endif
    }
}
