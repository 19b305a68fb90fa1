import Foundation

final class PinningDelegate: NSObject, URLSessionDelegate {
    private let pinnedKeyHashes: Set<String> = [
        "aM0uY9vY6cVz2pO2weQ2lh61WLUvXkg7iFdb+5tC60Q=",
        "QIvl5wnKRcNRTn+mHSTvLUlT1nAPbcagd3H0VF7OutM=",
    ]

    func urlSession(_ session: URLSession, didReceive challenge: URLAuthenticationChallenge, completionHandler: @escaping (URLSession.AuthChallengeDisposition, URLCredential?) -> Void) {
        guard challenge.protectionSpace.host == "api.example.com" else {
            completionHandler(.cancelAuthenticationChallenge, nil)
            return
        }
        guard let trust = challenge.protectionSpace.serverTrust,
              let hash = spkiSha256(of: trust),
              pinnedKeyHashes.contains(hash) else {
            completionHandler(.cancelAuthenticationChallenge, nil)
            return
        }
        completionHandler(.useCredential, URLCredential(trust: trust))
    }
}
