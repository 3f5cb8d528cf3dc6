import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Starts `body` on a thread of its own, named `name` for the operating system too.
///
/// Foundation's `Thread.name` does not reach the kernel on Linux, so `top -H`, `ps -L`, profilers and
/// `Benchmarks/run`'s per-thread CPU saw every thread under the process's name. The thread writes its
/// own name to `/proc/thread-self/comm` (Glibc's module does not offer `pthread_setname_np`); Linux
/// keeps the first 15 bytes. A name that cannot be set leaves the thread as it was.
package func startNamedThread(_ name: String, _ body: @escaping @Sendable () -> Void) {
    let thread = Thread {
        #if os(Linux)
            let descriptor = open("/proc/thread-self/comm", O_WRONLY)
            if descriptor >= 0 {
                let bytes = Array(name.utf8.prefix(15))
                _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
                close(descriptor)
            }
        #endif
        body()
    }
    thread.name = name
    thread.start()
}
