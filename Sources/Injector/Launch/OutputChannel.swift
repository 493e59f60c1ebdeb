import CLauncher

#if canImport(Glibc)
    import Glibc
#endif

/// One output stream of the child: the end the runner reads and the end the child writes, as a pipe or a
/// pseudo-terminal.
struct OutputChannel {
    /// What the runner reads (pipe read end, or terminal controller).
    let runnerEnd: Int32
    /// What the child writes (pipe write end, or terminal device); closed in the runner once the child has it.
    let childEnd: Int32
    /// Whether the channel is a pseudo-terminal.
    let isTerminal: Bool

    /// A new close-on-exec pipe.
    static func pipe() throws -> OutputChannel {
        var ends: [Int32] = [-1, -1]
        let failure = ends.withUnsafeMutableBufferPointer { cl_pipe($0.baseAddress!) }
        guard failure == 0 else { throw LaunchError.system(call: "pipe2", errno: failure) }
        return OutputChannel(runnerEnd: ends[0], childEnd: ends[1], isTerminal: false)
    }

    /// A new pseudo-terminal pair.
    static func pseudoTerminal() throws -> OutputChannel {
        let pair = try PseudoTerminal.open()
        return OutputChannel(runnerEnd: pair.controller, childEnd: pair.terminal, isTerminal: true)
    }

    /// Standard output and error wired as `wiring` asks.
    static func pair(for wiring: OutputWiring) throws -> (stdout: OutputChannel, stderr: OutputChannel) {
        let terminals = wiring == .pseudoTerminals
        let stdout = try terminals ? OutputChannel.pseudoTerminal() : OutputChannel.pipe()
        do {
            return (stdout, try terminals ? OutputChannel.pseudoTerminal() : OutputChannel.pipe())
        } catch {
            stdout.closeBothEnds()
            throw error
        }
    }

    /// Closes the runner's copy of the child's end, so that end of file arrives when the child is done with it.
    func closeChildEnd() {
        close(childEnd)
    }

    /// Closes both ends (the launch failed).
    func closeBothEnds() {
        close(childEnd)
        close(runnerEnd)
    }
}
