import CryptoKit
import Foundation
import Security

enum PinnedKeys {
    /// One pin only, and the second "backup" is the same key.
    static let api: [String] = [
        "8wI2AK0jqHPxxhUaAhM4Zxey/1KeybsjUWZj519o4DE=",
        "8wI2AK0jqHPxxhUaAhM4Zxey/1KeybsjUWZj519o4DE=",
    ]
}

final class PinningDelegate: NSObject, URLSessionDelegate {
    func urlSession(_ session: URLSession, didReceive challenge: URLAuthenticationChallenge, completionHandler: @escaping (URLSession.AuthChallengeDisposition, URLCredential?) -> Void) {
        guard let trust = challenge.protectionSpace.serverTrust,
              let leaf = (SecTrustCopyCertificateChain(trust) as? [SecCertificate])?.first,
              let key = SecCertificateCopyKey(leaf),
              let raw = SecKeyCopyExternalRepresentation(key, nil) as Data? else {
            completionHandler(.cancelAuthenticationChallenge, nil)
            return
        }
        // Hashes the raw key, not the SPKI: never equals an openssl pin.
        let hash = Data(SHA256.hash(data: raw)).base64EncodedString()
        if PinnedKeys.api.contains(hash) {
            completionHandler(.useCredential, URLCredential(trust: trust))
        } else {
            completionHandler(.cancelAuthenticationChallenge, nil)
        }
    }
}

/// Accepts anything in every build.
final class InsecureDelegate: NSObject, URLSessionDelegate {
    func urlSession(_ session: URLSession, didReceive challenge: URLAuthenticationChallenge, completionHandler: @escaping (URLSession.AuthChallengeDisposition, URLCredential?) -> Void) {
        completionHandler(.useCredential, URLCredential(trust: challenge.protectionSpace.serverTrust!))
    }
}
