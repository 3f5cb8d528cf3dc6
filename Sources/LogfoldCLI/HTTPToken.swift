import ArgumentParser
import Foundation
import LogfoldEngine

/// The HTTP ingest token `run` makes on its first start when none is given: the endpoint is never open
/// by accident.
enum HTTPToken {
    /// The token file in the data directory.
    static func path(in directory: DataDirectory) -> String { directory.root + "/http-token" }

    /// The token of `DATA/http-token`, made (32 random bytes, hex, mode 0600) and printed once, on
    /// standard error, the first time.
    static func stored(in directory: DataDirectory) throws -> String {
        let path = path(in: directory)
        if FileManager.default.fileExists(atPath: path) {
            try FileModes.checkSecretFile(path, holding: "token")
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let token = text.split(whereSeparator: \.isNewline).first.map { $0.trimmingCharacters(in: .whitespaces) }
            guard let token, !token.isEmpty else {
                throw ValidationError("the token file \(path) is empty: delete it and start again to make a new one")
            }
            return token
        }
        var generator = SystemRandomNumberGenerator()
        let token = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
        guard
            FileManager.default.createFile(
                atPath: path, contents: Data((token + "\n").utf8), attributes: [.posixPermissions: 0o600])
        else {
            throw ValidationError("cannot write the token file \(path): check the data directory")
        }
        FileHandle.standardError.write(
            Data(
                ("logfold: made the HTTP ingest token (shown once; kept in \(path)): \(token)\n"
                    + "logfold: posts to /v1/entries need the header `Authorization: Bearer \(token)`\n").utf8))
        return token
    }
}
