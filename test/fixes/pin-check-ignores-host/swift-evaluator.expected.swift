import Alamofire
import Foundation

final class PinnedKeyEvaluator: ServerTrustEvaluating {
    private let pinnedKeyHashes: Set<String>

    init(pinnedKeyHashes: Set<String>) {
        self.pinnedKeyHashes = pinnedKeyHashes
    }

    func evaluate(_ trust: SecTrust, forHost host: String) throws {
        guard host == "api.example.com" else { throw AFError.serverTrustEvaluationFailed(reason: .noRequiredEvaluator(host: host)) }
        guard let hash = spkiSha256(of: trust), pinnedKeyHashes.contains(hash) else {
            throw AFError.serverTrustEvaluationFailed(reason: .noPublicKeysFound)
        }
    }
}
